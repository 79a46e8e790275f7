"""`dangjian_figurative_filter`: a quoted figure of speech is no campaign. The guideline leaves
rhetorical and figurative quotes untagged (“头脑风暴”, “两张皮”); the model, which has learned that
quoted short phrases are often INITIATIVE, tags them. Removes every span of the label whose whole
text is in the list (resources/figurative_quotes.txt)."""

from typing import Any, Dict, List, Optional, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from ..resources import word_list
from ..schema import INITIATIVE
from ._state import SavedState

NAME = "dangjian_figurative_filter"


@Language.factory(
    NAME,
    default_config={"label": INITIATIVE, "words": {"@misc": "dangjian.word_list.v1", "name": "figurative_quotes"}},
    assigns=["doc.ents"],
)
def make_figurative_filter(nlp: Language, name: str, label: str, words: List[str]) -> "FigurativeFilter":
    return FigurativeFilter(name, label=label, words=words)


class FigurativeFilter(SavedState):
    def __init__(self, name: str = NAME, label: str = INITIATIVE, words: Optional[Sequence[str]] = None):
        self.name = name
        self.label = label
        self.set_state({"words": list(word_list("figurative_quotes") if words is None else words)})

    def state(self) -> Dict[str, Any]:
        return {"words": sorted(self.words)}

    def set_state(self, state: Dict[str, Any]) -> None:
        self.words = frozenset(state["words"])

    def __call__(self, doc: Doc) -> Doc:
        keep = [e for e in doc.ents if not (e.label_ == self.label and e.text in self.words)]
        if len(keep) != len(doc.ents):
            doc.ents = keep
        return doc
