"""`dangjian_token_splitter`: cut tokens that glue punctuation to words or digits (奖,21 | 篇 would
make 21篇 impossible to tag), and at the edges of rule-found quantities."""

from typing import Any, Dict, Optional

from spacy.language import Language
from spacy.tokens import Doc

from ..text.quantities import QuantityFinder, finder_from_state, quantity_rules
from ..text.tokens import punctuation_cuts, split_at
from ._state import SavedState

NAME = "dangjian_token_splitter"


@Language.factory(
    NAME,
    default_config={"outcome_boundaries": True, "quantities": {"@misc": "dangjian.quantity_rules.v1"}},
    assigns=["token.orth"],
)
def make_token_splitter(
    nlp: Language, name: str, outcome_boundaries: bool, quantities: QuantityFinder
) -> "TokenSplitter":
    return TokenSplitter(name, outcome_boundaries=outcome_boundaries, quantities=quantities)


class TokenSplitter(SavedState):
    """Cuts tokens at glued punctuation and (with `outcome_boundaries`) at the boundaries of the
    quantities `quantities` finds, so such spans can always be tagged. Training docs get the same cuts."""

    def __init__(self, name: str = NAME, outcome_boundaries: bool = True, quantities: Optional[QuantityFinder] = None):
        self.name = name
        self.outcome_boundaries = outcome_boundaries
        self.quantities = quantities or quantity_rules()

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        cuts = punctuation_cuts(doc, text)
        if self.outcome_boundaries:
            cuts += [c for span in self.quantities.find(text) for c in span]
        return split_at(doc, cuts) if cuts else doc

    def state(self) -> Dict[str, Any]:
        return {"quantities": self.quantities.state()}

    def set_state(self, state: Dict[str, Any]) -> None:
        self.quantities = finder_from_state(state["quantities"])
