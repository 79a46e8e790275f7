"""Relation extraction: candidates, features, the trainable component, baselines, evaluation."""
from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import fix_random_seed
from thinc.api import SGD

import pipeline  # noqa: F401
from pipeline.corpus import Entity, Record, Relation
from pipeline.docs import record_to_doc
from pipeline.evaluate import relation_keys
from pipeline.relation_eval import LogRegBaseline, evaluate_relations, nearest_actor, reachable
from pipeline.relation_features import context_features, hash_features
from pipeline.relations import N_FEATS, candidate_pairs, pair_features, sentence_ids

TEXT = "市直机关工委以“三航行动”为牵动,共举办活动18场。省交通运输厅投入86.34万元。"


def _doc(text=TEXT, spans=(("ORG", "市直机关工委"), ("INITIATIVE", "三航行动"), ("OUTCOME", "18场"), ("ORG", "省交通运输厅"), ("OUTCOME", "86.34万元"))):
    nlp = spacy.blank("zh")
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(s), text.index(s) + len(s), label=lab) for lab, s in spans]
    return doc


def test_sentence_ids_split_at_sentence_ends():
    doc = _doc()
    ids = sentence_ids(doc)
    assert ids[0] == 0 and ids[-1] == 1 and ids[TEXT.index("省")] == 1


def test_candidates_obey_types_and_sentences():
    pairs = {(h.text, t.text) for h, t in candidate_pairs(_doc())}
    assert pairs == {
        ("市直机关工委", "三航行动"),  # LAUNCHED: ORG -> INITIATIVE
        ("市直机关工委", "18场"), ("三航行动", "18场"),  # ACHIEVED: ORG/INITIATIVE -> OUTCOME
        ("省交通运输厅", "86.34万元"),
    }  # nothing across the sentence end, nothing from OUTCOME or towards ORG


@pytest.mark.parametrize("head,tail,nearest_head", [("三航行动", "18场", 1.0), ("市直机关工委", "18场", 1.0)])
def test_pair_features(head, tail, nearest_head):
    doc = _doc()
    ents = {e.text: e for e in doc.ents}
    f = pair_features(list(doc.ents), ents[head], ents[tail])
    assert f.shape == (N_FEATS,) and f[7] == 1.0  # head before tail
    assert f[12] == nearest_head  # no other entity of the head's label in between


@pytest.mark.parametrize("head,tail,expected,absent", [
    ("市直机关工委", "三航行动", {"tL1=“", "tR1=”", "tail_opened=True", "cue=以", "head_first_entity=True", "head_after_tail=False"}, {"cue=举办"}),
    ("三航行动", "18场", {"cue=举办", "initiative_before_tail=True", "head_nearest_before_tail=True", "commas=1", "INITIATIVE>OUTCOME|cue=举办"}, {"cue=以"}),
    ("市直机关工委", "18场", {"head_first_of_label=True", "sentence_has_initiative=True", "commas=1", "ORG>OUTCOME|sentence_has_initiative=True"}, set()),
    ("省交通运输厅", "86.34万元", {"sentence_has_initiative=False", "initiative_before_tail=False", "hR2=投入", "commas=0"}, {"cue=举办"}),
])
def test_context_features(head, tail, expected, absent):
    doc = _doc()
    ents = {e.text: e for e in doc.ents}
    feats = set(context_features(doc, sentence_ids(doc), list(doc.ents), ents[head], ents[tail]))
    assert expected <= feats and not (absent & feats)


CO_TEXT = "市委宣传部联合市直机关工委举办“书香机关”读书活动12场,发放书籍300册。"
CO_SPANS = (("ORG", "市委宣传部"), ("ORG", "市直机关工委"), ("INITIATIVE", "书香机关"), ("OUTCOME", "12场"), ("OUTCOME", "300册"))


