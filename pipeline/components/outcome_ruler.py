"""`dangjian_outcome_ruler`: OUTCOME spans from the quantity rules, written to doc.ents."""

from typing import Any, Dict, Optional

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from ..schema import OUTCOME
from ..text.quantities import QuantityFinder, finder_from_state, quantity_rules
from ..text.tokens import split_at
from ._state import SavedState

NAME = "dangjian_outcome_ruler"
RULER_MODES = ("fill", "overwrite", "exclusive")


@Language.factory(
    NAME,
    default_config={"label": OUTCOME, "mode": "overwrite", "quantities": {"@misc": "dangjian.quantity_rules.v1"}},
    assigns=["doc.ents"],
)
def make_outcome_ruler(nlp: Language, name: str, label: str, mode: str, quantities: QuantityFinder) -> "OutcomeRuler":
    return OutcomeRuler(name, label=label, mode=mode, quantities=quantities)


class OutcomeRuler(SavedState):
    """Adds the quantities the rules find to doc.ents, splitting tokens where a match does not align.

    mode "fill": keep existing entities, add matches where nothing overlaps (before `ner`, the
    matches become constraints the model predicts around); "overwrite": matches replace
    overlapping entities; "exclusive": like overwrite, and `label` entities that no rule found are
    removed (the rules alone decide the label).
    """

    def __init__(
        self,
        name: str = NAME,
        label: str = OUTCOME,
        mode: str = "overwrite",
        quantities: Optional[QuantityFinder] = None,
    ):
        if mode not in RULER_MODES:
            raise ValueError(f"{NAME}: mode must be one of {RULER_MODES}, not {mode!r}")
        self.name = name
        self.label = label
        self.mode = mode
        self.quantities = quantities or quantity_rules()

    def __call__(self, doc: Doc) -> Doc:
        matches = self.quantities.find(doc.text)
        if matches:
            split_at(doc, [c for m in matches for c in m])
        new = [s for s in (doc.char_span(a, b, label=self.label) for a, b in matches) if s is not None]
        old = list(doc.ents)
        if self.mode == "exclusive":
            old = [e for e in old if e.label_ != self.label]
        if self.mode == "fill":
            keep = [n for n in new if not any(e.start < n.end and n.start < e.end for e in old)]
            doc.ents = sorted(old + keep, key=lambda s: s.start)
        else:
            keep = [e for e in old if not any(e.start < n.end and n.start < e.end for n in new)]
            doc.ents = filter_spans(keep + new)
        return doc

    def state(self) -> Dict[str, Any]:
        return {"quantities": self.quantities.state()}

    def set_state(self, state: Dict[str, Any]) -> None:
        self.quantities = finder_from_state(state["quantities"])
