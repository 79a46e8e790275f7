"""The cross-validation benchmark's pieces: folds by document, and the relation-only config."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import spacy

from pipeline.corpus import Entity, Record, Relation
from pipeline.training.train import default_config

ROOT = Path(__file__).resolve().parents[2]


def _module():
    spec = importlib.util.spec_from_file_location("relations_cv", ROOT / "benchmarks" / "relations_cv.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _record(doc_id: str, n_relations: int) -> Record:
    ents = [Entity(1, "ORG", 0, 2), Entity(2, "INITIATIVE", 3, 5)]
    return Record(
        "市委开展三航",
        ents,
        [Relation(i + 1, 1, 2, "LAUNCHED") for i in range(n_relations)],
        {"doc_id": doc_id, "para": 0},
    )


def test_folds_keep_documents_whole_and_balance_relations():
    cv = _module()
    records = [_record(d, n) for d, n in (("a", 5), ("b", 4), ("c", 3), ("d", 2), ("d", 1), ("e", 1))]
    folds = cv.folds_by_document(records, 2)
    assert sorted(d for f in folds for d in f) == ["a", "b", "c", "d", "e"]
    load = [sum(len(r.relations) for r in records if r.meta["doc_id"] in f) for f in folds]
    assert load == [8, 8]


def test_relation_only_config_freezes_a_sourced_encoder(tmp_path):
    cv = _module()
    encoder = tmp_path / "enc"
    encoder.mkdir()
    spacy.util.load_config(ROOT / "configs" / "ner.cfg", interpolate=False).to_disk(encoder / "config.cfg")
    config = cv.relation_only_config(
        default_config(),
        encoder,
        {
            "components.dangjian_relation_extractor.model.n_hashed": "0",
            "components.dangjian_relation_extractor.model.pooled_vectors": "",
        },
    )
    frozen = config["training"]["frozen_components"]
    assert (
        "dangjian_relation_extractor" not in frozen
        and "ner" in frozen
        and "tok2vec" in config["training"]["annotating_components"]
    )
    assert config["components"]["ner"] == {"source": str(encoder.resolve())}
    # an encoder trained before a rule component existed: the rule keeps its own settings
    enc_config = spacy.util.load_config(encoder / "config.cfg", interpolate=False)
    enc_config["nlp"]["pipeline"] = [n for n in enc_config["nlp"]["pipeline"] if n != "dangjian_span_trimmer"]
    enc_config.to_disk(encoder / "config.cfg")
    older = cv.relation_only_config(default_config(), encoder, {})
    assert older["components"]["dangjian_span_trimmer"]["factory"] == "dangjian_span_trimmer"
    assert "dangjian_span_trimmer" in older["training"]["frozen_components"]
    model = config["components"]["dangjian_relation_extractor"]["model"]
    assert model["n_hashed"] == 0 and "pooled_vectors" not in model and model["tok2vec"]["width"] == 64
