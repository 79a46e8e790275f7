"""MSRA NER from the package index: the official train and test parts, never mixed."""

import pytest

from pipeline.corpus.msra import N_TRAIN, load_sentences, parse_bmes


def test_bmes_lines_give_org_spans():
    lines = ["中 B-ORG", "共 E-ORG", "在 O", "北 B-LOC", "京 E-LOC", "", "新 S-ORG"]
    assert list(parse_bmes(lines)) == [("中共在北京", [(0, 2)]), ("新", [(0, 1)])]


@pytest.mark.slow
def test_official_parts_have_the_published_sizes():
    train, test = load_sentences(), load_sentences(part="test")
    assert len(train) == N_TRAIN and len(test) == 4631
    assert sum(len(orgs) for _, orgs in test) == 1331
