"""The real pkuseg model: conversion without pickle at load, user dictionary, self-contained pipelines."""
from __future__ import annotations

import io
import pickle
import shutil

import pytest
import spacy

from pipeline.pkuseg_model import PkusegSetupError, convert_features, ensure_pkuseg_model, is_ready
from pipeline.tokenizer import blank_pkuseg, lexicon, write_user_dict


def test_converter_refuses_any_global():
    payload = pickle.dumps({"unigram": [], "bigram": [], "feature_to_idx": {}, "tag_to_idx": {"B": io.BytesIO}})
    with pytest.raises(PkusegSetupError, match="refusing"):
        convert_features(payload)


def test_converter_keeps_plain_containers():
    import srsly

    payload = pickle.dumps({"unigram": ["b", "a"], "bigram": ["ab"], "feature_to_idx": {"$$": 0}, "tag_to_idx": {"B": 0}})
    assert srsly.msgpack_loads(convert_features(payload)) == {"unigram": ["a", "b"], "bigram": ["ab"], "feature_to_idx": {"$$": 0}, "tag_to_idx": {"B": 0}}


def test_wrong_sha256_is_rejected(tmp_path):
    fake = tmp_path / "pkuseg-0.0.25.tar.gz"
    fake.write_bytes(b"not the sdist")
    with pytest.raises(PkusegSetupError, match="sha256"):
        ensure_pkuseg_model(target=tmp_path / "cache", sdist=fake, force=True, quiet=True)
    assert not is_ready(tmp_path / "cache")


@pytest.mark.slow
def test_cached_model_has_no_pickle(pkuseg_ready):
    assert sorted(p.name for p in pkuseg_ready.iterdir()) == ["features.msgpack", "pkuseg-model.json", "weights.npz"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "words,text,expected",
    [
        ([], "市直机关工委开展活动", None),
        (["省交通运输厅"], "海南省交通运输厅召开会议", ["海南", "省交通运输厅"]),
        (["三航行动"], "以三航行动为牵动", ["以", "三航行动"]),
    ],
)
def test_user_dictionary_words_stay_single_tokens(tmp_path, pkuseg_ready, words, text, expected):
    nlp = blank_pkuseg(write_user_dict(words, tmp_path / "ud.txt"))
    tokens = [t.text for t in nlp(text)]
    assert "".join(tokens) == text
    if expected:
        assert tokens[: len(expected)] == expected
    for w in words:
        assert w in tokens


@pytest.mark.slow
def test_saved_pipeline_loads_without_the_cache(tmp_path, pkuseg_ready):
    cache = tmp_path / "pkuseg"
    shutil.copytree(pkuseg_ready, cache)
    nlp = blank_pkuseg(write_user_dict(["三航行动"], tmp_path / "ud.txt"), pkuseg_model=cache)
    expected = [t.text for t in nlp("市直机关工委以三航行动为牵动")]
    nlp.to_disk(tmp_path / "saved")
    shutil.rmtree(cache)
    loaded = spacy.load(tmp_path / "saved")
    assert [t.text for t in loaded("市直机关工委以三航行动为牵动")] == expected


@pytest.mark.slow
def test_lexicon_is_from_the_training_split_only(gold_records):
    from pipeline.data import gold_splits

    train, dev = gold_splits(gold_records)
    words = set(lexicon(train))
    dev_only = set(lexicon(dev)) - set(lexicon(train))
    assert dev_only and not (words & dev_only)
    assert all(len(w) >= 2 for w in words)
