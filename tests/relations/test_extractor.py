"""The trainable relation extractor: learning, decoding, the loss, serialisation."""

import numpy
import pytest
import spacy
from spacy.util import fix_random_seed
from thinc.api import SGD

import pipeline
from pipeline.extensions import relation_triples
from pipeline.relations.candidates import Mention, Sentence, TailChoice
from pipeline.relations.extractor import RelationExtractor

from .conftest import TEXT, _doc, _train_examples

REL = "dangjian_relation_extractor"


def _trained(n_steps=60, **config):
    nlp, egs, _ = _train_examples()
    nlp.add_pipe(REL, config={"model": {"@architectures": "dangjian.RelationChoice.v1", "length": 4096}, **config})
    optimizer = nlp.initialize(lambda: egs)
    losses = [nlp.update(egs, sgd=optimizer, losses={})[REL] for _ in range(n_steps)]
    return nlp, losses


@pytest.mark.parametrize("solver", ["sgd", "lbfgs"])
def test_component_learns_a_tiny_example_and_round_trips(tmp_path, solver):
    nlp, losses = _trained(solver=solver, l2=0.001)
    if solver == "sgd":
        assert losses[-1] < losses[0] / 5
    rel = nlp.get_pipe(REL)
    doc = rel(_doc())
    found = {(h.text, t.text, lab) for h, t, lab, _ in relation_triples(doc)}
    assert found == {
        ("市直机关工委", "三航行动", "LAUNCHED"),
        ("三航行动", "18场", "ACHIEVED"),
        ("省交通运输厅", "86.34万元", "ACHIEVED"),
    }
    rel.threshold = 0.7
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.get_pipe(REL).threshold == 0.7
    again = loaded.get_pipe(REL)(_doc())
    assert again._.rel == doc._.rel  # same relations, same scores


def test_lbfgs_fits_in_initialize_and_training_steps_leave_the_weights():
    nlp, egs, _ = _train_examples()
    rel = nlp.add_pipe(
        REL,
        config={
            "model": {"@architectures": "dangjian.RelationChoice.v1", "length": 4096},
            "solver": "lbfgs",
            "l2": 0.01,
        },
    )
    optimizer = nlp.initialize(lambda: egs)
    fitted = rel.model.get_param("W").copy()
    assert numpy.abs(fitted).sum() > 0  # fitted in initialize
    for _ in range(3):
        assert nlp.update(egs, sgd=optimizer, losses={})[REL] == 0.0
    assert numpy.array_equal(rel.model.get_param("W"), fitted)  # no step, no weight decay


def test_an_unknown_solver_is_refused():
    with pytest.raises(ValueError, match="solver"):
        spacy.blank("zh").add_pipe(REL, config={"solver": "adam"})


def _scored(text, spans, probs):
    mentions = [Mention(text.index(s), text.index(s) + len(s), label, i) for i, (label, s) in enumerate(spans)]
    tail, heads = mentions[-1], mentions[:-1]
    sent = Sentence(0, len(text), mentions)
    return [(TailChoice(tail, heads, sent), numpy.asarray(probs, dtype="float32"))]


@pytest.mark.parametrize(
    "probs,threshold,expected",
    [
        ([0.6, 0.3, 0.1], 0.5, []),  # "no head" wins
        ([0.2, 0.5, 0.3], 0.5, [("甲局", 0.714), ("乙委", 0.714)]),  # the best head and its co-organiser
        ([0.2, 0.5, 0.3], 0.8, []),  # below the threshold
    ],
)
def test_decode_takes_the_best_head_and_its_coordination(probs, threshold, expected):
    text = "甲局和乙委开展“行动”"
    scored = _scored(text, [("ORG", "甲局"), ("ORG", "乙委"), ("INITIATIVE", "行动")], probs)
    got = [
        (text[h.start : h.end], round(score, 3))
        for h, t, label, score in RelationExtractor.decode(text, scored, threshold)
    ]
    assert got == expected


