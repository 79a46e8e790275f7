"""Feature strings of one relation decision: for each candidate head of a tail, and for "no head".

What transfers between articles is the sentence's structure, not its distances: the candidate's
rank among the heads of its label on its side of the tail, whether it opens the clause as the
sentence's acting organisation (the subject Chinese keeps across comma clauses), the clause marks
and actors between the two, coordinations, award verbs (a recipient launches nothing), a position
title after an organisation (its official speaks; the organisation does not act), a preposition
before it (在/对/向 make it a place or an object), and the nearest-head rule's own choice. The
characters right around both spans add what the corpus shows. Each feature is also conjoined
with the label pair. The word lists come from resources/relation_lexicon.json.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from ..resources import read_json
from ..schema import OUTCOME
from .candidates import CLAUSE_MARKS, QUOTES, Mention, Sentence, rule_head

_CLAUSE_SPLIT = re.compile(f"[{CLAUSE_MARKS}]")
# An organisation opens a clause when at most this many characters (an adverbial such as
# 近年来 or 2024年以来) stand between the clause mark and it.
SUBJECT_LEAD = 6


@dataclass(frozen=True)
class RelationLexicon:
    """Word lists the features look for (resources/relation_lexicon.json or a config's file)."""

    cues: Sequence[str]  # verbs and prepositions that introduce what an organisation does
    titles: Sequence[str]  # position titles after an organisation: its official is the subject
    prepositions: Sequence[str]  # before an organisation: it is a place, an object or a source
    award_verbs: Sequence[str]  # between a recipient and its award
    co_organisers: Sequence[str]  # 联合 / 共同: each organisation launches


def lexicon_from_dict(data: Dict[str, List[str]]) -> RelationLexicon:
    return RelationLexicon(*(tuple(data[name]) for name in RelationLexicon.__dataclass_fields__))


def default_lexicon() -> RelationLexicon:
    return lexicon_from_dict(read_json("relation_lexicon.json"))


def bucket(n: int, top: int) -> str:
    """n, or "top+" from `top` up."""
    return f"{top}+" if n >= top else str(n)


class SentenceFeatures:
    """Feature strings for the decisions of one sentence (its subject organisations computed once)."""

    def __init__(self, text: str, sent: Sentence, lexicon: RelationLexicon):
        self.text = text
        self.sent = sent
        self.lex = lexicon
        self.subjects = [m for m in sent.mentions if m.label == "ORG" and self._opens_clause(m)]

    def _opens_clause(self, m: Mention) -> bool:
        """The organisation starts its clause (after a short adverbial at most) and no
        preposition or 的 governs it."""
        lead = _CLAUSE_SPLIT.split(self.text[self.sent.start : m.start])[-1].strip(QUOTES)
        before = self.text[max(self.sent.start, m.start - 2) : m.start]
        return len(lead) <= SUBJECT_LEAD and not lead.endswith("的") and not self._preposition(before)

    def _preposition(self, before: str) -> Optional[str]:
        return next((p for p in self.lex.prepositions if before.endswith(p)), None)

    def subject_of(self, tail: Mention) -> Optional[Mention]:
        """The acting organisation of the tail's clause: the last clause-opening one before it."""
        before = [m for m in self.subjects if m.start < tail.start]
        return before[-1] if before else None

    def candidate(self, head: Mention, tail: Mention, candidates: Sequence[Mention]) -> List[str]:
        """Features of `head` as the head of `tail`."""
        text, mentions = self.text, self.sent.mentions
        before = head.start < tail.start
        first, second = (head, tail) if before else (tail, head)
        between = text[first.end : second.start]
        side = "b" if before else "a"
        same_side = sorted(
            (m for m in mentions if m.label == head.label and (m.end <= tail.start if before else m.start >= tail.end)),
            key=lambda m: abs(m.start - tail.start),
        )
        rank = same_side.index(head) + 1
        cand_side = sorted(
            (c for c in candidates if (c.start < tail.start) == before), key=lambda m: abs(m.start - tail.start)
        )
        rank_all = cand_side.index(head) + 1
        clauses = sum(between.count(c) for c in CLAUSE_MARKS)
        inside = [m for m in mentions if first.end <= m.start and m.end <= second.start]
        cues = [c for c in self.lex.cues if c in between]
        award = any(w in between for w in self.lex.award_verbs)
        lead = text[self.sent.start : head.start]
        subject = self.subject_of(tail)
        after_head = text[head.end : head.end + 5]
        feats = [
            "bias",
            f"dir={side}",
            f"rank={bucket(rank, 3)}",
            f"rank_all={bucket(rank_all, 3)}",
            f"first_of_label={next(m for m in mentions if m.label == head.label) == head}",
            f"first_entity={mentions[0] == head}",
            f"h_at_start={len(lead.strip(QUOTES)) <= 1}",
            f"h_clause_initial={len(_CLAUSE_SPLIT.split(lead)[-1].strip(QUOTES)) <= 1}",
            f"clauses={bucket(clauses, 3)}",
            f"enums={bucket(between.count('、'), 2)}",
            f"n_cues={bucket(len(cues), 2)}",
            f"award={award}",
            f"co_org={any(c in between for c in self.lex.co_organisers)}",
            f"h_person={any(after_head[k:].startswith(w) for w in self.lex.titles for k in (0, 1))}",
            f"h_prep={self._preposition(text[max(self.sent.start, head.start - 2) : head.start])}",
            f"rule_pick={rule_head(self.sent, tail) == head}",
            f"h_subject={subject == head}",
            f"has_subject={subject is not None}",
            f"dir={side}|rank={bucket(rank, 3)}",
            f"dir={side}|award={award}",
            f"dir={side}|clauses={bucket(clauses, 3)}",
            f"dir={side}|first_entity={mentions[0] == head}",
        ]
        feats += [f"between_{label}={bucket(sum(m.label == label for m in inside), 2)}" for label in _LABELS]
        feats += [f"cue={c}" for c in cues]
        if subject is not None and subject != head:
            feats.append(f"other_subject_{'b' if subject.start < head.start else 'a'}")
        if tail.label == OUTCOME:
            feats += self._overlap(head, tail)
        feats += self._around("h", head) + self._around("t", tail) + [f"hEnd={text[head.end - 1 : head.end]}"]
        pair = f"{head.label}>{tail.label}|"
        return feats + [pair + f for f in feats]

    def _overlap(self, head: Mention, tail: Mention) -> List[str]:
        """Characters the head shares with the OUTCOME's clause (举办专题讲座14场 ~ 机关大讲堂)."""
        clause = _CLAUSE_SPLIT.split(self.text[self.sent.start : tail.start])[-1]
        name = self.text[head.start : head.end]
        bigrams = {name[i : i + 2] for i in range(len(name) - 1)}
        chars = set(name) - set("的了和与、“”")
        return [
            f"ov_bigram={any(b in clause for b in bigrams)}",
            f"ov_char={bucket(sum(c in clause for c in chars), 2)}",
        ]

    def _around(self, name: str, m: Mention) -> List[str]:
        text = self.text
        return [
            f"{name}L1={text[max(0, m.start - 1) : m.start]}",
            f"{name}L2={text[max(0, m.start - 2) : m.start]}",
            f"{name}R1={text[m.end : m.end + 1]}",
            f"{name}R2={text[m.end : m.end + 2]}",
        ]

    def none(self, tail: Mention, candidates: Sequence[Mention]) -> List[str]:
        """Features of "this tail has no head"."""
        mentions = self.sent.mentions
        n_before = sum(c.start < tail.start for c in candidates)
        feats = [
            "NONE",
            f"N_orgs={bucket(sum(m.label == 'ORG' for m in mentions), 2)}",
            f"N_inis={bucket(sum(m.label == 'INITIATIVE' for m in mentions), 2)}",
            f"N_cands_before={bucket(n_before, 2)}",
            f"N_cands_after={bucket(len(candidates) - n_before, 2)}",
            f"N_t_first={mentions[0] == tail}",
        ]
        feats += ["N_" + f for f in self._around("t", tail)]
        return feats + [f"{tail.label}|" + f for f in feats]


_LABELS = ("ORG", "INITIATIVE", "OUTCOME")
