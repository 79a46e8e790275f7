"""The pkuseg tokenizer with its user dictionary."""

import shutil

import pytest
import spacy

from pipeline.tokenization.lexicon import lexicon, write_user_dict
from pipeline.tokenization.tokenizer import blank_pkuseg


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
    from pipeline.training.data import gold_splits

    train, dev = gold_splits(gold_records)
    words = set(lexicon(train))
    dev_only = set(lexicon(dev)) - set(lexicon(train))
    assert dev_only and not (words & dev_only)
    assert all(len(w) >= 2 for w in words)
