"""Accuracy of the canonical organisation names (pipeline/facts/orgs.py) against the hand annotation
in corpus/canonical/orgs.jsonl, on the gold ORG mentions of the annotated documents.

python benchmarks/canonical_orgs.py [-v]     (-v: list every mention the resolution gets wrong)

Prints, per document and overall: mentions, exact-match accuracy of the canonical name, accuracy
of the resolved flag (unresolved = a short form nothing in the article explains), and the share of
mentions whose canonical name differs from the text, by the annotator and by the resolution.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

from pipeline import paths
from pipeline.corpus import read_records
from pipeline.facts.canonical import UNRESOLVED
from pipeline.facts.orgs import resolve_orgs
from pipeline.schema import ORG

ANNOTATION = paths.corpus().dir / "canonical" / "orgs.jsonl"


def load_annotation(path: Path) -> Dict[Tuple[str, int, int, int], dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {(r["doc_id"], r["para"], r["start"], r["end"]): r for r in rows}


def resolve_gold(doc_ids: List[str]) -> Dict[Tuple[str, int, int, int], Tuple[str, bool]]:
    """(canonical, resolved) of every gold ORG mention of the documents, by the resolution."""
    by_doc = defaultdict(list)
    for rec in read_records(paths.corpus().gold):
        if rec.doc_id in doc_ids:
            by_doc[rec.doc_id].append(rec)
    out = {}
    for doc_id, recs in by_doc.items():
        recs.sort(key=lambda r: r.key[1])
        mentions, keys = [], []
        for i, rec in enumerate(recs):
            for ent in sorted(rec.entities, key=lambda e: e.start):
                if ent.label == ORG:
                    mentions.append((i, ent.start, rec.span_text(ent)))
                    keys.append((doc_id, rec.key[1], ent.start, ent.end))
        for key, canonical in zip(keys, resolve_orgs([r.text for r in recs], mentions)):
            out[key] = (canonical.name, canonical.status != UNRESOLVED)
    return out


def main(verbose: bool) -> None:
    gold = load_annotation(ANNOTATION)
    doc_ids = sorted({k[0] for k in gold})
    predicted = resolve_gold(doc_ids)
    missing = set(gold) - set(predicted)
    if missing:
        raise SystemExit(
            f"{len(missing)} annotated mentions are not gold ORG spans of corpus/gold.jsonl: {sorted(missing)[:5]}"
        )
    table = defaultdict(lambda: [0, 0, 0, 0, 0])  # mentions, name right, flag right, changed (gold), changed (ours)
    wrong = []
    for key, row in gold.items():
        name, resolved = predicted[key]
        for doc in (key[0], "all"):
            t = table[doc]
            t[0] += 1
            t[1] += name == row["canonical"]
            t[2] += resolved == row["resolved"]
            t[3] += row["canonical"] != row["text"]
            t[4] += name != row["text"]
        if name != row["canonical"] or resolved != row["resolved"]:
            wrong.append((key, row, name, resolved))
    print(f"{'document':<44}{'mentions':>9}{'name acc':>10}{'flag acc':>10}{'changed: gold':>15}{'ours':>7}")
    for doc in [*doc_ids, "all"]:
        n, ok, flag, g, o = table[doc]
        print(f"{doc:<44}{n:>9}{ok / n:>10.3f}{flag / n:>10.3f}{g / n:>15.3f}{o / n:>7.3f}")
    print(f"\n{len(wrong)} mention(s) differ from the annotation")
    if verbose:
        for (doc, para, start, _), row, name, resolved in wrong:
            flag = "" if resolved == row["resolved"] else f"  (resolved: ours {resolved}, gold {row['resolved']})"
            print(f"  {doc}/{para}@{start} {row['text']} -> ours {name} | gold {row['canonical']}{flag}")


if __name__ == "__main__":
    main("-v" in sys.argv[1:])
