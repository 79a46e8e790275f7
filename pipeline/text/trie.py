"""Leftmost-longest matching of a word list with a dict trie: place names for the lexical features,
and the pkuseg user dictionary (a regular expression of thousands of alternatives is slow: Python's
re tries them branch by branch)."""

from __future__ import annotations

from typing import Iterable, List, Tuple

_END = ""  # key that marks the end of a word in a trie node


class TrieMatcher:
    """Non-overlapping matches of the words, scanning left to right and taking the longest word
    at each position (the greedy longest match a user dictionary needs)."""

    def __init__(self, words: Iterable[str] = ()):
        self.root: dict = {}
        for word in words:
            self.add(word)

    def add(self, word: str) -> None:
        if not word:
            return
        node = self.root
        for ch in word:
            node = node.setdefault(ch, {})
        node[_END] = True

    def spans(self, text: str) -> List[Tuple[int, int]]:
        """(start, end) of every match."""
        out, i, n, root = [], 0, len(text), self.root
        while i < n:
            node, j, end = root.get(text[i]), i + 1, -1
            while node is not None:
                if _END in node:
                    end = j
                if j >= n:
                    break
                node = node.get(text[j])
                j += 1
            if end > 0:
                out.append((i, end))
                i = end
            else:
                i += 1
        return out
