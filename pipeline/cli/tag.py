"""`tag`: tag .txt or .jsonl paragraphs, print them or write Doccano relation JSONL."""

from __future__ import annotations

from pathlib import Path

import typer
from wasabi import msg

from ..schema import INITIATIVE, ORG, OUTCOME
from ._util import app, user_errors

TERMINAL_COLORS = {ORG: "cyan", INITIATIVE: "yellow", OUTCOME: "green"}


def _print_result(rec, result) -> None:
    where = "/".join(str(rec.meta[k]) for k in ("doc_id", "para") if k in rec.meta)
    typer.secho(f"[{where}] {rec.text[:70]}{'…' if len(rec.text) > 70 else ''}", bold=True)
    for s in result.spans:
        extra = (
            f"  value={s.value:g} unit={s.unit} qualifier={s.qualifier}"
            if s.label == OUTCOME and s.value is not None
            else ""
        )
        score = f"  score={s.score:.2f}" if s.score is not None else ""
        typer.secho(f"    {s.label:<11}{s.text}  [{s.start},{s.end}){extra}{score}", fg=TERMINAL_COLORS.get(s.label))
    for r in result.relations:
        typer.secho(f"    {r.label:<11}{r.head.text} -> {r.tail.text}  score={r.score:.2f}", fg="magenta")


@app.command("tag")
def tag_cmd(
    input: Path = typer.Argument(..., help=".txt (one paragraph a line) or .jsonl with text and optional meta"),
    model: Path = typer.Option(
        None, "--model", "-m", help="Trained pipeline (default models/default, built if absent)"
    ),
    output: Path = typer.Option(None, "--output", "-o", help="Write Doccano relation JSONL here"),
    batch_size: int = typer.Option(32, help="Paragraphs per batch"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not print the spans"),
) -> None:
    """Tag paragraphs and print the spans; with --output, write Doccano relation JSONL
    (entities, relations, meta as given) ready to import."""
    from tqdm import tqdm

    from ..api import load, tag_many
    from ..corpus import read_tag_input, write_records

    with user_errors():
        records = read_tag_input(input)
        nlp = load(model)
    out = []
    results = tag_many((r.text for r in records), nlp=nlp, batch_size=batch_size)
    for rec, result in tqdm(zip(records, results), total=len(records), desc="Tagging", unit="para", disable=not output):
        out.append(result.to_record(rec.meta))
        if not quiet and not output:
            _print_result(rec, result)
    n_spans = sum(len(r.entities) for r in out)
    if output:
        write_records(output, out)
        msg.good(
            f"Tagged {len(out)} paragraphs ({n_spans} spans, {sum(len(r.relations) for r in out)} relations) -> {output}"
        )
    else:
        msg.info(f"{len(out)} paragraphs, {n_spans} spans")
