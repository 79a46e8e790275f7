"""The trainable relation extractor: learning, masking, serialisation, tok2vec updates."""

import numpy
import pytest
import spacy
from spacy.util import fix_random_seed
from thinc.api import SGD

import pipeline
from pipeline.extensions import relation_triples

from .conftest import TEXT, _doc, _train_examples

ARCHITECTURES = [
    {"@architectures": "dangjian.RelationModel.v1"},
    {"@architectures": "dangjian.RelationModel.v2", "n_hashed": 256},
    {"@architectures": "dangjian.RelationModel.v2", "n_hashed": 256, "pooled_vectors": False},
]


TOK2VEC = {
    "@architectures": "spacy.HashEmbedCNN.v2",
    "width": 32,
    "depth": 1,
    "embed_size": 500,
    "window_size": 1,
    "maxout_pieces": 2,
    "subword_features": True,
    "pretrained_vectors": None,
}


def _small_pipeline(nlp, arch=None):
    nlp.add_pipe(
        "tok2vec",
        config={"model": TOK2VEC},
    )
    model = {
        **(arch or ARCHITECTURES[0]),
        "hidden_width": 16,
        "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 32, "upstream": "tok2vec"},
    }
    nlp.add_pipe("dangjian_relation_extractor", config={"model": model})
    return nlp


@pytest.mark.parametrize(
    "arch",
    ARCHITECTURES,
    ids=lambda a: a["@architectures"] + ("-no-vectors" if a.get("pooled_vectors") is False else ""),
)
def test_component_learns_a_tiny_example_and_round_trips(tmp_path, arch):
    nlp, egs, rec = _train_examples()
    _small_pipeline(nlp, arch)
    optimizer = nlp.initialize(lambda: egs)
    losses = []
    for _ in range(80):
        out = nlp.update(egs, sgd=optimizer, losses={})
        losses.append(out["dangjian_relation_extractor"])
    assert losses[-1] < losses[0] / 5
    doc = _doc()
    rel = nlp.get_pipe("dangjian_relation_extractor")
    doc = rel(nlp.get_pipe("tok2vec")(doc))
    found = {(h.text, t.text, lab) for h, t, lab, _ in relation_triples(doc)}
    assert found == {
        ("市直机关工委", "三航行动", "LAUNCHED"),
        ("三航行动", "18场", "ACHIEVED"),
        ("省交通运输厅", "86.34万元", "ACHIEVED"),
    }
    rel.threshold = 0.7
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.get_pipe("dangjian_relation_extractor").threshold == 0.7
    again = loaded.get_pipe("dangjian_relation_extractor")(loaded.get_pipe("tok2vec")(_doc()))
    assert [r[:3] for r in again._.rel] == [r[:3] for r in doc._.rel]


def test_bce_gradient_is_masked():
    nlp, egs, _ = _train_examples(1)
    _small_pipeline(nlp)
    rel = nlp.get_pipe("dangjian_relation_extractor")
    probs = numpy.full((2, 2), 0.5, dtype="float32")
    truths = numpy.array([[1, 0], [0, 0]], dtype="float32")
    mask = numpy.array([[1, 0], [0, 1]], dtype="float32")
    loss, d = rel._bce(probs, truths, mask)
    assert numpy.allclose(d, [[-0.5, 0.0], [0.0, 0.5]]) and loss == pytest.approx(2 * numpy.log(2), rel=1e-5)


@pytest.mark.slow
def test_trained_pipeline_outputs_relations_in_api_and_jsonl(tiny_nlp):
    result = pipeline.tag(TEXT, nlp=tiny_nlp)
    record = result.to_record({"doc_id": "x", "para": 0})
    assert len(record.relations) == len(result.relations)
    for r in result.relations:
        assert r.label in ("LAUNCHED", "ACHIEVED") and 0.0 <= r.score <= 1.0
        assert (r.head.label, r.tail.label) in {("ORG", "INITIATIVE"), ("ORG", "OUTCOME"), ("INITIATIVE", "OUTCOME")}


def _tok2vec_weights(nlp):
    model = nlp.get_pipe("tok2vec").model
    return numpy.concatenate([node.get_param(name).ravel() for node in model.walk() for name in node.param_names])


V2_NO_VECTORS = {"@architectures": "dangjian.RelationModel.v2", "n_hashed": 64, "pooled_vectors": False}


@pytest.mark.parametrize(
    "update_tok2vec,with_ner,changes,arch",
    [
        (True, False, True, None),
        (False, False, False, None),
        (False, True, True, None),
        (True, False, False, V2_NO_VECTORS),
        (True, True, True, V2_NO_VECTORS),
    ],
)
def test_update_tok2vec_switch(update_tok2vec, with_ner, changes, arch):
    """Without update_tok2vec (or without pooled vectors) the relation gradient stays out of the
    shared tok2vec, but the NER's gradients (accumulated by the other listener) still reach it:
    the relation extractor's listener, the last one, must call back."""
    nlp, egs, _ = _train_examples(4)
    nlp.add_pipe(
        "tok2vec",
        config={"model": TOK2VEC},
    )
    listener = {"@architectures": "spacy.Tok2VecListener.v1", "width": 32, "upstream": "tok2vec"}
    if with_ner:
        nlp.add_pipe(
            "ner",
            config={
                "model": {
                    "@architectures": "spacy.TransitionBasedParser.v2",
                    "state_type": "ner",
                    "extra_state_tokens": False,
                    "hidden_width": 16,
                    "maxout_pieces": 2,
                    "use_upper": True,
                    "tok2vec": listener,
                }
            },
        )
    model = {
        **(arch or {"@architectures": "dangjian.RelationModel.v1"}),
        "hidden_width": 16,
        "update_tok2vec": update_tok2vec,
        "tok2vec": listener,
    }
    nlp.add_pipe("dangjian_relation_extractor", config={"model": model})
    optimizer = nlp.initialize(lambda: egs)
    before = _tok2vec_weights(nlp).copy()
    for _ in range(3):
        nlp.update(egs, sgd=optimizer)
    relative = numpy.linalg.norm(_tok2vec_weights(nlp) - before) / numpy.linalg.norm(before)
    assert (relative > 1e-3) == changes  # weight decay alone moves the weights by ~2e-5


@pytest.mark.parametrize("scale", [0.5, 3.0])
def test_learn_rate_scale_scales_the_components_own_step(scale):
    """One SGD step moves the relation weights `learn_rate_scale` times as far as at scale 1."""
    steps = {}
    for s in (1.0, scale):
        fix_random_seed(0)
        nlp, egs, _ = _train_examples(2)
        _small_pipeline(nlp)
        rel = nlp.get_pipe("dangjian_relation_extractor")
        rel.cfg["learn_rate_scale"] = s
        nlp.initialize(lambda egs=egs: egs)
        before = [p.copy() for p in _params(rel.model)]
        nlp.update(egs, sgd=SGD(0.1))
        steps[s] = numpy.concatenate([(a - b).ravel() for a, b in zip(_params(rel.model), before)])
    assert numpy.abs(steps[1.0]).sum() > 0
    assert numpy.allclose(steps[scale], scale * steps[1.0], atol=1e-6)


def _params(model):
    return [node.get_param(name) for node in model.walk() for name in node.param_names]
