"""`evaluate`: per-label P/R/F of a trained pipeline on the dev split."""

from __future__ import annotations

from pathlib import Path

import typer

from ._util import app, msg, user_errors


@app.command("evaluate")
def evaluate_cmd(
    model: Path = typer.Option(None, "--model", "-m", help="Trained pipeline (default models/default)"),
    gold: Path = typer.Option(None, help="Gold JSONL (default corpus/gold.jsonl); its dev split is used"),
    output_dir: Path = typer.Option(
        Path("models/evaluation"), "--output-dir", "-o", help="Where to write evaluation.json and dev.html"
    ),
) -> None:
    """Per-label precision/recall/F1 on the dev split: a table, JSON and a displaCy page."""
    import json

    from ..api import load
    from ..evaluation.metrics import evaluate_records, format_scores, predict_records
    from ..evaluation.relations import REL_NAME, evaluate_relations, records_at, relation_scores
    from ..evaluation.render import render_html
    from ..training.data import gold_splits, load_gold

    with user_errors():
        _, dev = gold_splits(load_gold(gold))
        nlp = load(model)
    ev = evaluate_records(dev, predict_records(nlp, dev))
    if REL_NAME in nlp.pipe_names:
        docs, scores = relation_scores(nlp, dev, gold_entities=True)
        ev.relations["gold_entities"] = evaluate_relations(
            dev, records_at(nlp, docs, scores, nlp.get_pipe(REL_NAME).threshold)
        )
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "evaluation.json").write_text(
        json.dumps(ev.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    render_html(nlp, dev, output_dir / "dev.html")
    msg.divider(f"Entities on dev ({len(dev)} paragraphs)")
    print(format_scores(ev.entities))
    for setting, table in ev.relations.items():
        msg.divider(f"Relations, {setting}")
        print(format_scores(table))
    msg.good(f"Wrote {output_dir / 'evaluation.json'} and {output_dir / 'dev.html'}")
