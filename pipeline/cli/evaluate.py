"""`evaluate`: cross-validation by document (`--cv K`, the project's accuracy estimate), or the
scores of a trained pipeline on the dev split."""

import json
from pathlib import Path

import typer

from ._util import app, msg, parse_overrides, user_errors


@app.command("evaluate", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def evaluate_cmd(
    ctx: typer.Context,
    cv: int = typer.Option(
        0, "--cv", min=0, help="Cross-validate: K folds by document, the whole pipeline trained per fold"
    ),
    config: Path = typer.Option(None, "--config", "-c", help="Config to cross-validate (default configs/default.cfg)"),
    jobs: int = typer.Option(2, "--jobs", "-j", min=1, help="Folds trained side by side (one core each)"),
    model: Path = typer.Option(
        None, "--model", "-m", help="Without --cv: the pipeline to score (default models/default)"
    ),
    gold: Path = typer.Option(None, help="Gold JSONL (default corpus/gold.jsonl)"),
    output_dir: Path = typer.Option(Path("models/evaluation"), "--output-dir", "-o", help="Where to write the results"),
) -> None:
    """With --cv K: train the config on all documents but one fold, score the fold, for each of K
    folds; print mean, spread and pooled P/R/F per label (cv.json, cv_predictions.jsonl). Without:
    score a trained pipeline on the dev split (evaluation.json, dev.html). Extra `--section.key
    value` arguments override the config, as with `spacy train`."""
    if cv:
        _cross_validate(cv, config, jobs, gold, output_dir, parse_overrides(ctx.args))
    else:
        _evaluate_model(model, gold, output_dir)


def _cross_validate(k: int, config, jobs: int, gold, output_dir: Path, overrides) -> None:
    from ..evaluation.cv import cross_validate, write_results
    from ..evaluation.cv_report import format_summary, summarize
    from ..training.data import load_gold
    from ..training.train import default_config

    config = Path(config or default_config())
    with user_errors():
        records = load_gold(gold)
        if not config.exists():
            raise FileNotFoundError(f"{config}: no such config")
    msg.info(f"Cross-validating {config} over {k} folds by document ({jobs} at a time); each fold trains a pipeline")
    results = cross_validate(config, records, k, overrides, jobs=jobs, log_dir=output_dir)
    summary = summarize(results)
    path = write_results(results, summary, output_dir)
    msg.divider(f"Cross-validation of {config.name}")
    print(format_summary(summary))
    msg.good(f"Wrote {path} and {path.parent / 'cv_predictions.jsonl'}")


def _evaluate_model(model, gold, output_dir: Path) -> None:
    from ..api import load
    from ..evaluation.metrics import evaluate_records, format_scores, predict_records
    from ..evaluation.relations import REL_NAME, evaluate_relations, records_at, relation_scores
    from ..evaluation.render import render_html
    from ..training.data import gold_splits, load_gold
    from ..training.train import training_documents

    with user_errors():
        _, dev = gold_splits(load_gold(gold))
        nlp = load(model)
    seen = set(training_documents(nlp) or ()) & {r.doc_id for r in dev}
    if seen:
        msg.warn(
            f"The pipeline was trained on {len(seen)} of the dev documents: these are training-set figures, not estimates (use --cv)"
        )
    ev = evaluate_records(dev, predict_records(nlp, dev))
    if REL_NAME in nlp.pipe_names:
        docs, scores = relation_scores(nlp, dev, gold_entities=True)
        threshold = nlp.get_pipe(REL_NAME).threshold
        ev.relations["gold_entities"] = evaluate_relations(dev, records_at(nlp, docs, scores, threshold))
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
