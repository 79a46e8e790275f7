"""Throughput of the pipeline vs the pkuseg tokenizer alone, measured in the same run.

    python benchmarks/speed.py [--model models/default] [--min-chars 200000]

Prints load time, chars/s of the tokenizer alone, of the full pipeline (nlp.pipe), of the API
with scores (pipeline.tag_many), the ratios pipeline/tokenizer and tag_many/tokenizer, and peak memory (max RSS). Every
text is different (the corpus's distinct paragraphs, then MSRA test sentences): a component that
caches by text (LAC's features, for training) gains nothing it would not gain on an archive.
"""

import argparse
import resource
import time

import pipeline
from pipeline.corpus import read_records
from pipeline.paths import corpus


def corpus_paragraphs():
    """The corpus's distinct paragraphs (gold, then unannotated)."""
    paragraphs = [r.text for path in (corpus().gold, corpus().unannotated) if path.exists() for r in read_records(path)]
    return list(dict.fromkeys(paragraphs))


def corpus_texts(min_chars: int):
    """Distinct texts of at least `min_chars` characters in all (fewer if the corpus and the MSRA
    test part run out, about 205,000)."""
    from pipeline.corpus.msra import load_sentences

    out, n = [], 0
    for text in dict.fromkeys(corpus_paragraphs() + [s[0] for s in load_sentences(part="test")]):
        if n >= min_chars:
            break
        out.append(text)
        n += len(text)
    return out, n


def rate(fn, texts, n_chars):
    start = time.perf_counter()
    fn(texts)
    seconds = time.perf_counter() - start
    return n_chars / seconds, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="pipeline directory (default models/default)")
    parser.add_argument("--min-chars", type=int, default=200_000)
    parser.add_argument("--batch-size", type=int, default=256)
    args = parser.parse_args()

    start = time.perf_counter()
    nlp = pipeline.load(args.model)
    load_s = time.perf_counter() - start
    texts, n_chars = corpus_texts(args.min_chars)
    print(f"pipeline: {nlp.pipe_names}")
    print(f"load time: {load_s:.2f} s")
    print(f"input: {len(texts)} paragraphs, {n_chars} chars")
    list(nlp.pipe(texts[:50]))  # warm up
    tok_rate, tok_s = rate(lambda ts: [nlp.make_doc(t) for t in ts], texts, n_chars)
    full_rate, full_s = rate(lambda ts: list(nlp.pipe(ts, batch_size=args.batch_size)), texts, n_chars)
    api_rate, api_s = rate(lambda ts: list(pipeline.tag_many(ts, nlp=nlp, batch_size=args.batch_size)), texts, n_chars)
    print(f"tokenizer only (pkuseg): {tok_rate:10,.0f} chars/s  ({tok_s:.1f} s)")
    print(f"full pipeline (nlp.pipe): {full_rate:10,.0f} chars/s  ({full_s:.1f} s)")
    print(f"API with scores (tag_many): {api_rate:8,.0f} chars/s  ({api_s:.1f} s)")
    print(f"ratio full pipeline / tokenizer: {full_rate / tok_rate:.2f}")
    print(f"ratio tag_many / tokenizer: {api_rate / tok_rate:.2f}")
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
