"""`agreement`: how much annotators agree, from a team project or from one file per annotator."""

from __future__ import annotations

from pathlib import Path
from typing import List

import typer

from .. import paths
from ._util import app, msg, user_errors


@app.command("agreement")
def agreement_cmd(
    files: List[Path] = typer.Argument(None, help="One annotator's version per file (Doccano relation JSONL)"),
    project: str = typer.Option(None, "--project", "-p", help="Team project: pull and compare its annotators"),
    output: Path = typer.Option(None, "--output", "-o", help="Write the figures as JSON here"),
    lowest: int = typer.Option(10, "--lowest", min=0, help="How many least agreed paragraphs to print"),
) -> None:
    """Pairwise agreement, matched by doc_id + para: F1 per entity label and relation type (exact
    spans; relations need both spans and the type), Cohen's kappa on characters (the label of the
    covering entity, or O) per pair and overall, and the least agreed paragraphs first."""
    from ..corpus import read_records
    from ..evaluation.agreement import agreement, format_agreement
    from ..io import check_output, write_json

    if bool(files) == bool(project):
        msg.fail("name either annotator files (two or more) or a team project with -p", exits=1)
    if files and len(files) < 2:
        msg.fail("agreement needs two or more annotator files", exits=1)
    with user_errors():
        if output is not None:
            check_output(output, files or [])
        if project:
            from ..doccano.client import connect
            from ..doccano.versions import pull_versions

            versions = pull_versions(connect(), project, paths.corpus().annotators).versions
            sources = None
        else:
            names = [f.stem for f in files]
            names = names if len(set(names)) == len(names) else [str(f) for f in files]
            versions = {name: read_records(f) for name, f in zip(names, files)}
            sources = {name: str(f) for name, f in zip(names, files)}
        result = agreement(versions, sources)
    typer.echo(format_agreement(result, lowest))
    if output is not None:
        write_json(output, result)
        msg.good(f"Wrote {output}")
