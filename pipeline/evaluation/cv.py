"""Cross-validation by document: every annotated document is held out once. Each fold trains the
whole pipeline from a config on the other documents (the config's fixed step count, last
checkpoint, the relation threshold in the config: nothing is chosen on the fold it reports) and
scores the held-out documents: entities per label, relations end to end and with gold entities,
by type, head label and head-tail distance, beside the nearest-head rule on the same fold.

The shift split is one more fold that mimics new articles, whose relations are longer than the
corpus's: it trains on the documents whose relations are shortest and tests on the rest."""

import multiprocessing
import re
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from ..components.lac_features import one_thread_per_process
from ..corpus import splits
from ..corpus.files import doc_ids, write_records
from ..corpus.records import Record
from ..inference import load_pipeline
from ..io import read_json
from ..relations.candidates import gap
from ..relations.extractor import NAME as REL_NAME
from .baselines import nearest_head
from .metrics import evaluate_records, predict_records
from .relations import evaluate_relations, reachable, records_at, relation_scores, relations_beside_rule

THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(2, 19))  # 0.10 ... 0.90
SHIFT_TEST_SHARE = 1 / 3  # of all relations, in the documents whose relations are longest


def folds_by_document(records: Sequence[Record], k: int) -> List[List[str]]:
    """The corpus's articles in `k` folds with about equal entity counts (largest document first,
    into the lightest fold); deterministic. Extra training documents (splits.is_extra) are in no
    fold: every fold trains on them."""
    records = [r for r in records if not splits.is_extra(r.doc_id)]
    if not 2 <= k <= len(doc_ids(records)):
        raise FoldCountError(f"--cv needs 2 to {len(doc_ids(records))} folds (one per document at most), not {k}")
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


def shift_split(records: Sequence[Record], share: float = SHIFT_TEST_SHARE) -> List[str]:
    """The test documents of the shift split: those whose relations are longest on average (mean
    characters between head and tail), taken longest first until they hold `share` of all
    relations. Documents without relations, and extra training documents, stay in training."""
    gaps: Dict[str, List[int]] = {}
    for rec in (r for r in records if not splits.is_extra(r.doc_id)):
        by_id = {e.id: e for e in rec.entities}
        for rel in rec.relations:
            gaps.setdefault(rec.doc_id, []).append(gap(by_id[rel.head], by_id[rel.tail]))
    total = sum(len(g) for g in gaps.values())
    test: List[str] = []
    held = 0
    for doc in sorted(gaps, key=lambda d: (-sum(gaps[d]) / len(gaps[d]), d)):
        if held >= share * total:
            break
        test.append(doc)
        held += len(gaps[doc])
    return sorted(test)


def run_fold(
    fold: Any,
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
    """Scores of a trained pipeline on held-out records, beside the nearest-head rule's."""
    nlp = load_pipeline(model)
    predicted = predict_records(nlp, test)
    out: Dict[str, Any] = {
        "entities": evaluate_records(test, predicted).entities,
        "predictions": [r.to_json() for r in predicted],
    }
    if REL_NAME not in nlp.pipe_names or not any(r.relations for r in train):
        return out
    threshold = nlp.get_pipe(REL_NAME).threshold
    out["threshold"] = threshold
    grid = sorted(set(THRESHOLDS) | {threshold})
    shipped = {}
    for setting, gold_entities in (("end_to_end", False), ("gold_entities", True)):
        docs, scores = relation_scores(nlp, test, gold_entities=gold_entities)
        at = {t: records_at(nlp, docs, scores, t) for t in grid}
        out[f"relations_{setting}"] = {str(t): evaluate_relations(test, recs) for t, recs in at.items()}
        shipped[setting] = at[threshold]
    out["breakdown"] = relations_beside_rule(test, shipped)
    out["reachable"] = reachable(test, predicted)
    rule = {"end_to_end": [nearest_head(p) for p in predicted], "gold_entities": [nearest_head(r) for r in test]}
    out["baselines"] = {f"rule_{s}": evaluate_relations(test, recs) for s, recs in rule.items()}
    return out


def cross_validate(
    config: Path,
    records: Sequence[Record],
    k: int,
    overrides: Optional[Dict[str, Any]] = None,
    jobs: int = 1,
    log_dir: Optional[Path] = None,
    shift: bool = False,
) -> List[Dict[str, Any]]:
    """Run every fold (`jobs` at a time, in spawned processes) and return their scores in fold
    order; fold i's training log goes to log_dir/fold<i>.log. With `shift`, the shift split runs
    as one more fold, "shift", last in the list."""
    folds: List[Tuple[Any, List[str]]] = list(enumerate(folds_by_document(records, k)))
    if shift:
        folds.append(("shift", shift_split(records)))
    log_dir = Path(log_dir or tempfile.gettempdir())
    with tempfile.TemporaryDirectory(prefix="cv-") as tmp:
        args = [
            (i, Path(config), list(records), f, Path(tmp) / f"fold{i}", dict(overrides or {}), log_dir / f"fold{i}.log")
            for i, f in folds
        ]
        if jobs == 1:
            return [_run_or_say(a, lambda a=a: run_fold(*a)) for a in args]
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(jobs, mp_context=spawn, initializer=one_thread_per_process) as pool:
            futures = [pool.submit(run_fold, *a) for a in args]
            return [_run_or_say(a, future.result) for a, future in zip(args, futures)]


class FoldCountError(ValueError):
    """More folds than documents, or fewer than two: the user's choice of K, said as a message."""


class FoldError(RuntimeError):
    """A fold could not be trained or scored: which fold, what went wrong, and where its log is."""


def _run_or_say(args: Sequence[Any], outcome: Callable[[], Dict[str, Any]]) -> Dict[str, Any]:
    """A fold's scores, or a FoldError: one line that names the fold, the error's first line and
    the fold's log, where the whole error (with the worker's traceback) is appended."""
    try:
        return outcome()
    except (Exception, SystemExit) as err:  # spaCy's trainer exits after printing a config error
        log = Path(args[-1])
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as f:
            f.write("".join(traceback.format_exception(type(err), err, err.__traceback__)))
            f.write(str(getattr(err, "__cause__", "") or ""))
        what = f"{type(err).__name__}: {(str(err).strip().splitlines() or [''])[0]}"
        if isinstance(err, SystemExit):
            said = [line for line in log.read_text(encoding="utf-8").splitlines() if "✘" in line]
            what = re.sub(r"\x1b\[[0-9;]*m", "", said[-1]).strip(" ✘") if said else f"the trainer exited ({err.code})"
        raise FoldError(f"fold {args[0]} failed: {what} (the whole error: {log})") from None


def write_results(results: Sequence[Dict[str, Any]], summary: Dict[str, Any], out_dir: Path) -> Path:
    """cv.json (summary and per-fold scores), cv_predictions.jsonl (the folds' held-out
    predictions: each paragraph once) and, with the shift split, cv_predictions_shift.jsonl (its
    own: the same paragraphs again, from another training)."""
    from ..io import write_json, write_jsonl

    out_dir.mkdir(parents=True, exist_ok=True)
    folds = [{k: v for k, v in r.items() if k != "predictions"} for r in results]
    write_json(out_dir / "cv.json", {"summary": summary, "folds": folds})
    for name, part in (("cv_predictions", False), ("cv_predictions_shift", True)):
        chosen = [r for r in results if (r.get("fold") == "shift") == part]
        if chosen:
            write_jsonl(out_dir / f"{name}.jsonl", (p for r in chosen for p in r.get("predictions", [])))
    return out_dir / "cv.json"


def load_results(path: Path) -> Dict[str, Any]:
    return read_json(path)
