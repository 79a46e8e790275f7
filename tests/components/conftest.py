"""Helpers for component tests: run components over hand-made docs."""

from spacy.tokens import Doc


def _run(nlp, words, preset=()):
    doc = Doc(nlp.vocab, words=words, spaces=[False] * len(words))
    doc.ents = [
        doc.char_span(doc.text.index(text), doc.text.index(text) + len(text), label=label) for label, text in preset
    ]
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return [(e.text, e.label_) for e in doc.ents]


def _with(factory, config=None):
    """A blank Chinese pipeline with one component."""
    import spacy

    nlp = spacy.blank("zh")
    nlp.add_pipe(factory, config=config or {})
    return nlp


def _reloaded(factory, config, tmp_path):
    """A blank pipeline with one component, saved to disk and loaded again."""
    import spacy

    _with(factory, config).to_disk(tmp_path / "p")
    return spacy.load(tmp_path / "p")
