"""Leftmost-longest matching of a word list."""

from pipeline.text.trie import TrieMatcher


def test_trie_matcher_matches_longest_words():
    text = "成都市双流区委、龙马潭区委"
    spans = TrieMatcher(["龙马潭", "龙马潭区", "双流", "成都市"]).spans(text)
    assert [text[a:b] for a, b in spans] == ["成都市", "双流", "龙马潭区"]
