"""What a relation decision is made over: for each INITIATIVE and OUTCOME of a sentence (a tail),
the entities of the same sentence that the guideline allows as its head (its candidates), nearest
first and bounded in number and distance; coordinations (co-organisers, co-initiatives); and the
nearest-head rule the learned extractor must beat.

Everything works on character offsets of the text, so it does not depend on the tokenisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, List, NamedTuple, Optional, Protocol, Sequence, Tuple

from ..schema import INITIATIVE, ORG, OUTCOME, SENTENCE_END, allowed_relations

CLAUSE_MARKS = "，,：:"
QUOTES = " “”\"'‘’「」　"
# What may stand between two entities of one coordination: 省直机关工委和纪检监察工委,
# 区委组织部(区直机关工委), “四下基层”调研、“走流程” is not one (a word between).
COORDINATORS = frozenset(
    {"", "、", "和", "与", "及", "以及", "同", "联合", "会同", "(", ")", "（", "）", ")(", "）（", "，联合", ",联合"}
)
# The nearest-head rule's window for an INITIATIVE head of an OUTCOME.
RULE_WINDOW = 40


class Mention(NamedTuple):
    """An entity by character offsets; `index` is its position in the doc's entities."""

    start: int
    end: int
    label: str
    index: int


@dataclass
class Sentence:
    """One sentence of the guideline (it ends at 。！？；) and its mentions, in text order."""

    start: int
    end: int
    mentions: List[Mention] = field(default_factory=list)


@dataclass
class TailChoice:
    """The decision for one tail: which of its candidates (if any) is its head."""

    tail: Mention
    candidates: List[Mention]
    sentence: Sentence


def sentences(text: str) -> List[Tuple[int, int]]:
    """(start, end) character offsets of the guideline's sentences."""
    out, start = [], 0
    for i, char in enumerate(text):
        if char in SENTENCE_END:
            out.append((start, i + 1))
            start = i + 1
    if start < len(text):
        out.append((start, len(text)))
    return out


def sentence_mentions(text: str, mentions: Iterable[Mention]) -> List[Sentence]:
    """The sentences that hold mentions, each with its mentions in text order."""
    ordered = sorted(mentions)
    out: List[Sentence] = []
    i = 0
    for start, end in sentences(text):
        sent = Sentence(start, end)
        while i < len(ordered) and ordered[i].start < end:
            if ordered[i].start >= start:
                sent.mentions.append(ordered[i])
            i += 1
        if sent.mentions:
            out.append(sent)
    return out


def tail_choices(text: str, mentions: Iterable[Mention], max_candidates: int, max_distance: int) -> List[TailChoice]:
    """One choice per INITIATIVE / OUTCOME: its allowed heads in the sentence, at most
    `max_candidates` of each label (the nearest) and at most `max_distance` characters away."""
    out = []
    for sent in sentence_mentions(text, mentions):
        for tail in sent.mentions:
            if tail.label not in (INITIATIVE, OUTCOME):
                continue
            near = [
                m
                for m in sent.mentions
                if m is not tail and allowed_relations(m.label, tail.label) and gap(m, tail) <= max_distance
            ]
            kept: List[Mention] = []
            for label in (ORG, INITIATIVE):
                same = sorted((m for m in near if m.label == label), key=lambda m: gap(m, tail))
                kept += same[:max_candidates]
            out.append(TailChoice(tail, sorted(kept), sent))
    return out


class Offsets(Protocol):
    start: int
    end: int


def gap(a: Offsets, b: Offsets) -> int:
    """Characters between two spans (0 when adjacent): mentions, corpus entities, offset pairs."""
    return max(0, max(a.start, b.start) - min(a.end, b.end))


def coordination(text: str, sent: Sentence, head: Mention) -> List[Mention]:
    """The mentions of `head`'s label joined to it by coordinators only (、和与及 联合, an alias in
    brackets): co-organisers each get LAUNCHED, coordinated initiatives each get ACHIEVED."""
    runs: List[List[Mention]] = []
    for m in sent.mentions:
        last = runs[-1][-1] if runs else None
        if last is not None and last.label == m.label and text[last.end : m.start].strip(QUOTES) in COORDINATORS:
            runs[-1].append(m)
        else:
            runs.append([m])
    return next((run for run in runs if head in run), [head])


def rule_head(sent: Sentence, tail: Mention) -> Optional[Mention]:
    """The nearest-head rule: an INITIATIVE's head is the nearest ORG before it in the sentence,
    else the sentence's first ORG; an OUTCOME's is the nearest INITIATIVE before it within
    RULE_WINDOW characters, else the nearest ORG before it."""
    before = [m for m in sent.mentions if m.end <= tail.start]
    orgs = [m for m in before if m.label == ORG]
    if tail.label == INITIATIVE:
        return orgs[-1] if orgs else next((m for m in sent.mentions if m.label == ORG), None)
    if tail.label == OUTCOME:
        inis = [m for m in before if m.label == INITIATIVE and tail.start - m.end <= RULE_WINDOW]
        return inis[-1] if inis else (orgs[-1] if orgs else None)
    return None


def rule_relations(text: str, mentions: Sequence[Mention]) -> List[Tuple[Mention, Mention, str]]:
    """(head, tail, label) the nearest-head rule asserts: the baseline every design must beat."""
    out = []
    for sent in sentence_mentions(text, mentions):
        for tail in sent.mentions:
            head = rule_head(sent, tail)
            if head is not None:
                out.append((head, tail, allowed_relations(head.label, tail.label)[0]))
    return out
