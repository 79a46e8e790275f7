"""`dangjian_relation_extractor`: for each INITIATIVE and OUTCOME, chooses which of its candidate
heads in the sentence (if any) the guideline makes its actor: a softmax over the candidates and
"no head", so that candidates compete rather than each being judged alone. The chosen head's
coordinated co-organisers (co-initiatives) share the relation. Trained on gold entities, it
predicts on whatever entities the pipeline found; predictions go to doc._.rel."""

import json
import random
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.scorer import PRFScore
from spacy.tokens import Doc
from spacy.training import Example, validate_examples
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Model, Optimizer

from ..extensions import add_relation, clear_relations, register_extensions, relation_triples
from ..schema import OUTCOME, RELATION_TYPES, allowed_relations
from .batching import by_entities
from .candidates import Mention, TailChoice, coordination, tail_choices
from .features import RelationLexicon, SentenceFeatures, default_lexicon, lexicon_from_dict
from .model import hash_rows

NAME = "dangjian_relation_extractor"
RelKey = Tuple[Tuple[int, int], Tuple[int, int], str]  # head chars, tail chars, label
Scored = List[Tuple[TailChoice, numpy.ndarray]]  # per doc: each choice with its probabilities (none first)

DEFAULT_MODEL = {"@architectures": "dangjian.RelationChoice.v1", "length": 2**18}
SOLVERS = ("sgd", "lbfgs")
LBFGS_MAX_ITER = 500


@registry.scorers("dangjian.relation_scorer.v1")
def make_relation_scorer() -> Callable[..., Dict[str, float]]:
    return score_relations


@registry.misc("dangjian.relation_lexicon.v1")
def relation_lexicon(path: Optional[str] = None) -> RelationLexicon:
    """The word lists of the relation features: resources/relation_lexicon.json, or a JSON file
    of the same shape that a config names."""
    if path is None:
        return default_lexicon()
    return lexicon_from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def doc_relation_keys(doc: Doc) -> Set[RelKey]:
    """The doc's relations as (head offsets, tail offsets, label): equal across tokenisations."""
    return {((h.start_char, h.end_char), (t.start_char, t.end_char), label) for h, t, label, _ in relation_triples(doc)}


def score_relations(examples: Iterable[Example], **kwargs) -> Dict[str, float]:
    """Relation P/R/F, end to end: a relation counts only if both its spans match the reference."""
    prf = PRFScore()
    for eg in examples:
        prf.score_set(doc_relation_keys(eg.predicted), doc_relation_keys(eg.reference))
    return {"rel_micro_p": prf.precision, "rel_micro_r": prf.recall, "rel_micro_f": prf.fscore}


@Language.factory(
    NAME,
    default_config={
        "model": DEFAULT_MODEL,
        "lexicon": {"@misc": "dangjian.relation_lexicon.v1"},
        "threshold": 0.5,
        "max_candidates": 8,
        "max_distance": 300,
        "candidate_dropout": 0.0,
        "l2": 0.0,
        "solver": "sgd",
        "learn_rate_scale": 1.0,
        "scorer": {"@scorers": "dangjian.relation_scorer.v1"},
    },
    requires=["doc.ents"],
    assigns=["doc._.rel"],
    default_score_weights={"rel_micro_f": 0.5, "rel_micro_p": 0.0, "rel_micro_r": 0.0},
)
def make_relation_extractor(
    nlp: Language,
    name: str,
    model: Model,
    lexicon: RelationLexicon,
    threshold: float,
    max_candidates: int,
    max_distance: int,
    candidate_dropout: float,
    l2: float,
    solver: str,
    learn_rate_scale: float,
    scorer: Optional[Callable],
) -> "RelationExtractor":
    return RelationExtractor(
        nlp.vocab,
        model,
        name,
        lexicon=lexicon,
        threshold=threshold,
        max_candidates=max_candidates,
        max_distance=max_distance,
        candidate_dropout=candidate_dropout,
        l2=l2,
        solver=solver,
        learn_rate_scale=learn_rate_scale,
        scorer=scorer,
    )


