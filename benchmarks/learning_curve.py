"""Does the annotation loop save work? A simulation with cross-validation by document.

The article documents of corpus/gold.jsonl are cut into folds (pipeline.evaluation.cv.folds_by_document);
each fold is held out once and scored, while the other articles form the pool of paragraphs "to
annotate". Training starts from the four seed articles (000-003) and adds `--batch` paragraphs a
round, chosen (a) at random or (b) least confident first: the lowest `result.confidence` of
pipeline.tag_many under the model of the previous round, what `doccano push --limit` does (or (c)
`entity-uncertainty`: the most uncertainty summed over the suggested spans and relations). Every
round retrains the whole pipeline (fast setting: fixed steps, no MSRA data, last checkpoint) and
scores entities and relations (end to end) on the held-out documents. Prints the mean curves, how
many paragraphs each strategy needs to reach the random strategy's final score, and draws the
curves (matplotlib: pip install -e ".[bench]"). Results are cached per fold/seed/strategy in --json.

    python benchmarks/learning_curve.py --folds 3 --seeds 2 --batch 20 --rounds 4 --steps 600 --jobs 2
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import random
import subprocess
import sys
import tempfile
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from statistics import mean, stdev
from typing import Any, Dict, List, Optional, Sequence, Tuple

from pipeline import paths
from pipeline.corpus import read_records, splits, write_records
from pipeline.corpus.files import doc_ids
from pipeline.corpus.records import Record
from pipeline.evaluation.cv import folds_by_document

SEED_DOCS = ("000", "001", "002", "003")
STRATEGIES = ("random", "least-confident", "entity-uncertainty")


def overrides(steps: int, seed: int) -> Dict[str, Any]:
    """The fast training setting of the simulation (the rest is configs/default.cfg)."""
    return {
        "training.max_steps": steps,
        "training.eval_frequency": steps,
        "corpora.train.msra_org": 0,
        "corpora.train.msra_plain": 0,
        "system.seed": seed,
    }


def train_and_score(
    train: List[Record], test: List[Record], pool: List[Record], args: Dict[str, Any], strategy: str, log: Path
) -> Tuple[Dict[str, float], List[float]]:
    """Train on `train`, score `test`, and rank `pool` by the model's uncertainty. Runs in a fresh
    process each time (memory grows by hundreds of MB a training within one process)."""
    from threadpoolctl import threadpool_limits

    import pipeline
    from pipeline.evaluation.metrics import evaluate_records, predict_records
    from pipeline.training.train import train_pipeline

    with tempfile.TemporaryDirectory(prefix="lc-") as tmp, log.open("a") as f, redirect_stdout(f), redirect_stderr(f):
        work = Path(tmp)
        write_records(work / "gold.jsonl", train + test)
        held = set(doc_ids(test))
        splits.save(work / "splits.json", {d: splits.DEV if d in held else splits.TRAIN for d in doc_ids(train + test)})
        with threadpool_limits(1):
            model = train_pipeline(
                args["config"], work / "model", overrides(args["steps"], args["seed"]), gold=work / "gold.jsonl",
                progress=False, build_dir=work / "build", splits_file=work / "splits.json", holdout=True,
                checkpoint="last",
            )  # fmt: skip
            nlp = pipeline.load(model)
            ev = evaluate_records(test, predict_records(nlp, test))
            doubt = [uncertainty(r, strategy) for r in pipeline.tag_many([r.text for r in pool], nlp=nlp)]
    rels = ev.relations.get("end_to_end", {}).get("micro", {"f": 0.0})
    return {"ents_f": ev.entities["micro"]["f"], "rels_f": rels["f"]}, doubt


def uncertainty(result, strategy: str) -> float:
    """Higher = ask a human first. least-confident: 1 - the least confident NER decision (no
    suggestion at all counts as certain, as push ranks it last); entity-uncertainty: the summed
    doubt over suggested spans (1 - score) and relations (closeness of the score to 0.5)."""
    if strategy == "least-confident":
        return 0.0 if result.confidence is None else 1.0 - result.confidence
    spans = sum(1.0 - s.score for s in result.spans if s.score is not None)
    return spans + sum(1.0 - 2 * abs((r.score or 0.5) - 0.5) for r in result.relations)


def run_chain(fold: int, seed: int, strategy: str, args: Dict[str, Any], procs: Executor) -> List[Dict[str, Any]]:
    """One learning curve: budgets 0, batch, 2*batch, ... (and the whole pool for `full`); every
    training is a task of `procs`."""
    records = read_records(args["gold"])
    held = set(args["folds"][fold])
    test = [r for r in records if r.doc_id in held]
    pool = [r for r in records if r.doc_id not in held and r.doc_id not in SEED_DOCS]
    chosen: List[Record] = []
    remaining = list(pool)
    random.Random(f"{seed}/{fold}").shuffle(remaining)
    budgets = [len(pool)] if strategy == "full" else [args["batch"] * i for i in range(args["rounds"] + 1)]
    seeds = [r for r in records if r.doc_id in SEED_DOCS]
    points = []
    log = Path(args["log_dir"]) / f"fold{fold}-seed{seed}-{strategy}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("")
    for budget in budgets:
        if strategy in ("random", "full"):
            chosen, remaining = chosen + remaining[: budget - len(chosen)], remaining[budget - len(chosen) :]
        if strategy == "random" and budget == 0 and args["share_start"]:
            continue  # the seeds-only model is the same for every strategy: least-confident scores it
        guided = strategy not in ("random", "full") and budget < budgets[-1]
        job = (seeds + chosen, test, remaining if guided else [], {**args, "seed": seed}, strategy, log)
        scores, doubt = procs.submit(train_and_score, *job).result()
        points.append(point(fold, seed, strategy, chosen, scores))
        if guided:
            picked = set(sorted(range(len(remaining)), key=lambda i: (-doubt[i], i))[: args["batch"]])
            chosen = chosen + [r for i, r in enumerate(remaining) if i in picked]
            remaining = [r for i, r in enumerate(remaining) if i not in picked]
    return points


def point(fold: int, seed: int, strategy: str, chosen: Sequence[Record], scores: Dict[str, float]) -> Dict[str, Any]:
    return {
        "fold": fold, "seed": seed, "strategy": strategy, "paragraphs": len(chosen),
        "entities": sum(len(r.entities) for r in chosen), "chars": sum(len(r.text) for r in chosen), **scores,
    }  # fmt: skip


def mean_curve(
    points: Sequence[Dict[str, Any]], strategy: str, start: Sequence[Dict[str, Any]]
) -> List[Dict[str, float]]:
    """Mean over folds and seeds per budget (the shared seeds-only point included)."""
    rows = [p for p in points if p["strategy"] == strategy] + [dict(p, strategy=strategy) for p in start]
    out = []
    for budget in sorted({p["paragraphs"] for p in rows}):
        at = [p for p in rows if p["paragraphs"] == budget]
        out.append({k: mean(p[k] for p in at) for k in ("paragraphs", "entities", "chars", "ents_f", "rels_f")})
    return out


def needed(curve: Sequence[Dict[str, float]], metric: str, target: float, x: str = "paragraphs") -> Optional[float]:
    """How much `x` (paragraphs, entities or characters annotated) a mean curve needs to reach
    `target` first (linear between budgets); None if it never does."""
    prev = None
    for p in curve:
        if p[metric] >= target - 1e-9:
            if prev is None or p[metric] == prev[metric]:
                return p[x]
            frac = (target - prev[metric]) / (p[metric] - prev[metric])
            return prev[x] + frac * (p[x] - prev[x])
        prev = p
    return None


def report(points: List[Dict[str, Any]], strategies: Sequence[str]) -> Dict[str, Any]:
    """Print the mean curves and what each strategy needs to reach random's final score: paragraphs,
    and entities and characters annotated (closer to the work a paragraph costs)."""
    start = [p for p in points if p["paragraphs"] == 0 and p["strategy"] != "full"]
    start = [p for p in start if p["strategy"] == start[0]["strategy"]] if start else []
    curves = {s: mean_curve([p for p in points if p["paragraphs"] > 0], s, start) for s in strategies}
    full = [p for p in points if p["strategy"] == "full"]
    for s, curve in curves.items():
        print(f"\n{s}:  paragraphs  entities  chars   entities F  relations F")
        for p in curve:
            print(
                f"{'':<14}{p['paragraphs']:>8.0f}{p['entities']:>10.1f}{p['chars']:>7.0f}{p['ents_f']:>13.3f}{p['rels_f']:>13.3f}"
            )
    if full:
        f = {k: mean(p[k] for p in full) for k in ("paragraphs", "entities", "ents_f", "rels_f")}
        print(
            f"\nwhole pool ({f['paragraphs']:.0f} paragraphs, {f['entities']:.0f} entities on average): entities F {f['ents_f']:.3f}, relations F {f['rels_f']:.3f}"
        )
    summary: Dict[str, Any] = {"curves": curves, "needed": {}, "paired": paired(points, strategies)}
    for metric in ("ents_f", "rels_f"):
        final = curves["random"][-1]
        print(f"\n{metric}: random reaches {final[metric]:.3f} with {final['paragraphs']:.0f} paragraphs; to reach it:")
        for s, curve in curves.items():
            got = {x: needed(curve, metric, final[metric], x) for x in ("paragraphs", "entities", "chars")}
            shown = "  ".join("not reached" if v is None else f"{v:.0f} {x}" for x, v in got.items())
            print(f"  {s:<20} {shown}")
            summary["needed"].setdefault(metric, {})[s] = got
    return summary


def paired(points: List[Dict[str, Any]], strategies: Sequence[str]) -> Dict[str, Any]:
    """Each strategy minus random on the same fold, seed and budget: mean, spread and wins."""
    by_run = {(p["fold"], p["seed"], p["strategy"], p["paragraphs"]): p for p in points}
    out: Dict[str, Any] = {}
    for s in (s for s in strategies if s != "random"):
        print(f"\n{s} minus random, paired by fold and seed (mean ± sd, wins):")
        for budget in sorted({k[3] for k in by_run if k[2] == s and k[3] > 0}):
            pairs = [
                (p, by_run.get((p["fold"], p["seed"], "random", budget)))
                for p in points
                if p["strategy"] == s and p["paragraphs"] == budget
            ]
            pairs = [(a, b) for a, b in pairs if b is not None]
            cells = []
            for metric in ("ents_f", "rels_f"):
                diffs = [a[metric] - b[metric] for a, b in pairs]
                sd = stdev(diffs) if len(diffs) > 1 else 0.0
                wins = sum(d > 0 for d in diffs)
                out.setdefault(s, {}).setdefault(str(budget), {})[metric] = {
                    "mean": mean(diffs),
                    "sd": sd,
                    "wins": wins,
                    "runs": len(diffs),
                }
                cells.append(f"{metric} {mean(diffs):+.3f} ± {sd:.3f} ({wins}/{len(diffs)})")
            print(f"  {budget:>4} paragraphs: " + "   ".join(cells))
    return out


def plot(summary: Dict[str, Any], points: List[Dict[str, Any]], out: Path, title: str) -> None:
    """Entities F and relations F against paragraphs (top) and entities (bottom) annotated."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(11, 8))
    full = [p for p in points if p["strategy"] == "full"]
    for row, x in zip(axes, ("paragraphs", "entities")):
        for ax, metric, name in zip(row, ("ents_f", "rels_f"), ("entities F (micro)", "relations F (end to end)")):
            for s, curve in summary["curves"].items():
                (line,) = ax.plot([p[x] for p in curve], [p[metric] for p in curve], marker="o", label=s)
                runs = [p for p in points if p["strategy"] == s and p["paragraphs"] > 0]
                ax.scatter([p[x] for p in runs], [p[metric] for p in runs], s=8, alpha=0.3, color=line.get_color())
            if full:
                fx, fy = mean(p[x] for p in full), mean(p[metric] for p in full)
                ax.axhline(fy, ls="--", c="grey", lw=1)
                ax.plot([fx], [fy], marker="*", ms=12, c="grey", ls="none", label="whole pool")
            ax.set(xlabel=f"{x} annotated (beyond the 4 seed articles)", ylabel=name)
            ax.grid(alpha=0.3)
    axes[0][0].legend()
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=100)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--batch", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--steps", type=int, default=600)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--strategies", default="random,least-confident")
    ap.add_argument("--config", type=Path, default=paths.project_dir("configs") / "default.cfg")
    ap.add_argument("--json", type=Path, default=Path("benchmarks/learning_curve.json"))
    ap.add_argument("--plot", type=Path, default=Path("docs/learning_curve.png"))
    ap.add_argument("--report", action="store_true", help="Only print and plot the points in --json (no training)")
    a = ap.parse_args()
    strategies = [s for s in a.strategies.split(",") if s]
    if "random" not in strategies or any(s not in STRATEGIES for s in strategies):
        ap.error(f"--strategies: random plus any of {STRATEGIES}")
    cache = json.loads(a.json.read_text()) if a.json.exists() else {}
    if a.report:
        points = cache.get("points", [])
        print(f"points measured at {cache.get('measured_at')} with {cache.get('settings', {}).get('config')}")
    else:
        points = run(a, strategies, cache)
    summary = report(points, strategies)
    title = f"{a.folds}-fold CV by document x {a.seeds} seeds; batches of {a.batch}; {a.steps} steps, no MSRA"
    plot(summary, points, a.plot, title)
    print(f"\nplot: {a.plot}; points: {a.json}")


