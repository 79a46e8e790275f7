"""Corpus readers named in the training configs."""

from pathlib import Path
from typing import Callable, Iterator, List

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Corpus, Example
from spacy.util import registry

from ..components.token_splitter import NAME as SPLITTER
from ..components.token_splitter import TokenSplitter
from ..corpus.splits import is_extra
from ..extensions import register_extensions


def pre_ner_tokenizer(nlp: Language) -> Callable[[str], Doc]:
    """The pipeline's tokenizer followed by its token splitter (a default one for a blank
    pipeline): the tokens the NER sees."""
    splitter = nlp.get_pipe(SPLITTER) if SPLITTER in nlp.pipe_names else TokenSplitter()
    return lambda text: splitter(nlp.make_doc(text))


@registry.readers("dangjian.TrainCorpus.v1")
def train_corpus(
    path: Path,
    gold_preproc: bool = True,
    repeat: int = 1,
    msra_org: int = 0,
    msra_plain: int = 0,
    msra_seed: int = 0,
    extra_documents: bool = True,
) -> Callable[[Language], Iterator[Example]]:
    """The project's training DocBin (repeated `repeat` times; without `extra_documents`, the
    annotated sentences from outside the corpus's articles are left out) plus an optional MSRA
    ORG sample.

    MSRA sentences are tokenised by the pipeline being trained, once, on the first call.
    """
    corpus = Corpus(path, gold_preproc=gold_preproc)
    cache: List[Doc] = []

    def read(nlp: Language) -> Iterator[Example]:
        register_extensions()
        annotated = set()
        for _ in range(max(1, repeat)):
            for eg in corpus(nlp):
                doc_id = str((eg.reference._.meta or {}).get("doc_id", ""))
                if is_extra(doc_id):
                    annotated.add(doc_id)
                if extra_documents or not is_extra(doc_id):
                    yield eg
        if msra_org or msra_plain:
            if not cache:
                from ..corpus.msra import load_sentences, select, sentence_to_doc

                tokenize = pre_ner_tokenizer(nlp)
                # sentences annotated in full in the corpus are not sampled again with ORG alone
                pool = [s for i, s in enumerate(load_sentences()) if f"msra-{i}" not in annotated]
                cache.extend(sentence_to_doc(s, tokenize) for s in select(pool, msra_org, msra_plain, msra_seed))
            for doc in cache:
                yield Example(
                    Doc(nlp.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc]), doc
                )

    return read