@pytest.mark.parametrize("head,tail,expected,absent", [
    # co-organisers joined by 联合 each get LAUNCHED (ANNOTATION.md)
    ("市委宣传部", "书香机关", {"co_organisers=True", "hEnd2=传部", "tEnd2=机关", "same_clause=True", "outcomes_between=0"}, {"co_organisers=False"}),
    ("市直机关工委", "书香机关", {"co_organisers=False", "ORG>INITIATIVE|same_clause=True"}, {"co_organisers=True"}),
    # the initiative produced the nearer quantity; another quantity stands in between for the far one
    ("书香机关", "12场", {"outcomes_between=0", "gap_chars=1", "tEnd2=2场"}, set()),
    ("书香机关", "300册", {"outcomes_between=1", "same_clause=False", "INITIATIVE>OUTCOME|outcomes_between=1"}, {"same_clause=True"}),
])
def test_guideline_cue_features(head, tail, expected, absent):
    doc = _doc(CO_TEXT, CO_SPANS)
    ents = {e.text: e for e in doc.ents}
    feats = set(context_features(doc, sentence_ids(doc), list(doc.ents), ents[head], ents[tail]))
    assert expected <= feats and not (absent & feats)


def test_hashed_features_are_stable_binary_columns():
    v = hash_features(["cue=举办", "cue=举办", "commas=1"], 64)
    assert v.shape == (64,) and v.sum() in (1.0, 2.0) and set(numpy.unique(v)) <= {0.0, 1.0}
    # CRC32, not Python's salted hash(): the same column in every process (saved models rely on it)
    import zlib
    assert v[zlib.crc32("cue=举办".encode("utf8")) % 64] == 1.0


def _train_examples(n_copies=8):
    rec = Record(TEXT, [Entity(1, "ORG", 0, 6), Entity(2, "INITIATIVE", 8, 12), Entity(3, "OUTCOME", 22, 25), Entity(4, "ORG", 26, 32), Entity(5, "OUTCOME", 34, 41)],
                 [Relation(1, 1, 2, "LAUNCHED"), Relation(2, 2, 3, "ACHIEVED"), Relation(3, 4, 5, "ACHIEVED")], meta={"doc_id": "t", "para": 0})
    nlp = spacy.blank("zh")
    egs = []
    for _ in range(n_copies):
        ref, _ = record_to_doc(rec, nlp.make_doc)
        egs.append(Example(Doc(nlp.vocab, words=[t.text for t in ref], spaces=[bool(t.whitespace_) for t in ref]), ref))
    return nlp, egs, rec


ARCHITECTURES = [
    {"@architectures": "dangjian.RelationModel.v1"},
    {"@architectures": "dangjian.RelationModel.v2", "n_hashed": 256},
    {"@architectures": "dangjian.RelationModel.v2", "n_hashed": 256, "pooled_vectors": False},
]


