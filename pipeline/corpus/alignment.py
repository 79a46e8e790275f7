"""Where gold spans and tokens meet: which gold spans coincide with token boundaries (a span that
does not is split for by corpus/docs.record_to_doc and reported), and the measurement of that
over a corpus for several tokenizers (`corpus alignment`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Tuple

from spacy.tokens import Doc

from ..schema import ENTITY_LABELS
from .records import Record

Tokenize = Callable[[str], Doc]
Table = Dict[Tuple[str, str], "AlignmentReport"]


@dataclass(frozen=True)
class Misaligned:
    """A gold span that did not coincide with token boundaries before retokenisation."""

    key: Tuple[str, int]
    label: str
    start: int
    end: int
    text: str
    tokens: Tuple[str, ...]  # the tokens the span touched

    def __str__(self) -> str:
        return f"{self.key[0]}/{self.key[1]} {self.label} {self.text!r} [{self.start},{self.end}) tokens: {' | '.join(self.tokens)}"


@dataclass
class AlignmentReport:
    """How many gold spans coincided with tokenizer boundaries."""

    total: int = 0
    misaligned: List[Misaligned] = field(default_factory=list)

    @property
    def aligned(self) -> int:
        return self.total - len(self.misaligned)

    @property
    def rate(self) -> float:
        return self.aligned / self.total if self.total else 1.0

    def add(self, other: "AlignmentReport") -> None:
        self.total += other.total
        self.misaligned.extend(other.misaligned)


def _touched(doc: Doc, start: int, end: int) -> Tuple[str, ...]:
    return tuple(t.text for t in doc if t.idx < end and t.idx + len(t.text) > start)


def alignment(doc: Doc, record: Record) -> AlignmentReport:
    """Which of the record's entities align with the doc's tokens (no changes made)."""
    report = AlignmentReport(total=len(record.entities))
    for ent in record.entities:
        if doc.char_span(ent.start, ent.end) is None:
            report.misaligned.append(
                Misaligned(
                    record.key, ent.label, ent.start, ent.end, record.span_text(ent), _touched(doc, ent.start, ent.end)
                )
            )
    return report


def measure(parts: Dict[str, List[Record]], settings: Dict[str, Tokenize]) -> Table:
    """An alignment report per (setting, part): how the gold spans of each part's records align
    with the tokens of each tokenizer."""
    table: Table = {}
    for setting, tokenize in settings.items():
        for split, recs in parts.items():
            rep = AlignmentReport()
            for rec in recs:
                rep.add(alignment(tokenize(rec.text), rec))
            table[(setting, split)] = rep
    return table


def _by_label(rep: AlignmentReport, records: List[Record]) -> Dict[str, float]:
    totals = Counter(e.label for r in records for e in r.entities)
    missed = Counter(m.label for m in rep.misaligned)
    return {lab: 1 - missed[lab] / totals[lab] if totals[lab] else 1.0 for lab in ENTITY_LABELS}


def print_table(table: Table, parts: Dict[str, List[Record]], verbose: bool = False) -> None:
    header = f"{'setting':<15}{'split':<7}{'spans':>7}{'aligned':>9}{'rate':>8}" + "".join(
        f"{lab:>12}" for lab in ENTITY_LABELS
    )
    print(header)
    print("-" * len(header))
    for (setting, split), rep in table.items():
        labels = _by_label(rep, parts[split])
        print(
            f"{setting:<15}{split:<7}{rep.total:>7}{rep.aligned:>9}{rep.rate:>8.1%}"
            + "".join(f"{labels[lab]:>12.1%}" for lab in ENTITY_LABELS)
        )
    if verbose:
        for (setting, split), rep in table.items():
            if split == "all":
                print(f"\nMisaligned with {setting}:")
                for m in rep.misaligned:
                    print(f"  {m}")
