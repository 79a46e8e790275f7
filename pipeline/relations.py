"""Relation extraction: LAUNCHED (ORG -> INITIATIVE) and ACHIEVED (ORG/INITIATIVE -> OUTCOME).

In the spirit of explosion's rel_component: candidate pairs are entity pairs inside one sentence
(a sentence ends at 。！？；) whose labels the guideline allows; each pair is represented by the
mean token vectors of head, tail and the context between them, plus a few pair features
(distance, order, entities in between); a small feed-forward network scores each relation label,
and labels the pair's types do not allow are masked. RelationModel.v2 adds a wide linear path
over hashed lexical and structural cues of the pair (pipeline/relation_features.py). The component
trains on gold entities and predicts on whatever entities the pipeline found.

Predictions go to doc._.rel = {(head.start, tail.start): {label: score}} for scores >= threshold.
"""
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_examples
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Config, Linear, Model, Optimizer, Relu, chain, set_dropout_rate
from thinc.types import Floats2d

from .extensions import get_rel, register_extensions
from .relation_features import context_features, hash_features
from .schema import RELATION_TYPES, SENTENCE_END, allowed_relations

register_extensions()

Pair = Tuple[Span, Span]
_SENT_END_CHARS = frozenset(SENTENCE_END)
DIST_BUCKETS = (0, 1, 2, 4, 8, 16, 32)
N_FEATS = len(DIST_BUCKETS) + 1 + 4 + 2 + 3


# ---------------------------------------------------------------- candidates and features


def sentence_ids(doc: Doc) -> List[int]:
    """Sentence number of every token: a sentence ends after a token that ends with 。！？； (or
    their ASCII forms). Computed from the token array, without rebuilding doc.text."""
    if not len(doc):
        return []
    strings = doc.vocab.strings
    orths = doc.to_array("ORTH").tolist()
    is_end = numpy.array([strings[o][-1:] in _SENT_END_CHARS for o in orths], dtype="int32")
    return (numpy.cumsum(is_end) - is_end).tolist()


def candidate_pairs(doc: Doc, ents: Optional[Sequence[Span]] = None, sent: Optional[Sequence[int]] = None) -> List[Pair]:
    """Ordered (head, tail) pairs in one sentence whose labels allow a relation."""
    ents = list(doc.ents if ents is None else ents)
    if len(ents) < 2:
        return []
    sent = sentence_ids(doc) if sent is None else sent
    return [
        (h, t)
        for h in ents
        for t in ents
        if h.start != t.start and allowed_relations(h.label_, t.label_) and sent[h.start] == sent[t.start]
    ]


def pair_features(ents: Sequence[Span], head: Span, tail: Span) -> numpy.ndarray:
    """Distance bucket, order, entities in between, and whether head is the nearest of its label."""
    f = numpy.zeros(N_FEATS, dtype="float32")
    first, second = (head, tail) if head.start < tail.start else (tail, head)
    gap = max(0, second.start - first.end)
    f[sum(1 for b in DIST_BUCKETS if gap >= b) - 1] = 1.0
    k = len(DIST_BUCKETS)
    f[k] = 1.0 if head.start < tail.start else 0.0
    between = [e for e in ents if first.end <= e.start and e.end <= second.start]
    f[k + 1 + min(len(between), 3)] = 1.0
    same_as_head = [e for e in between if e.label_ == head.label_]
    same_as_tail = [e for e in between if e.label_ == tail.label_]
    f[k + 5] = 1.0 if not same_as_head else 0.0
    f[k + 6] = 1.0 if not same_as_tail else 0.0
    f[k + 7 + int(head.label_ == "INITIATIVE")] = 1.0
    f[k + 9] = 1.0 if tail.label_ == "OUTCOME" else 0.0
    return f


def pair_rows(doc: Doc, ents: Optional[Sequence[Span]] = None, cues: bool = True) -> List[Tuple[Span, Span, numpy.ndarray, List[str]]]:
    """(head, tail, pair features, cue strings) for every candidate pair of a doc, over `ents`
    (default doc.ents, in order); the cue strings (relation_features.py) only with `cues`."""
    ents = list(doc.ents if ents is None else ents)
    if len(ents) < 2:
        return []
    sent = sentence_ids(doc)
    pairs = candidate_pairs(doc, ents, sent)
    text = doc.text if pairs and cues else ""  # spaCy rebuilds doc.text on every access
    return [(h, t, pair_features(ents, h, t), context_features(doc, sent, ents, h, t, text) if cues else []) for h, t in pairs]


# ---------------------------------------------------------------- model


