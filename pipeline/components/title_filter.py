"""`dangjian_title_filter`: no entity inside a 《》 title (the guideline tags nothing there)."""

from spacy.language import Language
from spacy.tokens import Doc

from ..text.quotes import TITLE

NAME = "dangjian_title_filter"


@Language.factory(NAME, default_config={}, assigns=["doc.ents"])
def make_title_filter(nlp: Language, name: str) -> "TitleFilter":
    return TitleFilter(name)


class TitleFilter:
    """Removes entities inside a 《》 title: the corpus has no such span, while the model and the
    patterns see names in 《“五型”模范机关建设活动实施方案》."""

    def __init__(self, name: str = NAME):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if not doc.ents:
            return doc
        text = doc.text
        if "《" not in text:
            return doc
        titles = [(m.start(), m.end()) for m in TITLE.finditer(text)]
        keep = [e for e in doc.ents if not any(a < e.start_char and e.end_char < b for a, b in titles)]
        if len(keep) != len(doc.ents):
            doc.ents = keep
        return doc