class RelationExtractor(TrainablePipe):
    """Chooses each tail's head among its candidates (or none) and asserts the relation when the
    chosen head beats "no head": its score p(head) / (p(head) + p(none)) is at least `threshold`.

    `max_candidates` (per head label, nearest first) and `max_distance` (characters) bound the
    candidates of a tail, so time and memory stay linear in the text whatever its punctuation.
    `candidate_dropout` leaves each gold ORG and INITIATIVE out of a training doc with that
    probability (a tail whose heads are all left out learns "no head"): the pipeline's own
    entities miss heads, and a choice trained only on complete ones then picks a wrong head.
    `l2` is an L2 penalty on the weights per tail decision (l2 / 2 * |W|² for each): a few
    hundred relations and hundreds of thousands of feature weights need more than an
    optimizer's weight decay.

    `solver` "sgd" learns in `update` with the training's optimizer, like any spaCy component
    (`learn_rate_scale` multiplies its learning rate for these weights); "lbfgs" fits the
    weights once, in `initialize`, to the optimum of the same penalised objective over every
    training example (and one copy with candidate dropout), and then leaves them as they are:
    the model is convex and small, and stochastic updates over a few thousand decisions
    stopped well short of that optimum in cross-validation.
    """

    def __init__(
        self,
        vocab: Vocab,
        model: Model,
        name: str = NAME,
        *,
        lexicon: Optional[RelationLexicon] = None,
        threshold: float = 0.5,
        max_candidates: int = 8,
        max_distance: int = 300,
        candidate_dropout: float = 0.0,
        l2: float = 0.0,
        solver: str = "sgd",
        learn_rate_scale: float = 1.0,
        scorer: Optional[Callable] = score_relations,
    ):
        if solver not in SOLVERS:
            raise ValueError(f"{name}: solver must be one of {', '.join(SOLVERS)}, not {solver!r}")
        register_extensions()
        self.vocab = vocab
        self.model = model
        self.name = name
        self.scorer = scorer
        self.lexicon = lexicon or default_lexicon()
        self.cfg = {
            "labels": list(RELATION_TYPES),
            "threshold": threshold,
            "max_candidates": max_candidates,
            "max_distance": max_distance,
            "candidate_dropout": candidate_dropout,
            "l2": l2,
            "solver": solver,
            "learn_rate_scale": learn_rate_scale,
        }

    @property
    def labels(self) -> Tuple[str, ...]:
        return tuple(self.cfg["labels"])

    @property
    def threshold(self) -> float:
        return round(float(self.cfg["threshold"]), 4)  # ujson writes 0.7 back as 0.7000000000000001

    @threshold.setter
    def threshold(self, value: float) -> None:
        self.cfg["threshold"] = float(value)

    def _choices(self, doc: Doc) -> Tuple[List[TailChoice], List[List[str]]]:
        """The doc's decisions and the feature rows of each: "no head" first, then its candidates."""
        text = doc.text  # spaCy rebuilds doc.text from the tokens on every access
        mentions = [Mention(e.start_char, e.end_char, e.label_, i) for i, e in enumerate(doc.ents)]
        choices = tail_choices(text, mentions, self.cfg["max_candidates"], self.cfg["max_distance"])
        rows: List[List[str]] = []
        featurizers: Dict[int, SentenceFeatures] = {}
        for choice in choices:
            sent = choice.sentence
            if sent.start not in featurizers:
                featurizers[sent.start] = SentenceFeatures(text, sent, self.lexicon)
            feats = featurizers[sent.start]
            rows.append(feats.none(choice.tail, choice.candidates))
            rows.extend(feats.candidate(h, choice.tail, choice.candidates) for h in choice.candidates)
        return choices, rows

    def _decisions(self, docs: Iterable[Doc]) -> Tuple[List[List[TailChoice]], List[List[str]]]:
        """Each doc's choices, and the feature rows of all of them in order."""
        per_doc = [self._choices(doc) for doc in docs]
        return [c for c, _ in per_doc], [row for _, doc_rows in per_doc for row in doc_rows]

    def _scores(self, docs: Sequence[Doc], is_train: bool = False):
        """Each doc's choices with their raw scores, and the backprop callback when training."""
        choices, rows = self._decisions(docs)
        if not rows:
            return choices, numpy.zeros(0, dtype="float32"), None
        if is_train:
            out, backprop = self.model.begin_update(hash_rows(rows))
        else:
            out, backprop = self.model.predict(hash_rows(rows)), None
        return choices, self.model.ops.to_numpy(out)[:, 0], backprop

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Docs in batches bounded by their entities as well as their number (batching.py)."""
        error_handler = self.get_error_handler()
        for docs in by_entities(stream, batch_size):
            try:
                self.set_annotations(docs, self.predict(docs))
                yield from docs
            except Exception as e:
                error_handler(self.name, self, docs, e)

    def predict(self, docs: Iterable[Doc]) -> List[Scored]:
        """For every doc, each tail's choice with the softmax over its rows (none first)."""
        choices, scores, _ = self._scores(list(docs))
        return _softmax_groups(choices, scores)

    def set_annotations(self, docs: Iterable[Doc], scored: List[Scored]) -> None:
        for doc, doc_scored in zip(docs, scored):
            clear_relations(doc)
            ents = list(doc.ents)
            for head, tail, label, score in self.decode(doc.text, doc_scored, self.threshold):
                add_relation(doc, ents[head.index].start, ents[tail.index].start, label, round(score, 4))

    @staticmethod
    def decode(text: str, scored: Scored, threshold: float) -> List[Tuple[Mention, Mention, str, float]]:
        """The best head of each tail when p(head) / (p(head) + p(none)) ≥ threshold, with the
        mentions coordinated with it."""
        out = []
        for choice, probs in scored:
            if not choice.candidates:
                continue
            best = int(numpy.argmax(probs[1:])) + 1
            score = float(probs[best] / (probs[best] + probs[0]))
            if score < threshold:
                continue
            for head in coordination(text, choice.sentence, choice.candidates[best - 1]):
                label = allowed_relations(head.label, choice.tail.label)
                if label:
                    out.append((head, choice.tail, label[0], score))
        return out

    def _with_gold_entities(self, examples: Iterable[Example], dropout: float = 0.0) -> List[Doc]:
        """The predicted docs carrying the reference entities (the component trains on gold),
        each ORG and INITIATIVE left out with probability `dropout`."""
        docs = []
        for eg in examples:
            spans = [eg.predicted.char_span(e.start_char, e.end_char, label=e.label_) for e in eg.reference.ents]
            eg.predicted.ents = [
                s for s in spans if s is not None and (s.label_ == OUTCOME or not dropout or random.random() >= dropout)
            ]
            docs.append(eg.predicted)
        return docs

    def _targets(
        self, examples: Sequence[Example], choices: Sequence[List[TailChoice]]
    ) -> List[Optional[numpy.ndarray]]:
        """Per choice, the target distribution over its rows: uniform over the gold heads, or
        "no head"; None when gold names a head that is not among the candidates (not learnable)."""
        out: List[Optional[numpy.ndarray]] = []
        for eg, doc_choices in zip(examples, choices):
            present = {e.start_char for e in eg.predicted.ents}  # gold heads left out are no heads here
            gold = {(h.start_char, t.start_char) for h, t, _, score in relation_triples(eg.reference) if score >= 0.5}
            heads_of: Dict[int, Set[int]] = {}
            for h, t in gold:
                if h in present:
                    heads_of.setdefault(t, set()).add(h)
            for choice in doc_choices:
                wanted = heads_of.get(choice.tail.start, set())
                y = numpy.array([0.0] + [float(c.start in wanted) for c in choice.candidates], dtype="float32")
                if wanted and not y.any():
                    out.append(None)
                    continue
                y[0] = 0.0 if y.any() else 1.0
                out.append(y / y.sum())
        return out

    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Optional[Optimizer] = None,
        losses: Optional[Dict[str, float]] = None,
    ) -> Dict[str, float]:
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        examples = list(examples)
        validate_examples(examples, "RelationExtractor.update")
        if self.cfg.get("solver") == "lbfgs":
            return losses  # fitted in initialize
        docs = self._with_gold_entities(examples, float(self.cfg.get("candidate_dropout", 0.0)))
        choices, scores, backprop = self._scores(docs, is_train=True)
        if backprop is None:
            return losses
        targets = self._targets(examples, choices)
        loss, d_scores = self._loss(choices, scores, targets)
        backprop(self.model.ops.asarray2f(d_scores[:, None]))
        self._penalise(sum(t is not None for t in targets))
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def _penalise(self, n_decisions: int) -> None:
        """Add the L2 penalty's gradient for `n_decisions` decisions to every weight matrix."""
        l2 = float(self.cfg.get("l2", 0.0))
        if not l2 or not n_decisions:
            return
        for node in self.model.walk():
            if "W" in node.param_names and node.has_param("W"):
                node.inc_grad("W", (l2 * n_decisions) * node.get_param("W"))

    def _loss(
        self, choices: Sequence[List[TailChoice]], scores: numpy.ndarray, targets: Sequence[Optional[numpy.ndarray]]
    ) -> Tuple[float, numpy.ndarray]:
        """Cross-entropy of each choice's softmax against its target, and its gradient."""
        d_scores = numpy.zeros_like(scores)
        loss = 0.0
        for (start, end), y in zip(_group_bounds(choices), targets):
            if y is None:
                continue
            p = _softmax(scores[start:end])
            loss -= float((y * numpy.log(numpy.clip(p, 1e-9, 1.0))).sum())
            d_scores[start:end] = p - y
        return loss, d_scores

    def get_loss(self, examples: Iterable[Example], scores) -> Tuple[float, numpy.ndarray]:
        """Loss and gradient of raw row scores for the examples' predicted docs."""
        examples = list(examples)
        choices = [self._choices(eg.predicted)[0] for eg in examples]
        return self._loss(choices, numpy.asarray(scores), self._targets(examples, choices))

    def finish_update(self, sgd: Optimizer) -> None:
        """Apply the gradients with the learning rate scaled by `learn_rate_scale` (thinc's
        Model.finish_update cannot pass lr_scale, hence its parameter loop again here)."""
        if self.cfg.get("solver") == "lbfgs":
            return  # fitted in initialize: no optimizer step, no weight decay, no averages
        scale = float(self.cfg.get("learn_rate_scale", 1.0))
        for node in self.model.walk():
            for name in node.param_names:
                if node.has_grad(name):
                    param, _ = sgd((node.id, name), node.get_param(name), node.get_grad(name), lr_scale=scale)
                    node.set_param(name, param)

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Optional[Language] = None,
        labels: Optional[List[str]] = None,
    ) -> None:
        validate_examples(get_examples(), "RelationExtractor.initialize")
        if labels:
            self.cfg["labels"] = list(labels)
        self.model.initialize()
        if self.cfg.get("solver") == "lbfgs":
            self._fit(_unique(get_examples()))

    def _fit(self, examples: Sequence[Example]) -> None:
        """The weights at the optimum of the penalised cross-entropy over every decision of the
        examples, and of a copy with candidate dropout (L-BFGS over the model's parameters)."""
        from scipy.optimize import minimize

        dropout = float(self.cfg.get("candidate_dropout", 0.0))
        choices: List[List[TailChoice]] = []
        rows: List[List[str]] = []
        targets: List[Optional[numpy.ndarray]] = []
        for rate in (0.0, dropout) if dropout else (0.0,):
            rate_choices, rate_rows = self._decisions(self._with_gold_entities(examples, rate))
            choices += rate_choices
            rows += rate_rows
            targets += self._targets(examples, rate_choices)
        if not rows:
            return
        X = hash_rows(rows)
        n_decisions = sum(t is not None for t in targets)
        params = [(node, name) for node in self.model.walk() for name in node.param_names]

        def objective(theta: numpy.ndarray) -> Tuple[float, numpy.ndarray]:
            _set_flat(params, theta)
            scores, backprop = self.model.begin_update(X)
            loss, d_scores = self._loss(choices, self.model.ops.to_numpy(scores)[:, 0], targets)
            backprop(self.model.ops.asarray2f(d_scores[:, None]))
            self._penalise(n_decisions)
            loss += (
                0.5
                * float(self.cfg.get("l2", 0.0))
                * n_decisions
                * sum(float((node.get_param("W") ** 2).sum()) for node, name in params if name == "W")
            )
            return loss, numpy.concatenate([node.get_grad(name).ravel() for node, name in params]).astype("float64")

        theta0 = numpy.concatenate([node.get_param(name).ravel() for node, name in params]).astype("float64")
        result = minimize(objective, theta0, jac=True, method="L-BFGS-B", options={"maxiter": LBFGS_MAX_ITER})
        _set_flat(params, result.x)