@registry.architectures("dangjian.RelationModel.v1")
def build_relation_model(
    tok2vec: Model, hidden_width: int = 64, dropout: float = 0.1, update_tok2vec: bool = True, nO: Optional[int] = None
) -> Model:
    """tok2vec -> pair representations -> Relu -> Linear: one logit per label (the component applies
    the sigmoid, and trains with the binary cross-entropy gradient sigmoid(z) - y).

    With `update_tok2vec = false` no gradient flows back into a shared tok2vec: the relation
    classifier learns on the features the NER trains, and cannot degrade them."""
    pairs = _pairs_layer(tok2vec, update_tok2vec, n_hashed=0)
    return chain(pairs, Relu(nO=hidden_width, dropout=dropout), Linear(nO=nO))


@registry.architectures("dangjian.RelationModel.v2")
def build_relation_model_v2(
    tok2vec: Model,
    hidden_width: int = 64,
    dropout: float = 0.1,
    update_tok2vec: bool = True,
    n_hashed: int = 4096,
    pooled_vectors: bool = True,
    nO: Optional[int] = None,
) -> Model:
    """v1 plus a wide path: the pair's lexical and structural cues (pipeline/relation_features.py),
    hashed into `n_hashed` columns, go through their own Linear layer whose logits are added to
    the deep path's (tok2vec pools -> Relu -> Linear). Small data favours the linear cue model;
    the deep path adds what the token vectors know. `pooled_vectors = false` drops the token
    vectors (pair features and cues only), an ablation: on dev it tied (extractor trained alone on a
    frozen encoder, 3 seeds each: gold-entity F1 .651 vs .608, end to end .439 vs .440)."""
    pairs = _pairs_layer(tok2vec, update_tok2vec, n_hashed=n_hashed, pooled_vectors=pooled_vectors)
    deep = chain(Relu(nO=hidden_width, dropout=dropout), Linear(nO=nO))
    wide = Linear(nO=nO)
    head = Model("rel_wide_deep", _wide_deep_forward, layers=[deep, wide], init=_wide_deep_init, dims={"nO": nO}, attrs={"n_hashed": n_hashed})
    return chain(pairs, head)


def _pairs_layer(tok2vec: Model, update_tok2vec: bool, n_hashed: int, pooled_vectors: bool = True) -> Model:
    return Model(
        "rel_pairs", _pairs_forward, layers=[tok2vec], refs={"tok2vec": tok2vec}, init=_pairs_init,
        dims={"nO": None}, attrs={"update_tok2vec": update_tok2vec, "n_hashed": n_hashed, "pooled_vectors": pooled_vectors},
    )


def _pairs_init(model: Model, X=None, Y=None) -> None:
    tok2vec = model.get_ref("tok2vec")
    tok2vec.initialize(X=X)
    width = 3 * tok2vec.get_dim("nO") if model.attrs.get("pooled_vectors", True) else 0
    model.set_dim("nO", width + N_FEATS + model.attrs["n_hashed"])


def _pairs_forward(model: Model, docs: List[Doc], is_train: bool):
    if not model.attrs.get("pooled_vectors", True):
        return _features_only_forward(model, docs, is_train)
    tok2vec = model.get_ref("tok2vec")
    tokvecs, bp_tokvecs = tok2vec(docs, is_train)
    ops = model.ops
    width = tok2vec.get_dim("nO")
    n_hashed = model.attrs["n_hashed"]
    rows: List[Tuple[int, Tuple[int, int], Tuple[int, int], Tuple[int, int]]] = []
    pooled: List[Floats2d] = []
    feats: List[numpy.ndarray] = []
    for i, doc in enumerate(docs):
        doc_rows = pair_rows(doc, cues=n_hashed > 0)
        if not doc_rows:
            continue
        spans = [((h.start, h.end), (t.start, t.end), _between(h, t)) for h, t, _, _ in doc_rows]
        rows.extend((i, *s) for s in spans)
        pooled.append(_span_means(ops, tokvecs[i], spans))
        feats.extend(_feature_vector(row, n_hashed) for row in doc_rows)
    out = ops.alloc2f(len(rows), 3 * width + N_FEATS + n_hashed)
    if rows:
        out[:, :3 * width] = ops.xp.vstack(pooled)
        out[:, 3 * width:] = ops.asarray2f(numpy.vstack(feats))

    def backprop(d_out: Floats2d):
        d_tokvecs = [ops.alloc2f(*tv.shape) for tv in tokvecs]
        if not model.attrs["update_tok2vec"]:
            # Zero gradients, but still call back: a listener's callback is what applies the
            # gradients the other listeners (the NER) accumulated in the shared tok2vec.
            return bp_tokvecs(d_tokvecs)
        for r, (i, h, t, b) in enumerate(rows):
            for (a, z), part in ((h, 0), (t, 1), (b, 2)):
                d_tokvecs[i][a:z] += d_out[r, part * width:(part + 1) * width] / (z - a)
        return bp_tokvecs(d_tokvecs)

    return out, backprop


