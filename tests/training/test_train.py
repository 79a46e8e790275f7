"""Which saved default models are rebuilt: those an older version built, never a user's own choice."""

import json

import pytest

from pipeline.io import sha256_of
from pipeline.resources import resources_sha256
from pipeline.training.train import default_config, default_model_is_current


@pytest.mark.parametrize(
    "config,resources,current",
    [
        (None, None, False),  # built before the config was recorded: an older version
        ({"name": "default.cfg", "sha256": "0" * 64}, "today", False),  # an older configs/default.cfg
        ({"name": "default.cfg", "sha256": "today"}, "today", True),
        ({"name": "default.cfg", "sha256": "today"}, "0" * 64, False),  # older word lists or patterns
        ({"name": "default.cfg", "sha256": "today"}, None, False),  # built before resources were recorded
        ({"name": "fast.cfg", "sha256": "0" * 64}, None, True),  # the user trained another config here: kept
    ],
)
def test_default_model_is_rebuilt_only_when_an_older_version_built_it(tmp_path, config, resources, current):
    (tmp_path / "config.cfg").write_text("[nlp]\n", encoding="utf-8")
    if config and config["sha256"] == "today":
        config = {**config, "sha256": sha256_of(default_config())}
    built = {"training_documents": []} | ({"config": config} if config else {})
    if resources:
        built["resources"] = resources_sha256() if resources == "today" else resources
    (tmp_path / "meta.json").write_text(json.dumps({"name": "x", "dangjian": built}), encoding="utf-8")
    assert default_model_is_current(tmp_path) is current


def test_no_model_is_not_current(tmp_path):
    assert not default_model_is_current(tmp_path)