def _small_pipeline(nlp, arch=None):
    nlp.add_pipe("tok2vec", config={"model": {"@architectures": "spacy.HashEmbedCNN.v2", "width": 32, "depth": 1, "embed_size": 500,
                                               "window_size": 1, "maxout_pieces": 2, "subword_features": True, "pretrained_vectors": None}})
    model = {**(arch or ARCHITECTURES[0]), "hidden_width": 16, "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 32, "upstream": "tok2vec"}}
    nlp.add_pipe("dangjian_relation_extractor", config={"model": model})
    return nlp


@pytest.mark.parametrize("arch", ARCHITECTURES, ids=lambda a: a["@architectures"] + ("-no-vectors" if a.get("pooled_vectors") is False else ""))
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
    found = {(h.text, t.text, lab) for (hs, ts), labels in doc._.rel.items() for lab in labels
             for h in [next(e for e in doc.ents if e.start == hs)] for t in [next(e for e in doc.ents if e.start == ts)]}
    assert found == {("市直机关工委", "三航行动", "LAUNCHED"), ("三航行动", "18场", "ACHIEVED"), ("省交通运输厅", "86.34万元", "ACHIEVED")}
    rel.threshold = 0.7
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.get_pipe("dangjian_relation_extractor").threshold == 0.7
    again = loaded.get_pipe("dangjian_relation_extractor")(loaded.get_pipe("tok2vec")(_doc()))
    assert again._.rel.keys() == doc._.rel.keys()


def test_bce_gradient_is_masked():
    nlp, egs, _ = _train_examples(1)
    _small_pipeline(nlp)
    rel = nlp.get_pipe("dangjian_relation_extractor")
    probs = numpy.full((2, 2), 0.5, dtype="float32")
    truths = numpy.array([[1, 0], [0, 0]], dtype="float32")
    mask = numpy.array([[1, 0], [0, 1]], dtype="float32")
    loss, d = rel._bce(probs, truths, mask)
    assert numpy.allclose(d, [[-0.5, 0.0], [0.0, 0.5]]) and loss == pytest.approx(2 * numpy.log(2), rel=1e-5)


def test_baselines_and_evaluation():
    _, _, rec = _train_examples(1)
    tokenize = spacy.blank("zh").make_doc
    rule = nearest_actor(Record(rec.text, rec.entities, [], rec.meta), tokenize)
    assert relation_keys([rule]) == relation_keys([rec])
    scores = evaluate_relations([rec], [rule])
    assert scores["micro"]["f"] == 1.0
    logreg = LogRegBaseline(tokenize).fit([rec] * 4)
    predicted = logreg.predict(Record(rec.text, rec.entities, [], rec.meta))
    assert predicted.entities == rec.entities and relation_keys([predicted]) == relation_keys([rec])


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


@pytest.mark.parametrize("update_tok2vec,with_ner,changes,arch", [
    (True, False, True, None), (False, False, False, None), (False, True, True, None),
    (True, False, False, V2_NO_VECTORS), (True, True, True, V2_NO_VECTORS),
])
def test_update_tok2vec_switch(update_tok2vec, with_ner, changes, arch):
    """Without update_tok2vec (or without pooled vectors) the relation gradient stays out of the
    shared tok2vec, but the NER's gradients (accumulated by the other listener) still reach it:
    the relation extractor's listener, the last one, must call back."""
    nlp, egs, _ = _train_examples(4)
    nlp.add_pipe("tok2vec", config={"model": {"@architectures": "spacy.HashEmbedCNN.v2", "width": 32, "depth": 1, "embed_size": 500,
                                               "window_size": 1, "maxout_pieces": 2, "subword_features": True, "pretrained_vectors": None}})
    listener = {"@architectures": "spacy.Tok2VecListener.v1", "width": 32, "upstream": "tok2vec"}
    if with_ner:
        nlp.add_pipe("ner", config={"model": {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner", "extra_state_tokens": False,
                                              "hidden_width": 16, "maxout_pieces": 2, "use_upper": True, "tok2vec": listener}})
    model = {**(arch or {"@architectures": "dangjian.RelationModel.v1"}), "hidden_width": 16, "update_tok2vec": update_tok2vec, "tok2vec": listener}
    nlp.add_pipe("dangjian_relation_extractor", config={"model": model})
    optimizer = nlp.initialize(lambda: egs)
    before = _tok2vec_weights(nlp).copy()
    for _ in range(3):
        nlp.update(egs, sgd=optimizer)
    relative = numpy.linalg.norm(_tok2vec_weights(nlp) - before) / numpy.linalg.norm(before)
    assert (relative > 1e-3) == changes  # weight decay alone moves the weights by ~2e-5


def test_reachable_counts_relations_whose_spans_were_both_found():
    _, _, rec = _train_examples(1)
    missing_org = Record(rec.text, [e for e in rec.entities if e.id != 4], [], rec.meta)
    assert reachable([rec], [rec]) == (3, 3)
    assert reachable([rec], [missing_org]) == (2, 3)  # 省交通运输厅 -> 86.34万元 cannot be found


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
        nlp.initialize(lambda: egs)
        before = [p.copy() for p in _params(rel.model)]
        nlp.update(egs, sgd=SGD(0.1))
        steps[s] = numpy.concatenate([(a - b).ravel() for a, b in zip(_params(rel.model), before)])
    assert numpy.abs(steps[1.0]).sum() > 0
    assert numpy.allclose(steps[scale], scale * steps[1.0], atol=1e-6)


def _params(model):
    return [node.get_param(name) for node in model.walk() for name in node.param_names]
