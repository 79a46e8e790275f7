"""Cross-validation by document: every annotated document is held out once. Each fold trains the
whole pipeline from a config on the other documents (the config's fixed step count, last
checkpoint, the relation threshold in the config: nothing is chosen on the fold it reports) and
scores the held-out documents: entities per label, relations end to end and with gold entities,
and the relation baselines on the same fold."""

import json
import multiprocessing
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from ..corpus import splits
from ..corpus.files import doc_ids, write_records
from ..corpus.records import Record
from ..relations.extractor import NAME as REL_NAME
from .metrics import evaluate_records, predict_records
from .relations import evaluate_relations, reachable, records_at, relation_scores

THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(2, 19))  # 0.10 ... 0.90


def folds_by_document(records: Sequence[Record], k: int) -> List[List[str]]:
    """Documents in `k` folds with about equal entity counts (largest document first, into the
    lightest fold); deterministic."""
    if not 2 <= k <= len(doc_ids(records)):
        raise ValueError(f"--cv needs 2 to {len(doc_ids(records))} folds (one per document at most), not {k}")
    weight: Dict[str, int] = {}
    for r in records:
        weight[r.doc_id] = weight.get(r.doc_id, 0) + len(r.entities) + 1
    folds: List[List[str]] = [[] for _ in range(k)]
    load = [0] * k
    for doc in sorted(weight, key=lambda d: (-weight[d], d)):
        i = load.index(min(load))
        folds[i].append(doc)
        load[i] += weight[doc]
    return [sorted(f) for f in folds]


def run_fold(
    fold: int,
    config: Path,
    records: Sequence[Record],
    held_out: Sequence[str],
    workdir: Path,
    overrides: Dict[str, Any],
    log: Path,
) -> Dict[str, Any]:
    """Train on every document but `held_out`, score the held-out ones; a JSON-ready dict. The
    trainer's output goes to `log`; the fold runs on one core (folds run side by side)."""
    from threadpoolctl import threadpool_limits

    from ..training.train import train_pipeline

    start = time.perf_counter()
    workdir.mkdir(parents=True, exist_ok=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    write_records(workdir / "gold.jsonl", records)
    splits.save(workdir / "splits.json", {d: splits.DEV if d in held_out else splits.TRAIN for d in doc_ids(records)})
    with log.open("w", encoding="utf-8") as f, redirect_stdout(f), redirect_stderr(f), threadpool_limits(1):
        model = train_pipeline(
            config, workdir / "model", overrides, gold=workdir / "gold.jsonl", progress=False,
            build_dir=workdir / "build", splits_file=workdir / "splits.json", holdout=True, checkpoint="last",
        )  # fmt: skip
        test = [r for r in records if r.doc_id in held_out]
        train = [r for r in records if r.doc_id not in held_out]
        scores = score_fold(model, train, test)
    scores.update(fold=fold, documents=list(held_out), seconds=round(time.perf_counter() - start, 1))
    return scores


def score_fold(model: Path, train: Sequence[Record], test: Sequence[Record]) -> Dict[str, Any]:
    """Scores of a trained pipeline on held-out records, with the baselines fitted on `train`."""
    from ..api import load
    from ..training.readers import pre_ner_tokenizer
    from .baselines import LogRegBaseline, nearest_actor

    nlp = load(model)
    predicted = predict_records(nlp, test)
    out: Dict[str, Any] = {
        "entities": evaluate_records(test, predicted).entities,
        "predictions": [r.to_json() for r in predicted],
    }
    if REL_NAME not in nlp.pipe_names or not any(r.relations for r in train):
        return out
    threshold = nlp.get_pipe(REL_NAME).threshold
    out["threshold"] = threshold
    for setting, gold_entities in (("end_to_end", False), ("gold_entities", True)):
        docs, scores = relation_scores(nlp, test, gold_entities=gold_entities)
        grid = sorted(set(THRESHOLDS) | {threshold})
        out[f"relations_{setting}"] = {str(t): evaluate_relations(test, records_at(nlp, docs, scores, t)) for t in grid}
    out["reachable"] = reachable(test, predicted)
    tokenize = pre_ner_tokenizer(nlp)
    logreg = LogRegBaseline(tokenize).fit(train)
    out["baselines"] = {
        "logreg_gold_entities": evaluate_relations(test, [logreg.predict(r) for r in test]),
        "logreg_end_to_end": evaluate_relations(test, [logreg.predict(p) for p in predicted]),
        "rule_gold_entities": evaluate_relations(test, [nearest_actor(r, tokenize) for r in test]),
        "rule_end_to_end": evaluate_relations(test, [nearest_actor(p, tokenize) for p in predicted]),
    }
    return out


def cross_validate(
    config: Path,
    records: Sequence[Record],
    k: int,
    overrides: Optional[Dict[str, Any]] = None,
    jobs: int = 1,
    log_dir: Optional[Path] = None,
) -> List[Dict[str, Any]]:
    """Run every fold (`jobs` at a time, in spawned processes) and return their scores in fold
    order; fold i's training log goes to log_dir/fold<i>.log."""
    folds = folds_by_document(records, k)
    log_dir = Path(log_dir or tempfile.gettempdir())
    with tempfile.TemporaryDirectory(prefix="cv-") as tmp:
        args = [
            (i, Path(config), list(records), f, Path(tmp) / f"fold{i}", dict(overrides or {}), log_dir / f"fold{i}.log")
            for i, f in enumerate(folds)
        ]
        if jobs == 1:
            return [run_fold(*a) for a in args]
        from ..components.lac_features import one_thread_per_process

        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(jobs, mp_context=spawn, initializer=one_thread_per_process) as pool:
            return list(pool.map(run_fold, *zip(*args)))


def write_results(results: Sequence[Dict[str, Any]], summary: Dict[str, Any], out_dir: Path) -> Path:
    """cv.json (summary and per-fold scores) and cv_predictions.jsonl (held-out predictions)."""
    from ..io import write_json, write_jsonl

    out_dir.mkdir(parents=True, exist_ok=True)
    folds = [{k: v for k, v in r.items() if k != "predictions"} for r in results]
    write_json(out_dir / "cv.json", {"summary": summary, "folds": folds})
    write_jsonl(out_dir / "cv_predictions.jsonl", (p for r in results for p in r.get("predictions", [])))
    return out_dir / "cv.json"


def load_results(path: Path) -> Dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))
