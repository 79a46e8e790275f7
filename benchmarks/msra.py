"""External check: ORG precision / recall / F1 on the official MSRA NER test part (4,631 sentences,
1,331 ORG; never used in training), for a trained pipeline and for Baidu LAC's ORG words alone.

    python benchmarks/msra.py [--model models/default] [--limit N]

MSRA's ORG convention is not the project's (it tags 新华社, 中国共产党, foreign bodies; the guideline
leaves places, people and generic bodies out in the same way), so the figure measures how well the
model knows Chinese organisation names in general news, exact spans only.
"""

import argparse
import time

import pipeline
from pipeline.corpus.msra import load_sentences
from pipeline.evaluation.metrics import prf
from pipeline.schema import ORG


def score(gold_spans, pred_spans) -> dict:
    gold = {(i, a, b) for i, spans in enumerate(gold_spans) for a, b in spans}
    pred = {(i, a, b) for i, spans in enumerate(pred_spans) for a, b in spans}
    return prf(len(gold & pred), len(pred - gold), len(gold - pred))


def pipeline_orgs(nlp, texts):
    return [[(e.start_char, e.end_char) for e in doc.ents if e.label_ == ORG] for doc in nlp.pipe(texts, batch_size=64)]


def lac_orgs(texts):
    from pipeline.lac.runner import LacRunner

    return [[(a, b) for a, b, label in words if label == ORG] for words in LacRunner().words(texts)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="pipeline directory (default models/default)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N test sentences")
    args = parser.parse_args()
    sentences = load_sentences(part="test")
    if args.limit:
        sentences = sentences[: args.limit]
    texts, gold = [s[0] for s in sentences], [s[1] for s in sentences]
    print(f"MSRA test: {len(texts)} sentences, {sum(map(len, gold))} ORG")
    for name, run in (
        ("pipeline", lambda: pipeline_orgs(pipeline.load(args.model), texts)),
        ("LAC alone", lambda: lac_orgs(texts)),
    ):
        start = time.perf_counter()
        s = score(gold, run())
        print(f"{name:<10} ORG P {s['p']:.3f}  R {s['r']:.3f}  F {s['f']:.3f}  ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
