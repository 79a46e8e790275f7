"""The label set and relation constraints of ANNOTATION.md, in one place."""

from __future__ import annotations

from functools import lru_cache
from typing import Dict, FrozenSet, Tuple

ORG = "ORG"
INITIATIVE = "INITIATIVE"
OUTCOME = "OUTCOME"
ENTITY_LABELS: Tuple[str, ...] = (ORG, INITIATIVE, OUTCOME)

LAUNCHED = "LAUNCHED"
ACHIEVED = "ACHIEVED"
# relation type -> (allowed head labels, allowed tail labels)
RELATION_TYPES: Dict[str, Tuple[FrozenSet[str], FrozenSet[str]]] = {
    LAUNCHED: (frozenset({ORG}), frozenset({INITIATIVE})),
    ACHIEVED: (frozenset({ORG, INITIATIVE}), frozenset({OUTCOME})),
}

# Characters a span may never start or end with (white space is checked separately).
QUOTE_MARKS = "“”‘’「」"
# A sentence ends at these characters; relations never cross them.
SENTENCE_END = "。！？；!?;"
# Where tagging cuts a sentence that runs on too long (before a hard cut).
CLAUSE_END = "，、：,:"
# Characters that show nothing: soft hyphen, zero-width space / non-joiner / joiner, direction
# marks and embeddings, word joiner and invisible operators, direction isolates, byte-order mark.
# Tagging reads a text without them; no span may start or end with one.
INVISIBLE = (
    "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)


def relation_allowed(label: str, head_label: str, tail_label: str) -> bool:
    """True when the guideline allows `label` from a `head_label` span to a `tail_label` span."""
    if label not in RELATION_TYPES:
        return False
    heads, tails = RELATION_TYPES[label]
    return head_label in heads and tail_label in tails


@lru_cache(maxsize=None)
def allowed_relations(head_label: str, tail_label: str) -> Tuple[str, ...]:
    """Relation types the guideline allows between two labels, in a fixed order."""
    return tuple(r for r in RELATION_TYPES if relation_allowed(r, head_label, tail_label))


# Background colours of the labels and relations in the HTML pages (Doccano's keys and colours, drawn as
# underlines on white, are in resources/doccano_labels.json).
SPAN_COLORS: Dict[str, str] = {ORG: "#7aecec", INITIATIVE: "#feca74", OUTCOME: "#bfe1d9"}
RELATION_COLORS: Dict[str, str] = {LAUNCHED: "#aa9cfc", ACHIEVED: "#ff9561"}
