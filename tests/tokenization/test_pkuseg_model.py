"""The pkuseg model from the package index: no pickle at load, sha256-checked."""

import io
import pickle

import pytest

from pipeline.tokenization.pkuseg_model import PkusegSetupError, convert_features, ensure_pkuseg_model, is_ready


def test_converter_refuses_any_global():
    payload = pickle.dumps({"unigram": [], "bigram": [], "feature_to_idx": {}, "tag_to_idx": {"B": io.BytesIO}})
    with pytest.raises(PkusegSetupError, match="refusing"):
        convert_features(payload)


def test_converter_keeps_plain_containers():
    import srsly

    payload = pickle.dumps(
        {"unigram": ["b", "a"], "bigram": ["ab"], "feature_to_idx": {"$$": 0}, "tag_to_idx": {"B": 0}}
    )
    assert srsly.msgpack_loads(convert_features(payload)) == {
        "unigram": ["a", "b"],
        "bigram": ["ab"],
        "feature_to_idx": {"$$": 0},
        "tag_to_idx": {"B": 0},
    }


def test_wrong_sha256_is_rejected(tmp_path):
    fake = tmp_path / "pkuseg-0.0.25.tar.gz"
    fake.write_bytes(b"not the sdist")
    with pytest.raises(PkusegSetupError, match="sha256"):
        ensure_pkuseg_model(target=tmp_path / "cache", sdist=fake, force=True, quiet=True)
    assert not is_ready(tmp_path / "cache")


@pytest.mark.slow
def test_cached_model_has_no_pickle(pkuseg_ready):
    assert sorted(p.name for p in pkuseg_ready.iterdir()) == ["features.msgpack", "pkuseg-model.json", "weights.npz"]
