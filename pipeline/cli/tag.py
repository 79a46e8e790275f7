"""`tag`: tag .txt / .jsonl paragraphs (files, directories or globs), print them or stream Doccano
relation JSONL to a file."""

from __future__ import annotations

import json
import time
from enum import Enum
from pathlib import Path
from typing import Iterable, List, Optional

import typer

from ..corpus.records import Record
from ..distributed.shards import FORMATS
from ..io import OutputError
from ..schema import INITIATIVE, ORG, OUTCOME
from ._util import app, msg, user_errors

OutputFormat = Enum("OutputFormat", {f: f for f in FORMATS}, type=str)
TERMINAL_COLORS = {ORG: "cyan", INITIATIVE: "yellow", OUTCOME: "green"}


def _print_result(rec: Record, result) -> None:
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
    inputs: List[str] = typer.Argument(
        ..., help=".txt (one paragraph a line) / .jsonl (text, optional meta) files, directories or globs"
    ),
    model: Path = typer.Option(
        None, "--model", "-m", help="Trained pipeline (default models/default, built if absent)"
    ),
    output: Optional[Path] = typer.Option(
        None,
        "--output",
        "-o",
        help="Write Doccano relation JSONL here (streamed, replaced atomically); with --workers / --scheduler a directory",
    ),
    batch_size: int = typer.Option(256, min=1, help="Paragraphs per batch"),
    n_process: int = typer.Option(1, "--n-process", "-n", min=1, help="Worker processes (each loads the model once)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not print the spans"),
    workers: Optional[int] = typer.Option(
        None,
        "--workers",
        "-w",
        min=1,
        help="Tag on a local Dask cluster of N worker processes (127.0.0.1); -o names a directory",
    ),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", help="Tag on an existing Dask cluster (tcp://HOST:PORT); -o names a directory"
    ),
    shard_size: int = typer.Option(1000, min=1, help="Paragraphs per shard (Dask runs)"),
    output_format: OutputFormat = typer.Option("jsonl", "--format", help="Shard output format (Dask runs)"),
    timeout: float = typer.Option(
        60.0, min=0.1, help="Seconds to wait for the scheduler's answer and its first worker (--scheduler)"
    ),
) -> None:
    """Tag paragraphs and print the spans; with --output, write Doccano relation JSONL (entities,
    relations, meta as given) ready to import. Every input is checked before any work is done.
    With --workers or --scheduler, tag on a Dask cluster into OUTDIR, one output per shard; run the
    same command again to finish an interrupted run (finished shards are kept)."""
    from .. import inputs as tag_inputs
    from ..api import load, tag_many
    from ..io import atomic_open, check_output

    if workers is not None or scheduler is not None:
        from ._cluster import tag_on_cluster

        tag_on_cluster(
            inputs, output, model, workers, scheduler, shard_size, output_format.value, batch_size, n_process, timeout
        )
        return
    with user_errors():
        if output_format != OutputFormat.jsonl:
            raise OutputError(
                f"--format {output_format.value} is for Dask runs (--workers / --scheduler); -o writes JSONL"
            )
        paths = tag_inputs.expand(inputs)
        total = tag_inputs.check(paths)
        if output is not None:
            check_output(output, paths)
        nlp = load(model)
    pairs = tag_many(
        ((rec.text, rec) for rec in tag_inputs.records(paths)),
        nlp=nlp,
        batch_size=batch_size,
        n_process=n_process,
        as_tuples=True,
    )
    if output is None:
        n = n_spans = 0
        for result, rec in pairs:
            n, n_spans = n + 1, n_spans + len(result.spans)
            if not quiet:
                _print_result(rec, result)
        msg.info(f"{n} paragraphs, {n_spans} spans")
        return
    with user_errors(), atomic_open(output) as f:  # a full disk: one line, and no file half-written
        counts = _write(pairs, f, total)
    msg.good(f"Tagged {counts[0]} paragraphs ({counts[1]} spans, {counts[2]} relations) -> {output}")


def _write(pairs: Iterable, f, total: int) -> List[int]:
    """Write each (result, record) as a Doccano record, with a progress bar; returns paragraph, span and relation counts."""
    from tqdm import tqdm

    counts, chars, start = [0, 0, 0], 0, time.perf_counter()
    with tqdm(total=total, desc="Tagging", unit="para") as bar:
        for result, rec in pairs:
            out = result.to_record(rec.meta)
            f.write(json.dumps(out.to_json(), ensure_ascii=False) + "\n")
            counts = [counts[0] + 1, counts[1] + len(out.entities), counts[2] + len(out.relations)]
            chars += len(rec.text)
            bar.update(1)
            bar.set_postfix_str(f"{chars / max(time.perf_counter() - start, 1e-9):,.0f} chars/s", refresh=False)
    return counts
