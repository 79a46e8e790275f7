"""Measure how gold spans align with pkuseg tokens, and check the JSONL <-> Doc round trip."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from .. import paths
from ..corpus.docs import AlignmentReport, alignment, doc_to_record, records_to_docs
from ..corpus.files import read_records
from ..corpus.records import Record
from ..schema import ENTITY_LABELS
from ..tokenization.lexicon import lexicon
from ..tokenization.tokenizer import pkuseg_with_words

Table = Dict[Tuple[str, str], AlignmentReport]


def measure(gold: Optional[Path] = None) -> Tuple[Table, Dict[str, List[Record]]]:
    """Alignment reports keyed by (setting, split): pkuseg without and with the train lexicon as
    user dictionary, and the pipeline's own tokenisation (lexicon + dangjian_token_splitter)."""
    from ..training.data import gold_splits
    from ..training.readers import pre_ner_tokenizer

    train, dev = gold_splits(read_records(gold or paths.corpus().gold), write=False)  # a measurement: reads only
    parts = {"train": train, "dev": dev, "all": train + dev}
    with_lexicon = pkuseg_with_words(lexicon(train))
    settings = {
        "no user dict": pkuseg_with_words([]).make_doc,
        "train lexicon": with_lexicon.make_doc,
        "+ splitter": pre_ner_tokenizer(with_lexicon),
    }
    table: Table = {}
    for setting, tokenize in settings.items():
        for split, recs in parts.items():
            rep = AlignmentReport()
            for rec in recs:
                rep.add(alignment(tokenize(rec.text), rec))
            table[(setting, split)] = rep
    return table, parts


def _by_label(rep: AlignmentReport, records: List[Record]) -> Dict[str, float]:
    totals = Counter(e.label for r in records for e in r.entities)
    missed = Counter(m.label for m in rep.misaligned)
    return {lab: 1 - missed[lab] / totals[lab] if totals[lab] else 1.0 for lab in ENTITY_LABELS}


def print_table(result: Tuple[Table, Dict[str, List[Record]]], verbose: bool = False) -> None:
    table, parts = result
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


def roundtrip_bytes(path: Path) -> Tuple[bytes, bytes]:
    """(original bytes, bytes after JSONL -> Docs -> JSONL) using the pkuseg tokenizer."""
    import json

    records = read_records(path)
    nlp = pkuseg_with_words(lexicon(records))
    docs, _ = records_to_docs(records, nlp.make_doc)
    again = "".join(json.dumps(doc_to_record(d).to_json(), ensure_ascii=False) + "\n" for d in docs)
    return Path(path).read_bytes(), again.encode("utf-8")
