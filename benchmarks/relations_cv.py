"""Relation extraction cross-validated over the documents of the train split: 49 dev relations
cannot tell two relation models apart, 194 train relations in 5 document folds can do better.

Each fold trains the relation extractor alone (spaCy's trainer, the config's relation settings)
on a frozen encoder that never saw relation labels, then scores the held-out documents with gold
entities; counts are pooled over folds and the best threshold is reported. The logistic-regression
baseline runs on the same folds.

    python -m pipeline train -c configs/ner.cfg -o models/ner      # the encoder, once
    python benchmarks/relations_cv.py --encoder models/ner [--config configs/default.cfg]
        [--set components.dangjian_relation_extractor.model.n_hashed=0 ...] [--folds 5]

`--set key=` (nothing after =) removes a setting, e.g. to compare with RelationModel.v1:
    --set components.dangjian_relation_extractor.model.@architectures=dangjian.RelationModel.v1
          components.dangjian_relation_extractor.model.n_hashed=
          components.dangjian_relation_extractor.model.pooled_vectors=
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Dict, List, Sequence

import numpy
import spacy

import pipeline
from pipeline import paths
from pipeline.corpus import Record, splits, write_records
from pipeline.evaluation.baselines import LogRegBaseline
from pipeline.evaluation.metrics import prf
from pipeline.evaluation.relations import REL_NAME, evaluate_relations, records_at, relation_scores
from pipeline.training.data import gold_splits, load_gold
from pipeline.training.readers import pre_ner_tokenizer

GRID = [round(t, 2) for t in numpy.arange(0.1, 0.91, 0.05)]


def folds_by_document(records: Sequence[Record], k: int) -> List[List[str]]:
    """Documents in k folds with about equal relation counts (largest first, into the lightest)."""
    rels = Counter()
    for r in records:
        rels[r.meta["doc_id"]] += len(r.relations)
    folds: List[List[str]] = [[] for _ in range(k)]
    load = [0] * k
    for doc in sorted(rels, key=lambda d: (-rels[d], d)):
        i = load.index(min(load))
        folds[i].append(doc)
        load[i] += rels[doc]
    return folds


def relation_only_config(config_path: Path, encoder: Path, overrides: Dict[str, str]) -> spacy.util.Config:
    """The config with every component but the relation extractor frozen, and sourced from `encoder`
    where the encoder has it."""
    config = spacy.util.load_config(config_path, interpolate=False)
    enc = spacy.util.load_config(encoder / "config.cfg")
    width = enc["components"]["tok2vec"]["model"]["encode"]["width"]
    names = [n for n in config["nlp"]["pipeline"] if n != REL_NAME]
    for name in names:
        if name in enc["nlp"]["pipeline"]:  # a rule the encoder lacks keeps its own settings
            config["components"][name] = {"source": str(encoder.resolve())}
    config["components"][REL_NAME]["model"]["tok2vec"]["width"] = width
    training = config["training"]
    training["frozen_components"] = names
    training["annotating_components"] = [
        n for n in names if n in ("dangjian_token_splitter", "dangjian_lexical_features", "tok2vec")
    ]
    training["score_weights"] = {"rel_micro_f": 1.0, "rel_micro_p": 0.0, "rel_micro_r": 0.0}
    training["max_steps"] = 1500
    config["corpora"]["train"]["msra_org"] = 0
    config["corpora"]["train"]["msra_plain"] = 0
    config["initialize"]["components"] = {}
    for key, value in overrides.items():
        node = config
        *parents, last = key.split(".")
        for p in parents:
            node = node[p]
        if value == "":
            node.pop(last, None)  # key= removes a setting (e.g. one an older architecture lacks)
        else:
            try:
                node[last] = json.loads(value)  # numbers, true/false, lists
            except ValueError:
                node[last] = value  # a plain string
    return config


def run_fold(home: Path, config: Path, train: Sequence[Record], docs: Sequence[str], held_out: Sequence[str]) -> Path:
    (home / "corpus").mkdir(parents=True)
    (home / "models").mkdir()
    (home / "setup.cfg").write_text("")
    write_records(home / "corpus" / "gold.jsonl", train)
    splits.save(home / "corpus" / "splits.json", {d: splits.DEV if d in held_out else splits.TRAIN for d in docs})
    os.symlink(paths.pkuseg_dir(), home / "models" / "pkuseg")
    out = home / "models" / "rel"
    env = dict(os.environ, PIPELINE_HOME=str(home))
    log = home / "train.log"
    with log.open("w") as f:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pipeline",
                "train",
                "-c",
                str(config),
                "-o",
                str(out),
                "--training.logger.progress_bar",
                "false",
            ],
            env=env,
            stdout=f,
            stderr=subprocess.STDOUT,
        )
    if done.returncode:
        raise SystemExit(f"fold training failed, see {log}:\n" + log.read_text()[-2000:])
    return out


def pooled_f(counts: Dict[float, List[int]]) -> str:
    scores = {t: prf(*c)["f"] for t, c in counts.items()}
    best = max(scores, key=scores.get)
    return f"F1 {scores[best]:.3f} at threshold {best:.2f} (at 0.50: {scores[0.5]:.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--encoder", required=True, type=Path, help="a pipeline trained without relations (configs/ner.cfg)"
    )
    parser.add_argument("--config", type=Path, default=paths.project_dir("configs") / "default.cfg")
    parser.add_argument("--set", nargs="*", default=[], help="config overrides section.key=value")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    train, _ = gold_splits(load_gold())
    docs = sorted({r.meta["doc_id"] for r in train})
    folds = folds_by_document(train, args.folds)
    overrides = dict(s.split("=", 1) for s in args.set)
    learned = {t: [0, 0, 0] for t in GRID}
    logreg = {t: [0, 0, 0] for t in GRID}
    tokenize = pre_ner_tokenizer(pipeline.load(args.encoder))
    with tempfile.TemporaryDirectory(prefix="relcv-") as tmp:
        config = Path(tmp) / "relations.cfg"
        relation_only_config(args.config, args.encoder, overrides).to_disk(config)
        for i, held_out in enumerate(folds):
            fold_train = [r for r in train if r.meta["doc_id"] not in held_out]
            fold_test = [r for r in train if r.meta["doc_id"] in held_out]
            print(
                f"fold {i + 1}/{len(folds)}: {len(held_out)} documents, {sum(len(r.relations) for r in fold_test)} relations held out",
                flush=True,
            )
            nlp = pipeline.load(run_fold(Path(tmp) / f"fold{i}", config, train, docs, held_out))
            scored_docs, scores = relation_scores(nlp, fold_test, gold_entities=True)
            lr = LogRegBaseline(tokenize).fit(fold_train)
            for t in GRID:
                for counts, pred in (
                    (learned, records_at(nlp, scored_docs, scores, t)),
                    (logreg, [lr.predict(r, t) for r in fold_test]),
                ):
                    s = evaluate_relations(fold_test, pred)["micro"]
                    counts[t][0] += s["tp"]
                    counts[t][1] += s["fp"]
                    counts[t][2] += s["fn"]
    n = sum(len(r.relations) for r in train)
    print(f"{len(docs)} train documents, {n} relations, {len(folds)} folds; gold entities, pooled counts")
    print(f"learned component ({args.config.name}{' ' + ' '.join(args.set) if args.set else ''}): {pooled_f(learned)}")
    print(f"logistic regression: {pooled_f(logreg)}")


if __name__ == "__main__":
    main()