def run(a: argparse.Namespace, strategies: Sequence[str], cache: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Run the curves not in the cache (cached points count only with the same folds, settings and
    config file contents); the cache is written after every curve."""
    gold = paths.corpus().gold
    articles = [r for r in read_records(gold) if r.doc_id not in SEED_DOCS]
    folds = folds_by_document(articles, a.folds)
    settings = {
        "folds": folds, "batch": a.batch, "rounds": a.rounds, "steps": a.steps, "config": a.config.name,
        "config_sha256": hashlib.sha256(a.config.read_bytes()).hexdigest(),
    }  # fmt: skip
    points = cache.get("points", []) if cache.get("settings") == settings else []
    done = {(p["fold"], p["seed"], p["strategy"]) for p in points}
    args = {
        **settings,
        "config": str(a.config),
        "gold": str(gold),
        "log_dir": str(a.json.parent / "learning_curve_logs"),
    }
    args["share_start"] = "least-confident" in strategies or any(
        (f, s, "least-confident") in done for f in range(a.folds) for s in range(a.seeds)
    )
    todo = [
        (f, s, st)
        for f in range(a.folds)
        for s in range(a.seeds)
        for st in [*strategies, "full"]
        if (f, s, st) not in done
    ]
    print(f"folds (held-out articles): {[len(f) for f in folds]}; {len(todo)} curves to run, {a.jobs} at a time")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    fresh = {"max_tasks_per_child": 1} if sys.version_info >= (3, 11) else {}  # one process a training
    with ProcessPoolExecutor(a.jobs, mp_context=multiprocessing.get_context("spawn"), **fresh) as procs:
        with ThreadPoolExecutor(a.jobs) as chains:  # at most `jobs` curves, so `jobs` trainings, at a time
            for done_chain in as_completed([chains.submit(run_chain, *t, args, procs) for t in todo]):
                points += done_chain.result()
                record = {"measured_at": commit or None, "settings": settings, "points": points}
                a.json.write_text(json.dumps(record, indent=1) + "\n")
    return points


if __name__ == "__main__":
    main()