def _features_only_forward(model: Model, docs: List[Doc], is_train: bool):
    """`pooled_vectors = false`: pair features and cues only. In training the listener is still
    called back with zero gradients: a shared tok2vec applies its update (the NER's gradients)
    only when its last listener calls back, and this component's listener is the last one."""
    out = _pair_feature_rows(model, docs)
    if not is_train:
        return out, lambda d_out: []
    tokvecs, bp_tokvecs = model.get_ref("tok2vec")(docs, is_train)
    return out, lambda d_out: bp_tokvecs([model.ops.alloc2f(*tv.shape) for tv in tokvecs])


def _between(head: Span, tail: Span) -> Tuple[int, int]:
    """The tokens between the two spans, never empty: from the inner edge tokens inclusive."""
    first, second = (head, tail) if head.start < tail.start else (tail, head)
    return first.end - 1, max(first.end, second.start) + 1


def _span_means(ops, tokvecs: Floats2d, spans: Sequence[Tuple[Tuple[int, int], ...]]) -> Floats2d:
    """Mean vectors of (head, tail, between) token ranges, concatenated per pair, from one
    cumulative sum over the doc's tokens instead of a mean per span."""
    xp = ops.xp
    cums = xp.concatenate([xp.zeros((1, tokvecs.shape[1]), dtype=tokvecs.dtype), xp.cumsum(tokvecs, axis=0)])
    parts = []
    for part in range(3):
        a = xp.asarray([s[part][0] for s in spans])
        z = xp.asarray([s[part][1] for s in spans])
        parts.append((cums[z] - cums[a]) / (z - a)[:, None])
    return xp.hstack(parts)


def _feature_vector(row: Tuple[Span, Span, numpy.ndarray, List[str]], n_hashed: int) -> numpy.ndarray:
    """Pair features, followed by the hashed cues when the model reads them."""
    return numpy.concatenate([row[2], hash_features(row[3], n_hashed)]) if n_hashed else row[2]


def _pair_feature_rows(model: Model, docs: List[Doc]) -> Floats2d:
    """The pair and cue features alone, for `pooled_vectors = false` (no token vectors)."""
    n_hashed = model.attrs["n_hashed"]
    rows = [_feature_vector(row, n_hashed) for doc in docs for row in pair_rows(doc, cues=n_hashed > 0)]
    if not rows:
        return model.ops.alloc2f(0, N_FEATS + n_hashed)
    return model.ops.asarray2f(numpy.vstack(rows))


def _wide_deep_init(model: Model, X=None, Y=None) -> None:
    deep, wide = model.layers
    n = model.attrs["n_hashed"]
    if X is not None:
        deep.initialize(X=X[:, : X.shape[1] - n], Y=Y)
        wide.initialize(X=X[:, X.shape[1] - n:], Y=Y)
    else:
        deep.initialize(Y=Y)
        wide.initialize(Y=Y)
    model.set_dim("nO", deep.get_dim("nO"))


def _wide_deep_forward(model: Model, X: Floats2d, is_train: bool):
    """Sum of the deep path's logits (on the dense columns) and the wide path's (on the hashed
    columns); only the dense columns get a gradient (the hashed ones are fixed features)."""
    deep, wide = model.layers
    split = X.shape[1] - model.attrs["n_hashed"]
    Y_deep, bp_deep = deep(model.ops.xp.ascontiguousarray(X[:, :split]), is_train)
    Y_wide, bp_wide = wide(model.ops.xp.ascontiguousarray(X[:, split:]), is_train)

    def backprop(dY: Floats2d) -> Floats2d:
        dX = model.ops.alloc2f(*X.shape)
        dX[:, :split] = bp_deep(dY)
        bp_wide(dY)
        return dX

    return Y_deep + Y_wide, backprop


# ---------------------------------------------------------------- component

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


@Language.factory(
    "dangjian_relation_extractor",
    default_config={"model": Config().from_str(DEFAULT_MODEL)["model"], "threshold": 0.5, "single_head": ["ACHIEVED"], "learn_rate_scale": 1.0},
    requires=["doc.ents"],
    assigns=["doc._.rel"],
    default_score_weights={"rel_micro_f": 0.5, "rel_micro_p": 0.0, "rel_micro_r": 0.0},
)
def make_relation_extractor(
    nlp: Language, name: str, model: Model, threshold: float, single_head: List[str], learn_rate_scale: float
) -> "RelationExtractor":
    return RelationExtractor(nlp.vocab, model, name, threshold=threshold, single_head=single_head, learn_rate_scale=learn_rate_scale)


