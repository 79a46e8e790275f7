"""`evaluate`: cross-validation by document (`--cv K`, the project's accuracy estimate), or the
scores of a trained pipeline on the dev split."""

from enum import Enum
from pathlib import Path
from typing import Dict, List, Optional

import typer

from ._util import app, msg, parse_overrides, user_errors


class Split(str, Enum):
    """Which paragraphs `evaluate` scores."""

    all = "all"
    dev = "dev"
    train = "train"


@app.command("evaluate", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def evaluate_cmd(
    ctx: typer.Context,
    cv: int = typer.Option(
        0, "--cv", min=0, help="Cross-validate: K folds by document, the whole pipeline trained per fold"
    ),
    config: Path = typer.Option(None, "--config", "-c", help="Config to cross-validate (default configs/default.cfg)"),
    jobs: int = typer.Option(2, "--jobs", "-j", min=1, help="Folds trained side by side (one core each)"),
    seeds: str = typer.Option(
        None, "--seeds", help="With --cv: training seeds to repeat it with, e.g. 0,1,2 (default: the config's)"
    ),
    model: Path = typer.Option(
        None, "--model", "-m", help="Without --cv: the pipeline to score (default models/default)"
    ),
    shift: bool = typer.Option(
        True,
        "--shift/--no-shift",
        help="With --cv: also the shift split (trained on the documents with the shortest relations, tested on the "
        "rest; its predictions in cv_predictions_shift.jsonl)",
    ),
    gold: Path = typer.Option(None, help="Gold JSONL (default corpus/gold.jsonl)"),
    split: Optional["Split"] = typer.Option(
        None,
        "--split",
        help="Without --cv: which paragraphs to score, all, dev or train (by the corpus's split; default dev, "
        "all with --gold)",
    ),
    output_dir: Path = typer.Option(Path("models/evaluation"), "--output-dir", "-o", help="Where to write the results"),
) -> None:
    """With --cv K: train the config on all documents but one fold, score the fold, for each of K
    folds; print mean, spread and pooled P/R/F per label (cv.json, cv_predictions.jsonl). Without:
    score a trained pipeline on the dev split, relations beside the nearest-head rule by type, head
    label and distance (evaluation.json; dev.html, gold and predicted side by side). Extra `--section.key
    value` arguments override the config, as with `spacy train`. With --seeds: once per training
    seed (output in seed<N>/), then the mean and spread over seeds (seeds.json). With --gold FILE:
    every paragraph of FILE (--split dev: those of the corpus's dev documents). No corpus file is
    changed."""
    if cv:
        overrides = parse_overrides(ctx.args)
        seed_list = _parse_seeds(seeds)
        if not seed_list:
            _cross_validate(cv, config, jobs, gold, output_dir, overrides, shift)
            return
        summaries = {
            seed: _cross_validate(
                cv, config, jobs, gold, output_dir / f"seed{seed}", {**overrides, "system.seed": seed}, shift
            )
            for seed in seed_list
        }
        _report_seeds(summaries, output_dir)
    else:
        _evaluate_model(model, gold, output_dir, split.value if split else ("all" if gold else "dev"))


def _parse_seeds(seeds: Optional[str]) -> List[int]:
    """ "0,1,2" -> [0, 1, 2]; a usage error for anything else."""
    if seeds is None:
        return []
    try:
        values = [int(x) for x in seeds.split(",") if x.strip()]
    except ValueError:
        values = []
    if not values or len(set(values)) != len(values):
        raise typer.BadParameter(f"{seeds!r}: give different whole numbers separated by commas, e.g. 0,1,2")
    return values


def _report_seeds(summaries: Dict[int, dict], output_dir: Path) -> None:
    from ..evaluation.cv_report import format_seeds, summarize_seeds
    from ..io import write_json

    table = summarize_seeds(summaries)
    write_json(output_dir / "seeds.json", table)
    msg.divider(f"Mean F over folds, per training seed ({len(summaries)} seeds)")
    print(format_seeds(table))
    msg.good(f"Wrote {output_dir / 'seeds.json'}")


def _cross_validate(k: int, config, jobs: int, gold, output_dir: Path, overrides, shift: bool) -> dict:
    from ..evaluation.cv import cross_validate, write_results
    from ..evaluation.cv_report import format_summary, summarize
    from ..training.data import load_gold
    from ..training.train import default_config

    config = Path(config or default_config())
    with user_errors():
        records = load_gold(gold)
        if not config.exists():
            raise FileNotFoundError(f"{config}: no such config")
    extra = " and the shift split" if shift else ""
    msg.info(f"Cross-validating {config} over {k} folds by document{extra} ({jobs} at a time); each trains a pipeline")
    with user_errors():
        results = cross_validate(config, records, k, overrides, jobs=jobs, log_dir=output_dir, shift=shift)
    summary = summarize(results)
    path = write_results(results, summary, output_dir)
    msg.divider(f"Cross-validation of {config.name}")
    print(format_summary(summary))
    shifted = " and cv_predictions_shift.jsonl" if shift else ""
    msg.good(f"Wrote {path}, {path.parent / 'cv_predictions.jsonl'}{shifted}")
    return summary


def _evaluate_model(model, gold, output_dir: Path, split: str) -> None:
    from ..api import load
    from ..evaluation.cv_report import format_breakdown
    from ..evaluation.metrics import evaluate_records, format_scores, predict_records
    from ..evaluation.relations import REL_NAME, evaluate_relations, records_at, relation_scores, relations_beside_rule
    from ..evaluation.render import render_html
    from ..io import write_json
    from ..training.data import gold_splits, load_gold
    from ..training.train import training_documents

    with user_errors():
        records = load_gold(gold)
        if split != "all":  # the split file is read, never written: scoring changes no corpus file
            train, dev = gold_splits(records, write=False)
            records = dev if split == "dev" else train
    if not records:
        msg.fail(f"{gold or 'the corpus'}: no paragraphs of the {split} split to score", exits=1)
    with user_errors():
        nlp = load(model)
    seen = set(training_documents(nlp) or ()) & {r.doc_id for r in records}
    if seen:
        msg.warn(
            f"The pipeline was trained on {len(seen)} of the documents scored: these are training-set figures, not estimates (use --cv)"
        )
    predicted = predict_records(nlp, records)
    ev = evaluate_records(records, predicted)
    breakdown = {}
    if REL_NAME in nlp.pipe_names:
        docs, scores = relation_scores(nlp, records, gold_entities=True)
        threshold = nlp.get_pipe(REL_NAME).threshold
        with_gold = records_at(nlp, docs, scores, threshold)
        ev.relations["gold_entities"] = evaluate_relations(records, with_gold)
        breakdown = relations_beside_rule(records, {"end_to_end": predicted, "gold_entities": with_gold})
    output_dir.mkdir(parents=True, exist_ok=True)
    write_json(output_dir / "evaluation.json", {**ev.to_dict(), "breakdown": breakdown})
    render_html(records, predicted, output_dir / f"{split}.html", ev.to_dict())
    msg.divider(f"Entities on {'every paragraph' if split == 'all' else split} ({len(records)} paragraphs)")
    print(format_scores(ev.entities))
    for setting, table in ev.relations.items():
        msg.divider(f"Relations, {setting}")
        print(format_scores(table))
    if breakdown:
        msg.divider("Relations by type, head label and distance, beside the nearest-head rule")
        print("\n".join(format_breakdown(breakdown)))
    msg.good(f"Wrote {output_dir / 'evaluation.json'} and {output_dir / f'{split}.html'}")
