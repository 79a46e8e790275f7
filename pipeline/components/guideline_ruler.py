"""`dangjian_guideline_ruler`: the guideline's hard cases as token patterns, where the model found
nothing (organ short forms 厅党组 / 区党工委, also as pkuseg splits them, 区党 | 工委: ORG; a bare
学习教育 / 主题教育 standing for a named campaign: INITIATIVE)."""

from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path, registry

from ..resources import resource_path

NAME = "dangjian_guideline_ruler"
PATTERNS_FILE = "patterns.jsonl"


@registry.misc("dangjian.guideline_patterns.v1")
def guideline_patterns(path: Optional[str] = None) -> List[dict]:
    """entity_ruler's JSONL format, token patterns of ORTH only (default:
    resources/guideline_patterns.jsonl)."""
    return list(srsly.read_jsonl(Path(path) if path else resource_path("guideline_patterns.jsonl")))


@Language.factory(NAME, default_config={"patterns": {"@misc": "dangjian.guideline_patterns.v1"}}, assigns=["doc.ents"])
def make_guideline_ruler(nlp: Language, name: str, patterns: List[dict]) -> "GuidelineRuler":
    return GuidelineRuler(name, patterns)


class GuidelineRuler:
    """Adds pattern matches as entities where the model found nothing (leftmost-longest, never over
    an existing span). Like spaCy's entity_ruler with ORTH patterns, but a dictionary lookup per
    token: the Matcher's cost grows with the pattern count."""

    def __init__(self, name: str = NAME, patterns: Sequence[dict] = ()):
        self.name = name
        self.set_patterns(patterns)

    def set_patterns(self, patterns: Sequence[dict]) -> None:
        self._table: Dict[Tuple[str, ...], str] = {}
        for i, p in enumerate(patterns):
            words = self._words(i, p)  # validates the pattern first
            self._table[words] = p["label"]
        self.patterns = [dict(p) for p in patterns]
        self._longest = max((len(k) for k in self._table), default=0)

    def _words(self, i: int, p: dict) -> Tuple[str, ...]:
        spec = p.get("pattern")
        ok = p.get("label") and isinstance(spec, list) and spec
        ok = ok and all(set(t) == {"ORTH"} and isinstance(t["ORTH"], str) for t in spec)
        if not ok:
            raise ValueError(
                f"{self.name}: pattern {i + 1} must be {{'label': ..., 'pattern': [{{'ORTH': str}}, ...]}}, got {p!r}"
            )
        return tuple(t["ORTH"] for t in spec)

    def __call__(self, doc: Doc) -> Doc:
        words = [t.text for t in doc]
        old = list(doc.ents)
        taken = {i for e in old for i in range(e.start, e.end)}
        new, i = [], 0
        while i < len(words):
            for n in range(min(self._longest, len(words) - i), 0, -1):
                label = self._table.get(tuple(words[i : i + n]))
                if label and not any(j in taken for j in range(i, i + n)):
                    new.append(Span(doc, i, i + n, label=label))
                    i += n - 1
                    break
            i += 1
        if new:
            doc.ents = sorted(old + new, key=lambda s: s.start)
        return doc

    def to_bytes(self, *, exclude=()) -> bytes:
        return srsly.msgpack_dumps({"patterns": self.patterns})

    def from_bytes(self, data: bytes, *, exclude=()) -> "GuidelineRuler":
        self.set_patterns(srsly.msgpack_loads(data)["patterns"])
        return self

    def to_disk(self, path, *, exclude=()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / PATTERNS_FILE, self.patterns)

    def from_disk(self, path, *, exclude=()) -> "GuidelineRuler":
        self.set_patterns(list(srsly.read_jsonl(ensure_path(path) / PATTERNS_FILE)))
        return self
