"""The token splitter: glued punctuation and quantity boundaries."""

from pipeline.components.token_splitter import TokenSplitter
from pipeline.text.tokens import punctuation_cuts

from ..conftest import words_tokenizer


def test_punctuation_glued_to_digits_is_cut():
    doc = words_tokenizer(["获奖", ",21", "篇"])("获奖,21篇")
    assert punctuation_cuts(doc) == [3]
    assert [t.text for t in TokenSplitter(outcome_boundaries=False)(doc)] == ["获奖", ",", "21", "篇"]


def test_splitter_cuts_at_quantity_boundaries():
    doc = words_tokenizer(["共", "举办18", "场次活动"])("共举办18场次活动")
    assert [t.text for t in TokenSplitter()(doc)] == ["共", "举办", "18", "场次", "活动"]
