"""The relation extractor's threshold: the one with the best end-to-end relation F1 on dev."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional, Sequence, Tuple

import numpy
from spacy.language import Language

from ..corpus.records import Record
from ..evaluation.relations import evaluate_relations, records_at, relation_scores
from ..relations.extractor import NAME as REL_NAME

GRID = tuple(round(float(x), 2) for x in numpy.arange(0.05, 0.96, 0.05))


def tune_threshold(nlp: Language, dev: Sequence[Record], grid: Sequence[float] = GRID) -> Tuple[float, float]:
    """The threshold with the best end-to-end relation F1 on `dev`: (threshold, F1); ties go to
    the threshold nearest 0.5."""
    docs, scores = relation_scores(nlp, dev, gold_entities=False)
    results = [(evaluate_relations(dev, records_at(nlp, docs, scores, t))["micro"]["f"], t) for t in grid]
    best_f, best_t = max(results, key=lambda x: (x[0], -abs(x[1] - 0.5)))
    return best_t, best_f


def tune_relations(model_dir: Path, gold: Optional[Path] = None) -> Optional[float]:
    """Set the relation extractor's threshold to the best end-to-end F1 on dev and save it."""
    import spacy

    from .data import gold_splits, load_gold

    nlp = spacy.load(model_dir)
    if REL_NAME not in nlp.pipe_names:
        return None
    _, dev = gold_splits(load_gold(gold))
    if not any(r.relations for r in dev):
        return None
    threshold, f1 = tune_threshold(nlp, dev)
    nlp.get_pipe(REL_NAME).threshold = threshold
    nlp.config["components"][REL_NAME]["threshold"] = threshold
    nlp.to_disk(model_dir)
    print(
        f"Relation threshold tuned on dev: {threshold:.2f} (end-to-end relation F1 {f1:.3f})",
        file=sys.stderr,
        flush=True,
    )
    return threshold
