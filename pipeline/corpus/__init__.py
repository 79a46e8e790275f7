"""The corpus: paragraph records in Doccano's relation JSONL, their validation and files, the
conversion to spaCy Docs, document splits, and external data (MSRA, Hugging Face datasets)."""

from .files import (
    check_records,
    doc_ids,
    iter_jsonl,
    merge_records,
    read_records,
    validate_file,
    write_records,
)
from .records import CorpusError, Entity, Problem, Record, Relation
from .validate import parse_record

__all__ = [
    "CorpusError",
    "Entity",
    "Problem",
    "Record",
    "Relation",
    "check_records",
    "doc_ids",
    "iter_jsonl",
    "merge_records",
    "parse_record",
    "read_records",
    "validate_file",
    "write_records",
]
