"""`facts` and `report`: from tagged output (`tag -o`, a Dask run's OUTDIR) to a table of facts
(.parquet / .csv) and to a self-contained HTML report."""

from __future__ import annotations

import time
from pathlib import Path
from typing import List

import typer

from ._util import app, msg, user_errors

INPUTS_HELP = "Tagged output: `tag -o` .jsonl files, a Dask run's OUTDIR (jsonl or parquet shards), or globs"


@app.command("facts")
def facts_cmd(
    inputs: List[str] = typer.Argument(..., help=INPUTS_HELP),
    output: Path = typer.Option(..., "--output", "-o", help="facts.parquet or facts.csv (the suffix picks the format)"),
) -> None:
    """One row per relation and one per entity in no relation: document, paragraph, sentence,
    head and tail as written and their canonical names within the document, the outcome's value,
    unit and qualifier, scores when the input has them, and the sentence. Read document by
    document and written as it goes, so an archive of any size fits in memory."""
    from ..facts.rows import document_facts
    from ..facts.tagged import documents, expand
    from ..facts.writers import check_format, fact_writer
    from ..io import check_output
    from ..report.summary import Summary

    with user_errors():
        paths = expand(inputs)
        check_format(output)
        check_output(output, paths)
        summary, start = Summary(), time.perf_counter()
        with fact_writer(output) as write, _progress(paths) as bar:
            for doc in documents(paths):
                rows = document_facts(doc)
                write(rows)
                summary.add(doc, rows)
                bar.update(len(doc.paragraphs))
    seconds = time.perf_counter() - start
    t = summary.totals()
    msg.good(
        f"{t['facts']:,} facts ({t['relations']:,} relations, {t['facts'] - t['relations']:,} entities alone) from "
        f"{t['paragraphs']:,} paragraphs of {t['documents']:,} documents in {seconds:.1f} s -> {output}"
    )
    msg.info(
        f"ORG mentions: {t['org_mentions']:,}, {t['org_resolved']:,} given a fuller name, "
        f"{t['org_unresolved']:,} short forms left as written"
    )


def _progress(paths):
    """A progress bar over the paragraphs of the inputs (counted from the files cheaply)."""
    from tqdm import tqdm

    from ..facts.tagged import count_paragraphs

    return tqdm(total=count_paragraphs(paths), desc="Facts", unit="para")


@app.command("report")
def report_cmd(
    inputs: List[str] = typer.Argument(..., help=INPUTS_HELP),
    output: Path = typer.Option(..., "--output", "-o", help="The HTML page to write (report.html)"),
    max_paragraphs: int = typer.Option(20_000, min=0, help="Paragraphs drawn in the page (the first N)"),
    max_facts: int = typer.Option(100_000, min=0, help="Facts in the page's table (the first N)"),
) -> None:
    """A self-contained HTML page to open offline: totals, the organisations and initiatives
    with most relations, outcomes by unit and organisation, a table of facts to sort and filter,
    and every paragraph drawn with its entities and relations. Counts cover every document;
    the table and the drawings hold the first --max-facts / --max-paragraphs."""
    from ..facts.tagged import documents, expand
    from ..io import OutputError, check_output
    from ..report.build import build_report

    with user_errors():
        paths = expand(inputs)
        if output.suffix.lower() not in (".html", ".htm"):
            raise OutputError(f"{output}: name an .html file")
        check_output(output, paths)
        with _progress(paths) as bar:
            summary = build_report(
                documents(paths),
                output,
                paths,
                max_paragraphs,
                max_facts,
                progress=lambda d: bar.update(len(d.paragraphs)),
            )
    t = summary.totals()
    size = output.stat().st_size / 1e6
    msg.good(
        f"Report of {t['paragraphs']:,} paragraphs ({t['facts']:,} facts) -> {output} ({size:.1f} MB); open it in a browser"
    )