def test_loss_is_the_softmax_cross_entropy_of_each_choice():
    nlp, _ = _trained(n_steps=1)
    rel = nlp.get_pipe(REL)
    text = "甲局开展“行动”"
    ((choice, _),) = _scored(text, [("ORG", "甲局"), ("INITIATIVE", "行动")], [0.5, 0.5])
    scores = numpy.array([0.0, 0.0], dtype="float32")
    loss, d = rel._loss([[choice]], scores, [numpy.array([0.0, 1.0])])
    assert loss == pytest.approx(numpy.log(2)) and numpy.allclose(d, [0.5, -0.5])
    loss, d = rel._loss([[choice]], scores, [None])  # a gold head outside the candidates: not learned
    assert loss == 0.0 and not d.any()


def test_candidates_stay_bounded_on_text_without_punctuation():
    """Every tail has at most max_candidates heads of each label, however long the sentence."""
    nlp = spacy.blank("zh")
    rel = nlp.add_pipe(REL, config={"max_candidates": 3})
    text = "市委开展“行动”" * 400
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(i * 8, i * 8 + 2, label="ORG") for i in range(400)] + [
        doc.char_span(i * 8 + 5, i * 8 + 7, label="INITIATIVE") for i in range(400)
    ]
    choices, rows = rel._choices(doc)
    assert len(choices) == 400 and all(len(c.candidates) <= 3 for c in choices)
    assert len(rows) <= 400 * 4


@pytest.mark.parametrize("scale", [0.5, 3.0])
def test_learn_rate_scale_scales_the_components_own_step(scale):
    """One SGD step moves the relation weights `learn_rate_scale` times as far as at scale 1."""
    steps = {}
    for s in (1.0, scale):
        fix_random_seed(0)
        nlp, egs, _ = _train_examples(2)
        rel = nlp.add_pipe(REL, config={"model": {"@architectures": "dangjian.RelationChoice.v1", "length": 4096}})
        rel.cfg["learn_rate_scale"] = s
        nlp.initialize(lambda egs=egs: egs)
        before = rel.model.get_param("W").copy()
        nlp.update(egs, sgd=SGD(0.1))
        steps[s] = rel.model.get_param("W") - before
    assert numpy.abs(steps[1.0]).sum() > 0
    assert numpy.allclose(steps[scale], scale * steps[1.0], atol=1e-6)


@pytest.mark.slow
def test_trained_pipeline_outputs_relations_in_api_and_jsonl(tiny_nlp):
    result = pipeline.tag(TEXT, nlp=tiny_nlp)
    record = result.to_record({"doc_id": "x", "para": 0})
    assert len(record.relations) == len(result.relations)
    for r in result.relations:
        assert r.label in ("LAUNCHED", "ACHIEVED") and 0.0 <= r.score <= 1.0
        assert (r.head.label, r.tail.label) in {("ORG", "INITIATIVE"), ("ORG", "OUTCOME"), ("INITIATIVE", "OUTCOME")}


def test_candidate_dropout_leaves_heads_out_and_their_tails_learn_no_head(monkeypatch):
    """With 市直机关工委 left out, 三航行动 has no head to learn and 18场 keeps 三航行动."""
    nlp, egs, _ = _train_examples(1)
    rel = nlp.add_pipe(REL)
    draws = iter([0.0, 0.9, 0.9])  # one draw per ORG / INITIATIVE in text order: only the first is left out
    monkeypatch.setattr("pipeline.relations.extractor.random.random", lambda: next(draws))
    (doc,) = rel._with_gold_entities(egs, dropout=0.5)
    assert [e.text for e in doc.ents] == ["三航行动", "18场", "省交通运输厅", "86.34万元"]
    choices, _ = rel._choices(doc)
    targets = {doc.text[c.tail.start : c.tail.end]: t.tolist() for c, t in zip(choices, rel._targets(egs, [choices]))}
    assert targets == {"三航行动": [1.0], "18场": [0.0, 1.0], "86.34万元": [0.0, 1.0]}