def _set_flat(params: Sequence[Tuple[Model, str]], theta: numpy.ndarray) -> None:
    """Set the parameters from one flat vector, and their gradients to zero."""
    at = 0
    for node, name in params:
        value = node.get_param(name)
        node.set_param(name, theta[at : at + value.size].reshape(value.shape).astype(value.dtype))
        node.set_grad(name, node.ops.alloc(value.shape, dtype=value.dtype))
        at += value.size


def _unique(examples: Iterable[Example]) -> List[Example]:
    """Each training paragraph once (a corpus reader may repeat them): a fit is not an epoch."""
    seen, out = set(), []
    for eg in examples:
        key = (eg.reference.text, str(eg.reference._.meta))
        if key not in seen:
            seen.add(key)
            out.append(eg)
    return out


def _group_bounds(choices: Sequence[List[TailChoice]]) -> List[Tuple[int, int]]:
    """Row ranges of every choice, in order: "no head" and then its candidates."""
    bounds, start = [], 0
    for doc_choices in choices:
        for choice in doc_choices:
            end = start + 1 + len(choice.candidates)
            bounds.append((start, end))
            start = end
    return bounds


def _softmax(x: numpy.ndarray) -> numpy.ndarray:
    e = numpy.exp(x - x.max())
    return e / e.sum()


def _softmax_groups(choices: Sequence[List[TailChoice]], scores: numpy.ndarray) -> List[Scored]:
    bounds = iter(_group_bounds(choices))
    out = []
    for doc_choices in choices:
        doc_scored = []
        for choice in doc_choices:
            start, end = next(bounds)
            doc_scored.append((choice, _softmax(scores[start:end])))
        out.append(doc_scored)
    return out
