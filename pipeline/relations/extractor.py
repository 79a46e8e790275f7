"""`dangjian_relation_extractor`: scores LAUNCHED / ACHIEVED for every candidate pair and keeps those
above its threshold, in the spirit of explosion's rel_component. Trained on gold entities, it
predicts on whatever entities the pipeline found; predictions go to doc._.rel."""

from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.scorer import PRFScore
from spacy.tokens import Doc
from spacy.training import Example, validate_examples
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Config, Model, Optimizer, set_dropout_rate
from thinc.types import Floats2d

from ..extensions import add_relation, clear_relations, register_extensions, relation_triples
from ..schema import ACHIEVED, RELATION_TYPES, allowed_relations
from .candidates import Pair, candidate_pairs, decode

NAME = "dangjian_relation_extractor"
RelKey = Tuple[Tuple[int, int], Tuple[int, int], str]  # head chars, tail chars, label

DEFAULT_MODEL = """
[model]
@architectures = "dangjian.RelationModel.v1"
hidden_width = 64
dropout = 0.1

[model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = 96
upstream = "*"
"""


@registry.scorers("dangjian.relation_scorer.v1")
def make_relation_scorer() -> Callable[..., Dict[str, float]]:
    return score_relations


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
        "model": Config().from_str(DEFAULT_MODEL)["model"],
        "threshold": 0.5,
        "single_head": [ACHIEVED],
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
    threshold: float,
    single_head: List[str],
    learn_rate_scale: float,
    scorer: Optional[Callable],
) -> "RelationExtractor":
    return RelationExtractor(
        nlp.vocab,
        model,
        name,
        threshold=threshold,
        single_head=single_head,
        learn_rate_scale=learn_rate_scale,
        scorer=scorer,
    )


