"""The OUTCOME ruler's modes, and the rule components' serialisation."""

import pytest
import spacy

from pipeline.components.outcome_ruler import OutcomeRuler


@pytest.mark.parametrize(
    "mode,expected",
    [
        ("fill", [("市直机关工委", "ORG"), ("18场", "INITIATIVE")]),
        ("overwrite", [("市直机关工委", "ORG"), ("18场", "OUTCOME")]),
        ("exclusive", [("18场", "OUTCOME")]),
    ],
)
def test_outcome_ruler_modes(mode, expected):
    nlp = spacy.blank("zh")
    doc = nlp("市直机关工委举办18场。")
    doc.ents = [doc.char_span(0, 6, "ORG"), doc.char_span(8, 11, "INITIATIVE")]
    if mode == "exclusive":
        doc.ents = [doc.char_span(0, 6, "OUTCOME")]
    out = OutcomeRuler("r", mode=mode)(doc)
    assert [(e.text, e.label_) for e in out.ents] == expected


def test_outcome_ruler_rejects_unknown_mode():
    with pytest.raises(ValueError, match="mode"):
        OutcomeRuler("r", mode="sometimes")


def test_rule_components_round_trip_through_serialisation(tmp_path):
    nlp = spacy.blank("zh")
    nlp.add_pipe("dangjian_token_splitter")
    nlp.add_pipe("dangjian_lexical_features")
    nlp.add_pipe("dangjian_outcome_ruler", config={"mode": "fill"})
    nlp.add_pipe("dangjian_outcome_normalizer")
    text = "共举办活动18场,投入86.34万元。"
    before = [(e.text, e._.value, e._.unit, e._.qualifier) for e in nlp(text).ents]
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.pipe_names == nlp.pipe_names
    assert loaded.get_pipe("dangjian_outcome_ruler").mode == "fill"
    assert (
        [(e.text, e._.value, e._.unit, e._.qualifier) for e in loaded(text).ents]
        == before
        == [("18场", 18.0, "场", "exact"), ("86.34万元", 863400.0, "元", "exact")]
    )
    again = spacy.blank("zh")
    for name in nlp.pipe_names:
        again.add_pipe(name, config={k: v for k, v in nlp.config["components"][name].items() if k != "factory"})
    again.from_bytes(nlp.to_bytes())
    assert [(e.text, e._.value) for e in again(text).ents] == [b[:2] for b in before]
