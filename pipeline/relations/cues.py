"""Lexical and structural cues of a candidate relation pair, hashed into a fixed-width vector.

The pooled token vectors of head, tail and gap see little of what decides a relation in this
genre: the characters right around each entity (开展“…”, 为区党工委…, …中刊发) and the sentence
structure the guideline names (an INITIATIVE in the sentence takes an OUTCOME before the acting
ORG; the acting ORG is usually the first one; co-organisers joined by 联合/共同 each launch). These
cues are strings, hashed (CRC32, stable across runs and machines) into `n_dims` binary columns
that a linear layer reads like a logistic regression.
"""

from __future__ import annotations

import zlib
from functools import lru_cache
from typing import List, Optional, Sequence, Tuple

import numpy
from spacy.tokens import Doc, Span

from ..resources import word_list
from ..schema import INITIATIVE, OUTCOME

OPEN_MARKS = "“《"
CLAUSE_MARKS = "，,；;：:"
# The guideline: co-organisers joined by 联合 / 共同 each get LAUNCHED.
CO_ORGANISER_CUES = ("联合", "共同")


@lru_cache(maxsize=1)
def default_cue_words() -> Tuple[str, ...]:
    """Verbs and prepositions that introduce what an organisation does (resources/relation_cues.txt)."""
    return tuple(word_list("relation_cues"))


def context_features(
    doc: Doc,
    sent: Sequence[int],
    ents: Sequence[Span],
    head: Span,
    tail: Span,
    text: Optional[str] = None,
    cue_words: Optional[Sequence[str]] = None,
) -> List[str]:
    """Feature strings of (head, tail): characters around both spans, the cue words between them,
    and where they sit among the sentence's entities; each also conjoined with the label pair.
    Pass `text` (doc.text, which spaCy rebuilds from the tokens on every access) for many pairs."""
    text = doc.text if text is None else text
    cue_words = default_cue_words() if cue_words is None else cue_words
    first, second = (head, tail) if head.start < tail.start else (tail, head)
    between = text[first.end_char : second.start_char]
    feats = []
    for name, span in (("h", head), ("t", tail)):
        for n in (1, 2):
            feats.append(f"{name}L{n}={text[max(0, span.start_char - n) : span.start_char]}")
            feats.append(f"{name}R{n}={text[span.end_char : span.end_char + n]}")
    in_sent = [e for e in ents if sent[e.start] == sent[head.start]]
    same_label = [e for e in in_sent if e.label_ == head.label_]
    initiatives = [e for e in in_sent if e.label_ == INITIATIVE]
    heads_before = [e for e in same_label if e.end <= tail.start]
    cues = [c for c in cue_words if c in between]
    outcomes_between = [e for e in ents if first.end <= e.start and e.end <= second.start and e.label_ == OUTCOME]
    feats += [
        f"hEnd2={head.text[-2:]}",
        f"tEnd2={tail.text[-2:]}",
        f"gap_chars={min(len(between), 40) // 5}",
        f"same_clause={not any(c in between for c in CLAUSE_MARKS)}",
        f"outcomes_between={min(len(outcomes_between), 3)}",
        f"co_organisers={any(c in between for c in CO_ORGANISER_CUES)}",
        f"head_first_of_label={same_label[0].start == head.start}",
        f"head_first_entity={in_sent[0].start == head.start}",
        f"sentence_has_initiative={bool(initiatives)}",
        f"initiative_before_tail={any(e.end <= tail.start for e in initiatives)}",
        f"head_nearest_before_tail={bool(heads_before) and heads_before[-1].start == head.start}",
        f"head_after_tail={head.start > tail.start}",
        f"commas={min(between.count('，') + between.count(','), 3)}",
        f"colon={'：' in between or ':' in between}",
        f"enumeration={min(between.count('、'), 2)}",
        f"tail_opened={text[tail.start_char - 1 : tail.start_char] in OPEN_MARKS if tail.start_char else False}",
        f"n_cues={min(len(cues), 2)}",
    ]
    feats += [f"cue={c}" for c in cues]
    pair = f"{head.label_}>{tail.label_}|"
    return feats + [pair + f for f in feats]


def hash_features(features: Sequence[str], n_dims: int) -> numpy.ndarray:
    """Binary vector with a 1 at the CRC32 bucket of each feature string."""
    out = numpy.zeros(n_dims, dtype="float32")
    for f in features:
        out[zlib.crc32(f.encode("utf8")) % n_dims] = 1.0
    return out
