"""`dangjian_org_head_extender`: an ORG the model ends right before a Party organ head written after
it (区委办公室 + 机关党委, 市机关幼儿园 + 党支部, 局机关 + 第一党支部, 市委市直机关工委 + 机关一支部)
takes the head in."""

import re
from typing import Any, Dict, List, Optional, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from ..resources import word_list
from ..schema import ORG
from ..text.tokens import split_at
from ._state import SavedState

NAME = "dangjian_org_head_extender"


@Language.factory(
    NAME,
    default_config={
        "label": ORG,
        "heads": {"@misc": "dangjian.word_list.v1", "name": "party_organ_heads"},
        "prefixes": [],
    },
    assigns=["doc.ents"],
)
def make_org_head_extender(
    nlp: Language, name: str, label: str, heads: List[str], prefixes: List[str]
) -> "OrgHeadExtender":
    return OrgHeadExtender(name, label=label, heads=heads, prefixes=prefixes)


class OrgHeadExtender(SavedState):
    """Extends ORG spans over a following organ head, optionally after one of `prefixes`
    (省委 + 直属机关工委): the guideline tags the whole written name, and in the corpus such a head is
    never left outside the name before it. The model tends to stop before the head when the name
    before it is one it knows."""

    def __init__(
        self, name: str = NAME, label: str = ORG, heads: Optional[Sequence[str]] = None, prefixes: Sequence[str] = ()
    ):
        self.name = name
        self.label = label
        heads = list(word_list("party_organ_heads") if heads is None else heads)
        self.set_state({"heads": heads, "prefixes": list(prefixes)})

    def state(self) -> Dict[str, Any]:
        return {"heads": list(self.heads), "prefixes": list(self.prefixes)}

    def set_state(self, state: Dict[str, Any]) -> None:
        self.heads = list(state["heads"])
        self.prefixes = list(state.get("prefixes", ()))  # pipelines saved before prefixes existed have none
        heads = "|".join(re.escape(h) for h in sorted(self.heads, key=len, reverse=True))
        prefixes = "|".join(re.escape(p) for p in sorted(self.prefixes, key=len, reverse=True))
        before = rf"(?:{prefixes})?" if prefixes else ""
        self._suffix = re.compile(rf"{before}(?:第?[〇一二三四五六七八九十百\d]+)?(?:{heads})(?!织)")  # not 党组织

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        if not any(e.label_ == self.label for e in ents):
            return doc
        ends = self._extended_ends(doc.text, ents)
        if not ends:
            return doc
        split_at(doc, ends.values())  # only where a span is extended (split tokens get zero vectors)
        new = []
        for ent in doc.ents:
            span = (
                doc.char_span(ent.start_char, ends[ent.start_char], label=self.label)
                if ent.start_char in ends
                else None
            )
            new.append(span if span is not None else ent)
        doc.ents = new
        return doc

    def _extended_ends(self, text: str, ents) -> Dict[int, int]:
        """ORG start -> extended end, where a head follows and no other span starts inside it."""
        starts = [e.start_char for e in ents]
        ends = {}
        for ent in ents:
            m = self._suffix.match(text, ent.end_char) if ent.label_ == self.label else None
            if m and not any(ent.end_char <= s < m.end() for s in starts):
                ends[ent.start_char] = m.end()
        return ends