class RelationExtractor(TrainablePipe):
    """Scores LAUNCHED / ACHIEVED for every candidate pair and keeps those above `threshold`.

    For labels in `single_head` only the best-scoring head per tail is kept (an OUTCOME is
    ACHIEVED by one actor in most gold relations; co-organisers make LAUNCHED multi-head).

    `learn_rate_scale` multiplies the optimizer's learning rate for this component's own weights
    (not the shared tok2vec's): a paragraph gives the NER a decision per token but the relation
    classifier a handful of pairs, and at the shared rate its cue weights are still far from
    converged when the NER's best checkpoint is taken.
    """

    def __init__(
        self,
        vocab: Vocab,
        model: Model,
        name: str = NAME,
        *,
        threshold: float = 0.5,
        single_head: Sequence[str] = (ACHIEVED,),
        learn_rate_scale: float = 1.0,
        scorer: Optional[Callable] = score_relations,
    ):
        register_extensions()
        self.vocab = vocab
        self.model = model
        self.name = name
        self.scorer = scorer
        self.cfg = {
            "labels": list(RELATION_TYPES),
            "threshold": threshold,
            "single_head": list(single_head),
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

    def _mask(self, pairs: Sequence[Pair]) -> numpy.ndarray:
        mask = numpy.zeros((len(pairs), len(self.labels)), dtype="float32")
        for r, (h, t) in enumerate(pairs):
            for label in allowed_relations(h.label_, t.label_):
                mask[r, self.labels.index(label)] = 1.0
        return mask

    def predict(self, docs: Iterable[Doc]) -> Floats2d:
        """Probabilities (sigmoid of the model's logits) for every candidate pair of the docs."""
        docs = list(docs)
        if not any(len(d.ents) > 1 for d in docs):
            return self.model.ops.alloc2f(0, len(self.labels))
        return self.model.ops.sigmoid(self.model.predict(docs))

    def set_annotations(self, docs: Iterable[Doc], scores: Floats2d) -> None:
        scores = self.model.ops.to_numpy(scores)
        r = 0
        for doc in docs:
            pairs = candidate_pairs(doc)
            clear_relations(doc)
            block = scores[r : r + len(pairs)]
            r += len(pairs)
            rows = [
                (h, t, label, float(p))
                for (h, t), probs in zip(pairs, block)
                for label, p in zip(self.labels, probs)
                if label in allowed_relations(h.label_, t.label_)
            ]
            for h, t, label, p in decode(
                rows, self.threshold, self.cfg.get("single_head", ()), tail_key=lambda s: s.start
            ):
                add_relation(doc, h.start, t.start, label, round(p, 4))

    def _with_gold_entities(self, examples: Iterable[Example]) -> List[Doc]:
        """The predicted docs carrying the reference entities (the component trains on gold)."""
        docs = []
        for eg in examples:
            spans = [eg.predicted.char_span(e.start_char, e.end_char, label=e.label_) for e in eg.reference.ents]
            eg.predicted.ents = [s for s in spans if s is not None]
            docs.append(eg.predicted)
        return docs

    def _truths(self, examples: Sequence[Example], docs: Sequence[Doc]) -> Tuple[numpy.ndarray, numpy.ndarray]:
        truths, masks = [], []
        for eg, doc in zip(examples, docs):
            gold = {
                (h.start_char, t.start_char, label)
                for h, t, label, score in relation_triples(eg.reference)
                if score >= 0.5
            }
            pairs = candidate_pairs(doc)
            y = numpy.zeros((len(pairs), len(self.labels)), dtype="float32")
            for r, (h, t) in enumerate(pairs):
                for j, label in enumerate(self.labels):
                    y[r, j] = 1.0 if (h.start_char, t.start_char, label) in gold else 0.0
            truths.append(y)
            masks.append(self._mask(pairs))
        empty = numpy.zeros((0, len(self.labels)))
        return (numpy.vstack(truths) if truths else empty), (numpy.vstack(masks) if masks else empty)

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
        docs = self._with_gold_entities(examples)
        truths, mask = self._truths(examples, docs)
        if not len(truths):
            return losses
        set_dropout_rate(self.model, drop)
        logits, backprop = self.model.begin_update(docs)
        loss, d_logits = self._bce(self.model.ops.sigmoid(logits), truths, mask)
        backprop(d_logits)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def finish_update(self, sgd: Optimizer) -> None:
        """Apply the gradients with the learning rate scaled by `learn_rate_scale` (thinc's
        Model.finish_update cannot pass lr_scale, hence its parameter loop again here)."""
        scale = float(self.cfg.get("learn_rate_scale", 1.0))
        for node in self.model.walk():
            for name in node.param_names:
                if node.has_grad(name):
                    param, _ = sgd((node.id, name), node.get_param(name), node.get_grad(name), lr_scale=scale)
                    node.set_param(name, param)

    def _bce(self, probs: Floats2d, truths: numpy.ndarray, mask: numpy.ndarray) -> Tuple[float, Floats2d]:
        """Masked binary cross-entropy and its gradient with respect to the logits."""
        ops = self.model.ops
        y, m = ops.asarray2f(truths), ops.asarray2f(mask)
        p = ops.xp.clip(probs, 1e-7, 1 - 1e-7)
        loss = -float(((y * ops.xp.log(p) + (1 - y) * ops.xp.log(1 - p)) * m).sum())
        return loss, (probs - y) * m

    def get_loss(self, examples: Iterable[Example], scores: Floats2d) -> Tuple[float, Floats2d]:
        """Loss and gradient for probabilities `scores` (as returned by predict)."""
        examples = list(examples)
        truths, mask = self._truths(examples, [eg.predicted for eg in examples])
        return self._bce(scores, truths, mask)

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
        sample = []
        for eg in get_examples():
            if len(eg.reference.ents) > 1:
                sample.append(eg)
            if len(sample) >= 10:
                break
        docs = self._with_gold_entities(sample)
        truths, _ = self._truths(sample, docs)
        self.model.initialize(X=docs, Y=self.model.ops.asarray2f(truths))
