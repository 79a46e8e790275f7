"""Export the corpus to a Hugging Face `datasets.Dataset` and read it back."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List

from .records import CorpusError, Problem, Record
from .validate import parse_record


def _meta_features(records: List[Record]) -> Dict[str, Any]:
    from datasets import Value

    kinds: Dict[str, str] = {}
    for rec in records:
        for k, v in rec.meta.items():
            kind = (
                "int64"
                if isinstance(v, int) and not isinstance(v, bool)
                else "bool"
                if isinstance(v, bool)
                else "float64"
                if isinstance(v, float)
                else "string"
            )
            kinds[k] = kind if kinds.get(k, kind) == kind else "string"
    return {k: Value(v) for k, v in kinds.items()}


def to_dataset(records: Iterable[Record]) -> "datasets.Dataset":  # noqa: F821
    """One row per paragraph: text, entities, relations (Doccano fields) and meta."""
    from datasets import Dataset, Features, Value

    records = list(records)
    meta_features = _meta_features(records)
    features = Features(
        {
            "text": Value("string"),
            "entities": [
                {
                    "id": Value("int64"),
                    "label": Value("string"),
                    "start_offset": Value("int64"),
                    "end_offset": Value("int64"),
                }
            ],
            "relations": [
                {"id": Value("int64"), "from_id": Value("int64"), "to_id": Value("int64"), "type": Value("string")}
            ],
            "meta": meta_features,
        }
    )
    rows = []
    for rec in records:
        row = rec.to_json()
        row["meta"] = {
            k: (v if meta_features[k].dtype != "string" or isinstance(v, str) else json.dumps(v, ensure_ascii=False))
            for k, v in rec.meta.items()
        }
        rows.append(row)
    return Dataset.from_list(rows, features=features)


def from_dataset(dataset: "datasets.Dataset", source: str = "<dataset>") -> List[Record]:  # noqa: F821
    """Records from a Dataset made by `to_dataset` (or any with the same columns), validated."""
    records: List[Record] = []
    problems: List[Problem] = []
    for i, row in enumerate(dataset):
        row = dict(row)
        row["meta"] = {k: v for k, v in (row.get("meta") or {}).items() if v is not None}
        rec, errs = parse_record(row, source, i, require_meta=False)
        problems.extend(errs)
        if rec is not None:
            records.append(rec)
    if problems:
        raise CorpusError(problems)
    return records
