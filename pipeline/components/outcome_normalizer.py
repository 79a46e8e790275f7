"""`dangjian_outcome_normalizer`: span._.value, ._.unit and ._.qualifier of OUTCOME spans."""

from typing import List, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import register_extensions
from ..schema import OUTCOME
from ..text.numbers import parse_quantity

NAME = "dangjian_outcome_normalizer"


@Language.factory(
    NAME,
    default_config={"labels": [OUTCOME]},
    requires=["doc.ents"],
    assigns=["span._.value", "span._.unit", "span._.qualifier"],
)
def make_outcome_normalizer(nlp: Language, name: str, labels: List[str]) -> "OutcomeNormalizer":
    return OutcomeNormalizer(name, labels)


class OutcomeNormalizer:
    """Sets span._.value, ._.unit and ._.qualifier on every entity whose label is in `labels`
    (86.34万元 -> 863400.0, 元, exact)."""

    def __init__(self, name: str = NAME, labels: Sequence[str] = (OUTCOME,)):
        register_extensions()
        self.name = name
        self.labels = set(labels)

    def __call__(self, doc: Doc) -> Doc:
        for ent in doc.ents:
            if ent.label_ in self.labels:
                q = parse_quantity(ent.text)
                ent._.value, ent._.unit, ent._.qualifier = q.value, q.unit, q.qualifier
        return doc
