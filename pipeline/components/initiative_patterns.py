"""`dangjian_initiative_patterns`: unquoted names found by their frame, where the model found
nothing: a title after an award verb up to 称号 (被评为全国先进基层党组织称号), a numbered contest or
day after its ordinal (第32届公路养护宣传日). Each pattern is a regular expression whose group
`name` is the span (resources/initiative_patterns.json, or the config's)."""

import json
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from ..resources import read_json
from ..text.tokens import split_at
from ._state import SavedState

NAME = "dangjian_initiative_patterns"


@registry.misc("dangjian.initiative_patterns.v1")
def initiative_patterns(path: Optional[str] = None) -> List[Dict[str, str]]:
    """[{"id", "label", "pattern"}, ...] from resources/initiative_patterns.json or `path`."""
    data = json.loads(Path(path).read_text(encoding="utf-8")) if path else read_json("initiative_patterns.json")
    return list(data["patterns"])


@Language.factory(NAME, default_config={"patterns": {"@misc": "dangjian.initiative_patterns.v1"}}, assigns=["doc.ents"])
def make_initiative_patterns(nlp: Language, name: str, patterns: List[Dict[str, str]]) -> "InitiativePatterns":
    return InitiativePatterns(name, patterns)


class InitiativePatterns(SavedState):
    def __init__(self, name: str = NAME, patterns: Sequence[Dict[str, str]] = ()):
        self.name = name
        self.set_state({"patterns": list(patterns)})

    def state(self) -> Dict[str, Any]:
        return {"patterns": list(self.patterns)}

    def set_state(self, state: Dict[str, Any]) -> None:
        self.patterns = [dict(p) for p in state["patterns"]]
        for i, p in enumerate(self.patterns):
            if not p.get("label") or "(?P<name>" not in p.get("pattern", ""):
                raise ValueError(f"{self.name}: pattern {i + 1} needs a label and a group (?P<name>...), got {p!r}")
        self._compiled = [(re.compile(p["pattern"]), p["label"]) for p in self.patterns]

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        found = [(m.span("name"), label) for rx, label in self._compiled for m in rx.finditer(text)]
        taken = [(e.start_char, e.end_char) for e in doc.ents]
        new = []
        for (s, e), label in found:
            if not any(a < e and s < b for a, b in taken):
                new.append((s, e, label))
                taken.append((s, e))
        if not new:
            return doc
        split_at(doc, [c for s, e, _ in new for c in (s, e)])
        spans = [doc.char_span(s, e, label=label) for s, e, label in new]
        doc.ents = sorted(list(doc.ents) + [s for s in spans if s is not None], key=lambda s: s.start)
        return doc
