"""`dangjian_ner`: spaCy's transition-based NER that also says how sure it is. It decodes greedily
as spaCy's does (spaCy's own validity check and argmax choose every action), one step at a time
over the whole batch, and keeps the softmax probability of each chosen action over the valid
ones. An entity's `span._.score` is the product of the probabilities of the actions that built
it; `doc._.confidence` is the doc's least confident decision. The NER runs once: the scores are a
by-product of its decoding, not a second pass.

The valid actions are spaCy's BILUO rules for a doc without preset entities (nothing before the
NER sets any); a batch with preset entities is decoded by spaCy's own decoder, without scores.
"""

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import numpy
from spacy.attrs import IS_SPACE, SENT_START
from spacy.language import Language
from spacy.pipeline.ner import DEFAULT_NER_MODEL, EntityRecognizer
from spacy.tokens import Doc
from thinc.api import Model

from ..extensions import register_extensions

NAME = "dangjian_ner"
Decision = Tuple[int, int, float]  # token, action index, probability
EntScores = Dict[Tuple[int, int, str], float]  # (start token, end token, label) -> score


@Language.factory(
    NAME,
    assigns=["doc.ents", "token.ent_iob", "token.ent_type", "span._.score", "doc._.confidence"],
    default_config={
        "moves": None,
        "update_with_oracle_cut_size": 100,
        "model": DEFAULT_NER_MODEL,
        "incorrect_spans_key": None,
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_scored_ner(
    nlp: Language,
    name: str,
    model: Model,
    moves: Any,
    update_with_oracle_cut_size: int,
    incorrect_spans_key: Optional[str],
    scorer: Optional[Callable],
) -> "ScoredEntityRecognizer":
    return ScoredEntityRecognizer(
        nlp.vocab,
        model,
        name=name,
        moves=moves,
        update_with_oracle_cut_size=update_with_oracle_cut_size,
        incorrect_spans_key=incorrect_spans_key,
        scorer=scorer,
    )


class ScoredEntityRecognizer(EntityRecognizer):
    """spaCy's EntityRecognizer (same model, training and config) whose predictions carry scores."""

    def predict(self, docs: Sequence[Doc]) -> Tuple[Any, Optional[List[Tuple[EntScores, float]]]]:
        """The parse states, and per doc its entities' scores and its confidence (None when spaCy's
        own decoder had to decode: a beam, or preset entities)."""
        docs = [docs] if isinstance(docs, Doc) else list(docs)
        if self.cfg["beam_width"] != 1 or any(d.has_annotation("ENT_IOB") for d in docs):
            return super().predict(docs), None
        states = self.moves.init_batch(docs)
        if not any(len(d) for d in docs):
            return states, [({}, 1.0) for _ in docs]
        decisions = self._decode(docs, states)
        names = [self.moves.get_class_name(i) for i in range(self.moves.n_moves)]
        return states, [(_entity_scores(d, names), min((p for _, _, p in d), default=1.0)) for d in decisions]

    def _decode(self, docs: List[Doc], states: List[Any]) -> List[List[Decision]]:
        """Greedy decoding step by step over the batch; each state's decisions with their probabilities."""
        rules = _MoveRules([self.moves.get_class_name(i) for i in range(self.moves.n_moves)])
        tokens = _TokenFacts(docs)
        model = self.model.predict(docs)
        decisions: List[List[Decision]] = [[] for _ in docs]
        active = [k for k, s in enumerate(states) if not s.is_final()]
        position = numpy.zeros(len(docs), dtype="int64")
        open_label = numpy.full(len(docs), -1, dtype="int64")
        while active:
            rows = numpy.asarray(active)
            scores = model.predict([states[k] for k in active])
            valid = rules.valid(open_label[rows], *tokens.at(rows, position[rows]))
            best, probs = _choose(scores, valid)
            for k, pos, action, p in zip(active, position[rows].tolist(), best.tolist(), probs.tolist()):
                decisions[k].append((pos, action, p))
            open_label[rows] = rules.open_after[best, numpy.maximum(open_label[rows], 0)]
            position[rows] += 1
            self.transition_states([states[k] for k in active], scores)
            active = [k for k in active if not states[k].is_final()]
        model.clear_memory()
        return decisions

    def set_annotations(
        self, docs: Sequence[Doc], predicted: Tuple[Any, Optional[List[Tuple[EntScores, float]]]]
    ) -> None:
        """spaCy's entities, then each entity's score and the doc's confidence."""
        states, scored = predicted
        super().set_annotations(docs, states)
        if scored is None:
            return
        register_extensions()
        for doc, (ents, confidence) in zip(docs, scored):
            doc._.confidence = confidence
            for ent in doc.ents:
                score = ents.get((ent.start, ent.end, ent.label_))
                if score is not None:
                    ent._.score = score


class _MoveRules:
    """spaCy's BILUO validity (ner.pyx: Begin, In, Last, Unit, Out) for docs without preset entities,
    as arrays over the moves."""

    def __init__(self, names: Sequence[str]) -> None:
        actions = [n.partition("-")[0] for n in names]
        labels = [n.partition("-")[2] for n in names]
        self.labels = sorted({x for x in labels if x})
        index = {label: i for i, label in enumerate(self.labels)}
        self.action = {a: numpy.array([x == a for x in actions]) for a in "BILUO"}
        self.label = numpy.array([index.get(x, -1) for x in labels])
        # the open entity's label after each move, from each open label (-1: none open)
        self.open_after = numpy.full((len(names), max(len(self.labels), 1)), -1, dtype="int64")
        for i, a in enumerate(actions):
            if a == "B":
                self.open_after[i, :] = self.label[i]
            elif a == "I":
                self.open_after[i, :] = numpy.arange(self.open_after.shape[1])

    def valid(
        self, open_label: numpy.ndarray, last: numpy.ndarray, next_starts: numpy.ndarray, space: numpy.ndarray
    ) -> numpy.ndarray:
        """(states, moves) booleans: which moves spaCy allows in each state."""
        is_open = (open_label >= 0)[:, None]
        same = open_label[:, None] == self.label[None, :]
        can_go_on = ~(last | next_starts)[:, None]
        labelled = (self.label >= 0)[None, :]
        return (
            (self.action["O"][None, :] & ~is_open)
            | (self.action["B"][None, :] & labelled & ~is_open & can_go_on & ~space[:, None])
            | (self.action["I"][None, :] & is_open & same & can_go_on)
            | (self.action["L"][None, :] & is_open & same)
            | (self.action["U"][None, :] & labelled & ~is_open & ~space[:, None])
        )


class _TokenFacts:
    """What the BILUO rules read of each token, for all docs of a batch at once."""

    def __init__(self, docs: Sequence[Doc]) -> None:
        lengths = numpy.array([len(d) for d in docs], dtype="int64")
        self.offset = numpy.concatenate([[0], numpy.cumsum(lengths)[:-1]])
        self.last = (
            numpy.concatenate([numpy.arange(n) == n - 1 for n in lengths]) if lengths.sum() else numpy.zeros(0, bool)
        )
        arrays = [d.to_array([IS_SPACE, SENT_START]) if len(d) else numpy.zeros((0, 2), "uint64") for d in docs]
        flat = numpy.concatenate(arrays) if arrays else numpy.zeros((0, 2), "uint64")
        self.space = flat[:, 0].astype(bool)
        starts = flat[:, 1] == 1
        self.next_starts = numpy.concatenate([starts[1:], [False]]) & ~self.last

    def at(self, docs: numpy.ndarray, positions: numpy.ndarray) -> Tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
        i = self.offset[docs] + positions
        return self.last[i], self.next_starts[i], self.space[i]


def _choose(scores: numpy.ndarray, valid: numpy.ndarray) -> Tuple[numpy.ndarray, numpy.ndarray]:
    """Per row the best valid move (the first of equals, as spaCy's argmax) and its softmax
    probability over the valid moves."""
    masked = numpy.where(valid, scores, -numpy.inf)
    best = masked.argmax(axis=1)
    exp = numpy.exp(masked - masked.max(axis=1, keepdims=True))
    probs = exp / exp.sum(axis=1, keepdims=True)
    return best, probs[numpy.arange(len(best)), best]


def _entity_scores(decisions: List[Decision], names: Sequence[str]) -> EntScores:
    """{(start, end, label): product of the probabilities of the actions that built the entity}."""
    out: EntScores = {}
    start, prob = None, 1.0
    for tok, action, p in decisions:
        move, _, label = names[action].partition("-")
        if move == "U":
            out[(tok, tok + 1, label)] = p
        elif move == "B":
            start, prob = tok, p
        elif move == "I" and start is not None:
            prob *= p
        elif move == "L" and start is not None:
            out[(start, tok + 1, label)] = prob * p
            start = None
    return out
