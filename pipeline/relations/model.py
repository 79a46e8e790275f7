"""The relation model architectures: pooled head / tail / between token vectors plus pair features
-> Relu -> one logit per label (v1), and v2, which adds a wide linear path over the pair's hashed
lexical and structural cues (cues.py): small data favours the linear cue model, the deep path adds
what the token vectors know."""

from typing import List, Optional, Sequence, Tuple

import numpy
from spacy.tokens import Doc, Span
from spacy.util import registry
from thinc.api import Linear, Model, Relu, chain
from thinc.types import Floats2d

from .candidates import N_FEATS, PairRow, pair_rows
from .cues import default_cue_words, hash_features


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
    cue_words: Optional[List[str]] = None,
    nO: Optional[int] = None,
) -> Model:
    """v1 plus a wide path: the pair's lexical and structural cues (pipeline/relation_features.py),
    hashed into `n_hashed` columns, go through their own Linear layer whose logits are added to
    the deep path's (tok2vec pools -> Relu -> Linear). `pooled_vectors = false` drops the token
    vectors (pair features and cues only); `cue_words` are the verbs the cues look for between the
    two spans (default resources/relation_cues.txt)."""
    cues = list(default_cue_words() if cue_words is None else cue_words)
    pairs = _pairs_layer(tok2vec, update_tok2vec, n_hashed=n_hashed, pooled_vectors=pooled_vectors, cue_words=cues)
    deep = chain(Relu(nO=hidden_width, dropout=dropout), Linear(nO=nO))
    wide = Linear(nO=nO)
    head = Model(
        "rel_wide_deep",
        _wide_deep_forward,
        layers=[deep, wide],
        init=_wide_deep_init,
        dims={"nO": nO},
        attrs={"n_hashed": n_hashed},
    )
    return chain(pairs, head)


def _pairs_layer(
    tok2vec: Model, update_tok2vec: bool, n_hashed: int, pooled_vectors: bool = True, cue_words: Sequence[str] = ()
) -> Model:
    attrs = {
        "update_tok2vec": update_tok2vec,
        "n_hashed": n_hashed,
        "pooled_vectors": pooled_vectors,
        "cue_words": list(cue_words),
    }
    return Model(
        "rel_pairs",
        _pairs_forward,
        layers=[tok2vec],
        refs={"tok2vec": tok2vec},
        init=_pairs_init,
        dims={"nO": None},
        attrs=attrs,
    )


def _rows(model: Model, doc: Doc) -> List[PairRow]:
    """The doc's candidate pairs with their features; cues only when the model reads them."""
    n_hashed = model.attrs["n_hashed"]
    return pair_rows(doc, cues=n_hashed > 0, cue_words=model.attrs.get("cue_words") or None)


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
        doc_rows = _rows(model, doc)
        if not doc_rows:
            continue
        spans = [((h.start, h.end), (t.start, t.end), _between(h, t)) for h, t, _, _ in doc_rows]
        rows.extend((i, *s) for s in spans)
        pooled.append(_span_means(ops, tokvecs[i], spans))
        feats.extend(_feature_vector(row, n_hashed) for row in doc_rows)
    out = ops.alloc2f(len(rows), 3 * width + N_FEATS + n_hashed)
    if rows:
        out[:, : 3 * width] = ops.xp.vstack(pooled)
        out[:, 3 * width :] = ops.asarray2f(numpy.vstack(feats))

    def backprop(d_out: Floats2d):
        d_tokvecs = [ops.alloc2f(*tv.shape) for tv in tokvecs]
        if not model.attrs["update_tok2vec"]:
            # Zero gradients, but still call back: a listener's callback is what applies the
            # gradients the other listeners (the NER) accumulated in the shared tok2vec.
            return bp_tokvecs(d_tokvecs)
        for r, (i, h, t, b) in enumerate(rows):
            for (a, z), part in ((h, 0), (t, 1), (b, 2)):
                d_tokvecs[i][a:z] += d_out[r, part * width : (part + 1) * width] / (z - a)
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


def _feature_vector(row: PairRow, n_hashed: int) -> numpy.ndarray:
    """Pair features, followed by the hashed cues when the model reads them."""
    return numpy.concatenate([row[2], hash_features(row[3], n_hashed)]) if n_hashed else row[2]


def _pair_feature_rows(model: Model, docs: List[Doc]) -> Floats2d:
    """The pair and cue features alone, for `pooled_vectors = false` (no token vectors)."""
    n_hashed = model.attrs["n_hashed"]
    rows = [_feature_vector(row, n_hashed) for doc in docs for row in _rows(model, doc)]
    if not rows:
        return model.ops.alloc2f(0, N_FEATS + n_hashed)
    return model.ops.asarray2f(numpy.vstack(rows))


def _wide_deep_init(model: Model, X=None, Y=None) -> None:
    deep, wide = model.layers
    n = model.attrs["n_hashed"]
    if X is not None:
        deep.initialize(X=X[:, : X.shape[1] - n], Y=Y)
        wide.initialize(X=X[:, X.shape[1] - n :], Y=Y)
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
