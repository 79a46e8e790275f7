"""displaCy rendering of a pipeline's predictions, for reading errors in a browser."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Sequence

from spacy.language import Language

from ..corpus.records import Record
from ..schema import SPAN_COLORS


def render_html(nlp: Language, records: Sequence[Record], path: Path) -> Path:
    """displaCy entity rendering of the pipeline's predictions, one paragraph a block."""
    from spacy import displacy

    docs = list(nlp.pipe(r.text for r in records))
    for doc, rec in zip(docs, records):
        doc.user_data["title"] = f"{rec.meta.get('doc_id')} / {rec.meta.get('para')}"
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\[W006\]")  # paragraphs without entities are expected
        html = displacy.render(docs, style="ent", page=True, options={"colors": SPAN_COLORS})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
