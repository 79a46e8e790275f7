"""Shared fixtures and the opt-in markers.

`pytest` alone runs the fast tests; `--slow` adds tests that use the real pkuseg model or train a
pipeline, `--integration` those that start real servers (Doccano, Dask, the HTTP service);
`python3 run.py test` (and CI) runs them all. Slow fixtures use the real pkuseg model (built by
`python -m pipeline setup`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest
import spacy
from spacy.tokens import Doc

from pipeline import paths

ROOT = Path(__file__).resolve().parent.parent
OPT_IN = {"slow": "uses the real pkuseg model or trains a pipeline", "integration": "starts a real server"}


def pytest_addoption(parser: pytest.Parser) -> None:
    for marker, what in OPT_IN.items():
        parser.addoption(
            f"--{marker}", action="store_true", default=False, help=f"also run tests marked {marker} ({what})"
        )


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    for marker in OPT_IN:
        if config.getoption(f"--{marker}"):
            continue
        skip = pytest.mark.skip(reason=f"{marker} test: run with --{marker}")
        for item in items:
            if marker in item.keywords:
                item.add_marker(skip)


def record(text: str, ents=(), rels=(), doc_id: str = "d1", para: int = 0) -> Dict[str, Any]:
    """A hand-made import-shape record; ents are (label, surface) or (label, start, end)."""
    entities = []
    for i, e in enumerate(ents, 1):
        if len(e) == 2:
            start = text.index(e[1])
            end = start + len(e[1])
        else:
            start, end = e[1], e[2]
        entities.append({"id": i, "label": e[0], "start_offset": start, "end_offset": end})
    relations = [{"id": i, "from_id": h, "to_id": t, "type": lab} for i, (h, t, lab) in enumerate(rels, 1)]
    return {"text": text, "entities": entities, "relations": relations, "meta": {"doc_id": doc_id, "para": para}}


@pytest.fixture
def make_jsonl(tmp_path: Path) -> Callable[[List[Any]], Path]:
    """Write rows (dicts are JSON-encoded, strings written as-is) to a temp JSONL file."""

    def _make(rows: List[Any], name: str = "in.jsonl") -> Path:
        path = tmp_path / name
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            for row in rows:
                f.write((row if isinstance(row, str) else json.dumps(row, ensure_ascii=False)) + "\n")
        return path

    return _make


@pytest.fixture
def char_tokenize() -> Callable[[str], Doc]:
    """spaCy's default Chinese tokenizer (one token per character): fast, no model needed."""
    return spacy.blank("zh").make_doc


def words_tokenizer(words: List[str]) -> Callable[[str], Doc]:
    """A tokenizer that returns exactly `words` (their concatenation must be the text)."""
    nlp = spacy.blank("zh")

    def tokenize(text: str) -> Doc:
        assert "".join(words) == text
        return Doc(nlp.vocab, words=list(words), spaces=[False] * len(words))

    return tokenize


@pytest.fixture(scope="session")
def pkuseg_ready() -> Path:
    from pipeline.tokenization.pkuseg_model import ensure_pkuseg_model

    return ensure_pkuseg_model()


@pytest.fixture(scope="session")
def gold_records():
    from pipeline.corpus import read_records

    return read_records(paths.corpus().gold)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory, pkuseg_ready) -> Path:
    """A real pipeline from configs/default.cfg, trained briefly on the gold corpus (seconds, not minutes)."""
    from pipeline.training.train import train_pipeline

    root = tmp_path_factory.mktemp("tiny")
    overrides = {
        "training.max_steps": 40,
        "training.eval_frequency": 20,
        "components.tok2vec.model.encode.width": 32,
        "components.tok2vec.model.encode.depth": 2,
        "corpora.train.msra_org": 0,
        "corpora.train.msra_plain": 0,
        "corpora.train.repeat": 1,
    }
    return train_pipeline(output=root / "model", overrides=overrides, progress=False, build_dir=root / "build")


@pytest.fixture(scope="session")
def tiny_nlp(tiny_model):
    from pipeline import load

    return load(tiny_model)


@pytest.fixture(scope="session")
def default_model() -> Path:
    """models/default, the shipped default pipeline (trained on first use, as `pipeline.load()` does)."""
    from pipeline.api import default_model_path, load

    load()
    return default_model_path()


@pytest.fixture(scope="session")
def tagged_articles(default_model, tmp_path_factory) -> Path:
    """Eight corpus articles tagged by the default model with `tag -o` (Doccano relation JSONL)."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    articles = sorted((ROOT / "corpus" / "raw" / "articles").glob("*.txt"))[:8]
    out = tmp_path_factory.mktemp("tagged") / "tagged.jsonl"
    result = CliRunner().invoke(app, ["tag", *map(str, articles), "-m", str(default_model), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out