class RelationExtractor(TrainablePipe):
    """Scores LAUNCHED / ACHIEVED for every candidate pair and keeps those above `threshold`.

    For labels in `single_head` only the best-scoring head per tail is kept (an OUTCOME is
    ACHIEVED by one actor in 93% of the gold relations; co-organisers make LAUNCHED multi-head).

    `learn_rate_scale` multiplies the optimizer's learning rate for this component's own weights
    (not the shared tok2vec's): a paragraph gives the NER a decision per token but the relation
    classifier a handful of pairs, and at the shared rate its cue weights are still far from
    converged when the NER's best checkpoint is taken.
    """

    def __init__(
        self, vocab: Vocab, model: Model, name: str = "dangjian_relation_extractor", *, threshold: float = 0.5,
        single_head: Sequence[str] = ("ACHIEVED",), learn_rate_scale: float = 1.0,
    ):
        self.vocab = vocab
        self.model = model
        self.name = name
        self.cfg = {"labels": list(RELATION_TYPES), "threshold": threshold, "single_head": list(single_head), "learn_rate_scale": learn_rate_scale}

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
            rel = get_rel(doc)
            rel.clear()
            if not pairs:
                continue
            block = scores[r:r + len(pairs)] * self._mask(pairs)
            r += len(pairs)
            best: Dict[Tuple[str, int], float] = {}
            for (h, t), row in zip(pairs, block):
                for j, label in enumerate(self.labels):
                    if label in self.cfg.get("single_head", ()):
                        best[(label, t.start)] = max(best.get((label, t.start), 0.0), float(row[j]))
            for (h, t), row in zip(pairs, block):
                for j, label in enumerate(self.labels):
                    single = label in self.cfg.get("single_head", ())
                    if row[j] >= self.threshold and (not single or float(row[j]) >= best[(label, t.start)]):
                        rel.setdefault((h.start, t.start), {})[label] = round(float(row[j]), 4)

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
            ref_ents = {e.start: e for e in eg.reference.ents}
            gold = {
                (ref_ents[h].start_char, ref_ents[t].start_char, label)
                for (h, t), labels in (eg.reference._.rel or {}).items()
                if h in ref_ents and t in ref_ents
                for label, score in labels.items()
                if score >= 0.5
            }
            pairs = candidate_pairs(doc)
            y = numpy.zeros((len(pairs), len(self.labels)), dtype="float32")
            for r, (h, t) in enumerate(pairs):
                for j, label in enumerate(self.labels):
                    y[r, j] = 1.0 if (h.start_char, t.start_char, label) in gold else 0.0
            truths.append(y)
            masks.append(self._mask(pairs))
        return numpy.vstack(truths) if truths else numpy.zeros((0, len(self.labels))), numpy.vstack(masks) if masks else numpy.zeros((0, len(self.labels)))

    def update(self, examples: Iterable[Example], *, drop: float = 0.0, sgd: Optional[Optimizer] = None, losses: Optional[Dict[str, float]] = None) -> Dict[str, float]:
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
        """Apply the gradients with the learning rate scaled by `learn_rate_scale`."""
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

    def initialize(self, get_examples: Callable[[], Iterable[Example]], *, nlp: Optional[Language] = None, labels: Optional[List[str]] = None) -> None:
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

    def score(self, examples: Iterable[Example], **kwargs) -> Dict[str, float]:
        """Relation P/R/F, end to end: a relation counts only if both spans match the reference."""
        tp = fp = fn = 0
        for eg in examples:
            pred = _rel_keys(eg.predicted, self.threshold)
            gold = _rel_keys(eg.reference, 0.5)
            tp += len(pred & gold)
            fp += len(pred - gold)
            fn += len(gold - pred)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return {"rel_micro_p": p, "rel_micro_r": r, "rel_micro_f": 2 * p * r / (p + r) if p + r else 0.0}


def _rel_keys(doc: Doc, threshold: float) -> set:
    ents = {e.start: e for e in doc.ents}
    return {
        ((ents[h].start_char, ents[h].end_char), (ents[t].start_char, ents[t].end_char), label)
        for (h, t), labels in (doc._.rel or {}).items()
        if h in ents and t in ents
        for label, score in labels.items()
        if score >= threshold
    }
