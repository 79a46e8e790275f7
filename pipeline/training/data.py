"""Build the training data from corpus/: split, user dictionary, and train/dev DocBins."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from .. import paths
from ..corpus import splits
from ..corpus.alignment import AlignmentReport, Table, measure
from ..corpus.docs import records_to_docs, write_docbin
from ..corpus.files import doc_ids, read_records
from ..corpus.records import Record
from ..tokenization.lexicon import jackknife_lexicons, lexicon, write_user_dict
from ..tokenization.tokenizer import blank_pkuseg, pkuseg_with_words, set_user_dict
from .readers import pre_ner_tokenizer


@dataclass
class BuildResult:
    train_path: Path
    dev_path: Path
    user_dict: Path
    n_train: int
    n_dev: int
    n_words: int
    reports: Dict[str, AlignmentReport]
    train_docs: List[str]


def load_gold(path: Optional[Path] = None) -> List[Record]:
    """The confirmed annotations (corpus/gold.jsonl), validated."""
    return read_records(path or paths.corpus().gold)


def gold_splits(
    records: List[Record], splits_file: Optional[Path] = None, write: bool = True
) -> Tuple[List[Record], List[Record]]:
    """(train, dev) gold records, assigning any new documents first (recorded in the split file
    unless `write` is false)."""
    mapping = splits.update(splits_file or paths.corpus().splits, doc_ids(records), write=write)
    return splits.split_records(records, mapping)


def build(
    out_dir: Optional[Path] = None,
    gold: Optional[Path] = None,
    splits_file: Optional[Path] = None,
    holdout: bool = False,
) -> BuildResult:
    """Write user_dict.txt, train.spacy and dev.spacy; spans that needed retokenising are reported.

    Without `holdout` every annotated document is training data, and dev.spacy (the dev split,
    which spaCy's trainer needs to log scores) is part of it. With `holdout` the dev split is left
    out of training: the honest setting for a held-out score. Dev is tokenised as at tagging time
    (the full training lexicon); each training document with the lexicon of the other training
    documents (see tokenization/lexicon.jackknife_lexicons).
    """
    out_dir = out_dir or paths.corpus().build
    train, dev = gold_splits(load_gold(gold), splits_file)
    if not holdout:
        train = train + dev
    words = lexicon(train)
    user_dict = write_user_dict(words, out_dir / "user_dict.txt")
    nlp = blank_pkuseg(user_dict)
    tokenize = pre_ner_tokenizer(nlp)
    reports = {"train": AlignmentReport(), "dev": AlignmentReport()}
    train_docs = []
    for doc_id, doc_words in jackknife_lexicons(train).items():
        set_user_dict(nlp, doc_words)
        docs, rep = records_to_docs([r for r in train if r.doc_id == doc_id], tokenize)
        train_docs.extend(docs)
        reports["train"].add(rep)
    set_user_dict(nlp, words)
    dev_docs, reports["dev"] = records_to_docs(dev, tokenize)
    write_docbin(train_docs, out_dir / "train.spacy")
    write_docbin(dev_docs, out_dir / "dev.spacy")
    return BuildResult(
        out_dir / "train.spacy",
        out_dir / "dev.spacy",
        user_dict,
        len(train),
        len(dev),
        len(words),
        reports,
        doc_ids(train),
    )


def measure_alignment(gold: Optional[Path] = None) -> Tuple[Table, Dict[str, List[Record]]]:
    """How the gold spans of the train and dev splits align with pkuseg tokens: without a user
    dictionary, with the train lexicon, and with the pipeline's own tokenisation (lexicon +
    dangjian_token_splitter). Reads the corpus and the split file; writes nothing."""
    train, dev = gold_splits(read_records(gold or paths.corpus().gold), write=False)
    parts = {"train": train, "dev": dev, "all": train + dev}
    with_lexicon = pkuseg_with_words(lexicon(train))
    settings = {
        "no user dict": pkuseg_with_words([]).make_doc,
        "train lexicon": with_lexicon.make_doc,
        "+ splitter": pre_ner_tokenizer(with_lexicon),
    }
    return measure(parts, settings), parts
