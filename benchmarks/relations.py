"""Relation extraction on dev: the learned component beside a rule and a logistic-regression baseline,
each with gold entities and end to end (on the pipeline's predicted entities), and the end-to-end
ceiling the predicted entities allow.

    python benchmarks/relations.py [--model models/default] [--gold corpus/gold.jsonl]
"""

import argparse
from pathlib import Path

import pipeline
from pipeline.evaluation.baselines import LogRegBaseline, nearest_actor
from pipeline.evaluation.metrics import predict_records
from pipeline.evaluation.relations import evaluate_relations, reachable, records_at, relation_scores
from pipeline.training.data import gold_splits, load_gold
from pipeline.training.readers import pre_ner_tokenizer
from pipeline.training.threshold import tune_threshold


def row(name, scores):
    cells = "  ".join(
        f"{lab} {scores[lab]['p']:.3f}/{scores[lab]['r']:.3f}/{scores[lab]['f']:.3f}"
        for lab in ("LAUNCHED", "ACHIEVED", "micro")
    )
    print(f"{name:<34}{cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--gold", default=None)
    args = parser.parse_args()
    nlp = pipeline.load(args.model)
    train, dev = gold_splits(load_gold(Path(args.gold) if args.gold else None))
    tokenize = pre_ner_tokenizer(nlp)
    predicted = predict_records(nlp, dev)  # entities (and relations) of the full pipeline
    logreg = LogRegBaseline(tokenize).fit(train)
    rel = nlp.get_pipe("dangjian_relation_extractor")
    tuned, _ = tune_threshold(nlp, dev)
    print(f"dev: {len(dev)} paragraphs, {sum(len(r.relations) for r in dev)} relations; cells are P/R/F")
    print(f"learned component threshold: configured {rel.threshold:.2f}, best on dev {tuned:.2f}")
    ok, total = reachable(dev, predicted)
    ceiling = 2 * (ok / total) / (1 + ok / total) if total else 0.0
    print(
        f"end-to-end ceiling: {ok}/{total} gold relations have both spans among the predicted entities "
        f"(recall <= {ok / total:.3f}, F1 <= {ceiling:.3f} with a perfect relation classifier)"
    )
    for setting, source in (("gold entities", dev), ("end to end", predicted)):
        print(f"-- {setting}")
        row("rule: nearest actor", evaluate_relations(dev, [nearest_actor(r, tokenize) for r in source]))
        row("logistic regression", evaluate_relations(dev, [logreg.predict(r) for r in source]))
        docs, scores = relation_scores(nlp, dev, gold_entities=setting == "gold entities")
        for t in sorted({rel.threshold, tuned}):
            row(f"learned component @ {t:.2f}", evaluate_relations(dev, records_at(nlp, docs, scores, t)))


if __name__ == "__main__":
    main()
