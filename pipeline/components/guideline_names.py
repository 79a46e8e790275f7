"""`dangjian_guideline_names`: names the guideline spells out, which the model cuts or joins: a
whole name with an inner 和 (中央和国家机关工委), organisations written back to back (省委省政府 is
省委 and 省政府), campaigns it lists by name (党史学习教育). Where the text has an entry, its names
replace the spans over it. One instance per label, each with its list."""

import re
from typing import Any, Dict, List, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..resources import word_list
from ..schema import ORG
from ..text.tokens import split_at
from ._state import SavedState

NAME = "dangjian_guideline_names"
JOIN = "+"  # in a list entry, between names written back to back


@Language.factory(
    NAME,
    default_config={"label": ORG, "names": {"@misc": "dangjian.word_list.v1", "name": "org_names"}},
    assigns=["doc.ents"],
)
def make_guideline_names(nlp: Language, name: str, label: str, names: List[str]) -> "GuidelineNames":
    return GuidelineNames(name, label=label, names=names)


class GuidelineNames(SavedState):
    """Each entry is a name, or names joined by "+". A span that runs past an entry on the right
    (a longer name) keeps it untouched; a span of the same label reaching in from the left (a place:
    海口 + 市委市政府) gives the first name its start."""

    def __init__(self, name: str = NAME, label: str = ORG, names: Optional[Sequence[str]] = None):
        self.name = name
        self.label = label
        self.set_state({"names": list(word_list("org_names") if names is None else names)})

    def state(self) -> Dict[str, Any]:
        return {"names": list(self.names)}

    def set_state(self, state: Dict[str, Any]) -> None:
        self.names = list(state["names"])
        self._parts = {n.replace(JOIN, ""): n.split(JOIN) for n in self.names}
        keys = sorted(self._parts, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, keys))) if keys else None

    def __call__(self, doc: Doc) -> Doc:
        edits = self._edits(doc.text, list(doc.ents)) if self._pattern else []
        if not edits:
            return doc
        split_at(doc, [c for _, _, names in edits for span in names for c in span])
        keep = [e for e in doc.ents if not any(e.start_char < end and start < e.end_char for start, end, _ in edits)]
        new = [doc.char_span(s, e, label=self.label) for _, _, names in edits for s, e in names]
        doc.ents = sorted(keep + [s for s in new if s is not None], key=lambda s: s.start)
        return doc

    def _edits(self, text: str, ents: Sequence[Span]) -> List[Tuple[int, int, List[Tuple[int, int]]]]:
        """(start, end, names' character spans) of each entry found where no span runs past it."""
        out = []
        for m in self._pattern.finditer(text):
            s, e = m.span()
            if any(x.start_char < e < x.end_char for x in ents):
                continue  # a longer name
            left = [x for x in ents if x.start_char < s < x.end_char]
            if any(x.label_ != self.label for x in left):
                continue
            names, at = [], s
            for part in self._parts[m.group()]:
                names.append((at, at + len(part)))
                at += len(part)
            if left:
                names[0] = (left[0].start_char, names[0][1])
            out.append((min([s] + [x.start_char for x in left]), e, names))
        return out
