"""configs/fast.cfg is configs/default.cfg without Baidu LAC's features, and nothing else."""

from spacy.util import load_config

from pipeline import paths

# Every difference between the two configs: the LAC component and what reads its feature.
FAST = {
    "nlp.pipeline": lambda default: [n for n in default if n != "dangjian_lac_features"],
    "components.tok2vec.model.embed.attrs": lambda default: [a for a in default if a != "MORPH"],
    "components.tok2vec.model.embed.rows": lambda default: default[:-1],
    "training.annotating_components": lambda default: [n for n in default if n != "dangjian_lac_features"],
}


def _get(config, dotted):
    for key in dotted.split("."):
        config = config[key]
    return config


def test_fast_is_the_default_without_lac():
    configs = paths.project_dir("configs")
    default = load_config(configs / "default.cfg", interpolate=False)
    fast = load_config(configs / "fast.cfg", interpolate=False)
    assert _get(default, "components.tok2vec.model.embed.attrs")[-1] == "MORPH"
    overrides = {key: change(_get(default, key)) for key, change in FAST.items()}
    expected = load_config(configs / "default.cfg", overrides=overrides, interpolate=False)
    del expected["components"]["dangjian_lac_features"]
    assert fast == expected
