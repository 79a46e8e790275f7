"""The training reader: the corpus's articles, and the extra annotated sentences when asked for."""

import pytest
import spacy

from pipeline.corpus import Record
from pipeline.corpus.docs import record_to_doc, write_docbin
from pipeline.training.readers import train_corpus


@pytest.mark.parametrize("extra,expected", [(True, ["a", "msra-7"]), (False, ["a"])])
def test_extra_documents_can_be_left_out(tmp_path, extra, expected):
    nlp = spacy.blank("zh")
    docs = [
        record_to_doc(Record("省委开展活动。", meta={"doc_id": d, "para": 0}), nlp.make_doc)[0] for d in ("a", "msra-7")
    ]
    write_docbin(docs, tmp_path / "train.spacy")
    read = train_corpus(tmp_path / "train.spacy", extra_documents=extra)
    assert [eg.reference._.meta["doc_id"] for eg in read(nlp)] == expected
