"""The learning-curve benchmark's arithmetic: mean curves, paragraphs needed, uncertainty ranking."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def lc():
    spec = importlib.util.spec_from_file_location("learning_curve", ROOT / "benchmarks" / "learning_curve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _p(strategy, n, ents_f, rels_f=0.0, fold=0):
    return {"fold": fold, "seed": 0, "strategy": strategy, "paragraphs": n, "entities": n, "chars": 10 * n,
            "ents_f": ents_f, "rels_f": rels_f}  # fmt: skip


def test_mean_curve_shares_the_seeds_only_start(lc):
    start = [_p("least-confident", 0, 0.5), _p("least-confident", 0, 0.7, fold=1)]
    points = [_p("random", 20, 0.6), _p("random", 20, 0.8, fold=1)]
    curve = lc.mean_curve(points, "random", start)
    assert [(c["paragraphs"], round(c["ents_f"], 3)) for c in curve] == [(0, 0.6), (20, 0.7)]


@pytest.mark.parametrize(
    "values,target,expected",
    [
        ([0.5, 0.6, 0.7], 0.7, 40),  # reached at the last budget
        ([0.5, 0.7, 0.8], 0.6, 10),  # halfway between 0 and 20
        ([0.5, 0.55, 0.6], 0.7, None),  # never
        ([0.8, 0.7, 0.9], 0.75, 0),  # already there at the start
    ],
)
def test_paragraphs_needed_interpolates_between_budgets(lc, values, target, expected):
    curve = [{"paragraphs": 20 * i, "ents_f": v} for i, v in enumerate(values)]
    assert lc.needed(curve, "ents_f", target) == (pytest.approx(expected) if expected is not None else None)
    if expected is not None:  # the same point on another axis: 3 entities a paragraph here
        for c in curve:
            c["entities"] = 3 * c["paragraphs"]
        assert lc.needed(curve, "ents_f", target, x="entities") == pytest.approx(3 * expected)


def test_uncertainty_ranks_the_least_confident_and_the_most_doubted_first(lc):
    span = SimpleNamespace
    sure = SimpleNamespace(confidence=0.99, spans=[span(score=0.99)], relations=[])
    unsure = SimpleNamespace(confidence=0.4, spans=[span(score=0.6), span(score=None)], relations=[span(score=0.5)])
    assert lc.uncertainty(unsure, "least-confident") > lc.uncertainty(sure, "least-confident")
    assert lc.uncertainty(unsure, "entity-uncertainty") == pytest.approx(0.4 + 1.0)
    assert lc.uncertainty(sure, "entity-uncertainty") == pytest.approx(0.01)
