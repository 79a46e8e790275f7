"""LAC's word class and boundary as a token feature."""

import pytest
import spacy

from pipeline.components.lac_features import one_thread_per_process, resolve_threads, token_features


@pytest.mark.parametrize(
    "tokens,expected",
    [
        ([(0, 4)], [("ORG", "S")]),  # the token is the LAC word
        ([(0, 2), (2, 3), (3, 4)], [("ORG", "B"), ("ORG", "I"), ("ORG", "E")]),
        ([(0, 6)], [("ORG", "X")]),  # runs past the word's end
        ([(4, 6)], [("v", "S")]),
    ],
)
def test_token_features(tokens, expected):
    spans = [(0, 4, "ORG"), (4, 6, "v")]
    assert token_features([s for s, _ in tokens], [e for _, e in tokens], spans) == expected


@pytest.mark.parametrize("threads,env,expected", [(3, "1", 3), (0, "1", 1), (0, "2", 2), (0, "", None), (0, "x", None)])
def test_resolve_threads(monkeypatch, threads, env, expected):
    monkeypatch.setenv("OMP_NUM_THREADS", env)
    got = resolve_threads(threads)
    assert got == expected if expected is not None else 1 <= got <= 4
    beside = resolve_threads(threads, overlap=True)  # the main thread keeps a core
    assert beside == expected if expected is not None else beside == max(1, got - 1)


def test_a_worker_process_gets_one_thread(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "3")  # restored after the test
    one_thread_per_process()
    assert resolve_threads(0) == 1 and resolve_threads(2) == 2


@pytest.mark.slow
def test_the_component_writes_morph_and_round_trips(tmp_path):
    nlp = spacy.blank("zh")
    nlp.add_pipe("dangjian_lac_features")
    text = "海口美兰机场海关开展志愿服务。"
    before = [str(t.morph) for t in nlp(text)]
    assert before[0] == "Lac=ORG|LacB=B" and before[-1].startswith("Lac=w|")
    nlp.to_disk(tmp_path / "p")
    assert [str(t.morph) for t in spacy.load(tmp_path / "p")(text)] == before
    docs = list(nlp.pipe([text, "", text], batch_size=2))
    assert [str(t.morph) for t in docs[2]] == before and len(docs[1]) == 0


TEXTS = ["海口美兰机场海关开展志愿服务。", "", "市直机关工委开展“三航行动”", "党", "共完成337项"] * 3 + [
    "中共中央组织部"
]


@pytest.fixture(scope="module")
def lac_nlp():
    nlp = spacy.blank("zh")
    nlp.add_pipe("dangjian_lac_features", config={"overlap": False})
    return nlp


def morphs(docs):
    return [[str(t.morph) for t in doc] for doc in docs]


@pytest.mark.slow
@pytest.mark.parametrize("overlap", [True, False])
@pytest.mark.parametrize("cache_size", [4096, 1, 0])
@pytest.mark.parametrize("prefetch", [True, False])
def test_background_reading_cache_and_prefetch_change_nothing(lac_nlp, overlap, cache_size, prefetch):
    expected = morphs(lac_nlp(t) for t in TEXTS)
    nlp = spacy.blank("zh")
    lac = nlp.add_pipe("dangjian_lac_features", config={"overlap": overlap, "cache_size": cache_size})
    if prefetch:
        lac.prefetch(TEXTS[5:])
    assert morphs(nlp.pipe(TEXTS, batch_size=2)) == expected
    assert morphs(nlp.pipe(TEXTS, batch_size=5)) == expected  # again, through the cache
    assert len(lac._cache) <= max(cache_size, 0) + 5 and not lac._queued


@pytest.mark.slow
def test_an_error_on_the_background_thread_reaches_the_caller_once(monkeypatch):
    nlp = spacy.blank("zh")
    lac = nlp.add_pipe("dangjian_lac_features")

    def fail(batches):
        raise RuntimeError("onnxruntime failed")

    expected = morphs(nlp.pipe(TEXTS[:3]))
    lac._cache.clear()
    monkeypatch.setattr(lac.runner, "run", fail)
    with pytest.raises(RuntimeError, match="onnxruntime failed"):
        list(nlp.pipe(TEXTS, batch_size=2))
    monkeypatch.undo()  # the next call works: a failed batch poisons nothing
    assert morphs(nlp.pipe(TEXTS[:3], batch_size=2)) == expected
