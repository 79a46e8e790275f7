"""`dangjian_span_trimmer`: names never start or end with a bracket, quote or comma."""

import unicodedata
from typing import List, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..schema import INITIATIVE, ORG

NAME = "dangjian_span_trimmer"
_TRIM_CATEGORIES = frozenset({"Ps", "Pe", "Pi", "Pf", "Po"})
# closing mark -> its opening partner
_PAIRS = {")": "(", "）": "（", "”": "“", "’": "‘", "」": "「", "』": "『", "]": "[", "】": "【"}


@Language.factory(NAME, default_config={"labels": [ORG, INITIATIVE]}, assigns=["doc.ents"])
def make_span_trimmer(nlp: Language, name: str, labels: List[str]) -> "SpanTrimmer":
    return SpanTrimmer(name, labels=labels)


class SpanTrimmer:
    """Cuts punctuation tokens off the edges of names (阿拉善高新技术产业开发区( -> …开发区): the guideline
    leaves a bracketed qualifier out and quotes around a name are not part of it, and no gold
    ORG / INITIATIVE starts or ends with a bracket, quote or comma. A closing bracket or quote
    whose opening partner is inside the span stays."""

    def __init__(self, name: str = NAME, *, labels: Sequence[str] = (ORG, INITIATIVE)):
        self.name = name
        self.labels = frozenset(labels)

    def __call__(self, doc: Doc) -> Doc:
        ents, changed = [], False
        for e in doc.ents:
            start, end = self._trimmed(doc, e) if e.label_ in self.labels else (e.start, e.end)
            if (start, end) == (e.start, e.end):
                ents.append(e)
            else:
                changed = True
                if start < end:
                    ents.append(Span(doc, start, end, label=e.label))
        if changed:
            doc.ents = ents
        return doc

    @staticmethod
    def _trimmed(doc: Doc, e: Span):
        start, end = e.start, e.end
        while start < end and _is_punct(doc[start].text):
            start += 1
        while (
            start < end
            and _is_punct(doc[end - 1].text)
            and not _closes_inside(doc[end - 1].text, doc[start : end - 1].text)
        ):
            end -= 1
        return start, end


def _is_punct(token_text: str) -> bool:
    return all(unicodedata.category(c) in _TRIM_CATEGORIES for c in token_text)


def _closes_inside(token_text: str, before: str) -> bool:
    """Whether a closing bracket or quote pairs with an opening one earlier in the span."""
    return len(token_text) == 1 and token_text in _PAIRS and before.count(_PAIRS[token_text]) > before.count(token_text)
