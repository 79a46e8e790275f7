"""The shipped auto-labelling config: the service URL filled in, and a template that turns the
service's answer into the spans Doccano saves (rendered with Jinja2, as Doccano does)."""

from __future__ import annotations

import json

import pytest
from jinja2 import Template

from pipeline.doccano.autolabel import autolabel_config
from pipeline.doccano.client import DoccanoError
from pipeline.results import TaggedSpan, TagResult


def test_the_config_calls_the_service_with_the_example_text():
    config = autolabel_config("http://127.0.0.1:8080/")
    assert config["model_name"] == "Custom REST Request" and config["task_type"] == "Span"
    assert config["model_attrs"]["url"] == "http://127.0.0.1:8080/tag"
    assert config["model_attrs"]["body"] == {"text": "{{ text }}"}  # Doccano puts the text in this exact value
    assert config["model_attrs"]["params"] == {}  # Doccano fills params too: null would fail
    assert set(config["label_mapping"]) == {"ORG", "INITIATIVE", "OUTCOME"}


@pytest.mark.parametrize("n_spans", [0, 1, 3])
def test_the_template_maps_the_answer_to_doccano_spans(n_spans):
    spans = [
        TaggedSpan(0, 6, "ORG", "市直机关工委", 0.9),
        TaggedSpan(7, 11, "INITIATIVE", "三航行动", None),
        TaggedSpan(20, 23, "OUTCOME", "18场", None, 18.0, "场", "exact"),
    ][:n_spans]
    answer = TagResult("市直机关工委以三航行动为牵动,共举办活动18场。", spans).to_dict()
    rendered = json.loads(Template(autolabel_config("http://x:1")["template"]).render(input=answer))
    assert rendered == [{"label": s.label, "start_offset": s.start, "end_offset": s.end} for s in spans]


@pytest.mark.parametrize("url", ["127.0.0.1:8080", "ftp://x", ""])
def test_a_bad_url_is_refused_before_doccano_is_asked(url):
    with pytest.raises(DoccanoError, match="must look like http://HOST:PORT"):
        autolabel_config(url)
