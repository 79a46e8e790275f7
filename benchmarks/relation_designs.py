"""Relation designs compared by cross-validation, fast: only the relation extractor trains, on
gold entities, with the settings of a config plus each design's overrides.

    python benchmarks/relation_designs.py [-c configs/default.cfg] [--cv-dir DIR] [--seeds 0,1,2]

For every design, on the 5 folds by document and on the shift split (evaluation.cv), prints F
pooled and per head-tail distance bucket (0-10 / 10-30 / 30-60 / 60+), with gold entities and,
given `--cv-dir` (an `evaluate --cv -o DIR` output: cv_predictions.jsonl and
cv_predictions_shift.jsonl), with the pipeline's own held-out entities; the nearest-head rule on
the same entities beside, and the rows where the design is below it. A design with candidate
dropout runs once per seed (the mean, and each seed's micro F). Extra documents (annotation
rounds) only ever train. The full pipeline's figures come from `python -m pipeline evaluate
--cv`; this script is for choosing among relation designs.
"""

import argparse
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import spacy
from spacy.language import Language
from spacy.training import Example
from spacy.util import fix_random_seed, load_config

from pipeline.corpus import read_records
from pipeline.corpus.docs import doc_to_record, record_to_doc
from pipeline.corpus.files import iter_jsonl
from pipeline.corpus.records import Entity, Record
from pipeline.corpus.splits import is_extra
from pipeline.evaluation.baselines import nearest_head
from pipeline.evaluation.cv import folds_by_document, shift_split
from pipeline.evaluation.relations import DISTANCE_BUCKETS, relation_breakdown
from pipeline.paths import corpus
from pipeline.relations.extractor import NAME

# Each design: overrides of the extractor's settings, and whether the extra documents train.
DESIGNS: Dict[str, Tuple[Dict[str, object], bool]] = {
    "the config": ({}, True),
    "no candidate dropout": ({"candidate_dropout": 0.0}, True),
    "no extra documents": ({}, False),
    "neither": ({"candidate_dropout": 0.0}, False),
    "threshold 0.1": ({"threshold": 0.1}, True),
    "threshold 0.3": ({"threshold": 0.3}, True),
    "threshold 0.5": ({"threshold": 0.5}, True),
}
ROWS = ["micro"] + [name for name, _, _ in DISTANCE_BUCKETS]


def extractor(config_path: str, overrides: Dict[str, object]) -> Language:
    """A blank Chinese pipeline (one token a character) with the config's relation extractor."""
    settings = dict(load_config(config_path)["components"][NAME])
    settings.pop("factory", None)
    settings.update(overrides)
    nlp = spacy.blank("zh")
    nlp.add_pipe(NAME, config=settings)
    return nlp


def tagged(nlp: Language, records: Sequence[Record]) -> List[Record]:
    """The records with the relations the extractor asserts between their entities."""
    docs = [record_to_doc(r, nlp.make_doc)[0] for r in records]
    return [doc_to_record(doc) for doc in nlp.get_pipe(NAME).pipe(docs)]


def fit(config_path: str, overrides: Dict[str, object], train: Sequence[Record], seed: int) -> Language:
    """The extractor fitted on `train`; `seed` fixes its candidate dropout's draws."""
    fix_random_seed(seed)
    nlp = extractor(config_path, overrides)
    examples = [Example(nlp.make_doc(r.text), record_to_doc(r, nlp.make_doc)[0]) for r in train]
    nlp.initialize(lambda: examples)
    return nlp


def f_row(gold: Sequence[Record], pred: Sequence[Record]) -> List[float]:
    scores = relation_breakdown(gold, pred)
    return [scores[row]["f"] for row in ROWS]


def held_out_entities(path: Path) -> Dict[Tuple[str, int], List[Entity]]:
    """The entities of an `evaluate --cv` predictions file by (doc_id, para), as the model wrote
    them (read without the guideline's checks: they are what is being measured)."""
    out = {}
    for _, obj, _ in iter_jsonl(path):
        ents = [Entity(e["id"], e["label"], e["start_offset"], e["end_offset"]) for e in obj["entities"]]
        out[(obj["meta"]["doc_id"], obj["meta"]["para"])] = ents
    return out


def held_out_files(cv_dir: Optional[str]) -> List[Path]:
    """The predictions files of an `evaluate --cv` output: the folds', then the shift split's."""
    return [Path(cv_dir) / f"{name}.jsonl" for name in ("cv_predictions", "cv_predictions_shift")] if cv_dir else []


def predictions(cv_dir: Optional[str]) -> Tuple[Dict, Dict]:
    """The held-out entities of the folds and of the shift split (empty without `cv_dir`)."""
    files = held_out_files(cv_dir)
    return (held_out_entities(files[0]), held_out_entities(files[1])) if files else ({}, {})


def run(config_path: str, overrides: Dict[str, object], extra: bool, records, extra_records, predicted, seed) -> Dict:
    """{split: {"gold"/"e2e": (model row, rule row)}} pooled over the split's test documents."""
    out = {}
    splits = {"5-fold": folds_by_document(records, 5), "shift": [shift_split(records)]}
    for split, folds in splits.items():
        gold, model_g, model_e, rule_e, ents = [], [], [], [], predicted[split == "shift"]
        for test in folds:
            train = [r for r in records if r.doc_id not in test] + (extra_records if extra else [])
            nlp = fit(config_path, overrides, train, seed)
            held = [r for r in records if r.doc_id in test]
            gold += held
            model_g += tagged(nlp, held)
            if ents:
                own = [Record(r.text, ents[r.key], [], dict(r.meta)) for r in held]
                model_e += tagged(nlp, own)
                rule_e += [nearest_head(r) for r in own]
        out[split] = {"gold": (f_row(gold, model_g), f_row(gold, [nearest_head(r) for r in gold]))}
        if ents:
            out[split]["e2e"] = (f_row(gold, model_e), f_row(gold, rule_e))
    return out


def dropout(config_path: str, overrides: Dict[str, object]) -> float:
    return float(overrides.get("candidate_dropout", load_config(config_path)["components"][NAME]["candidate_dropout"]))


def mean_rows(runs: List[Dict]) -> Dict:
    """{split: {kind: (model row, rule row, micro F of each seed)}}: the model's rows averaged over seeds."""
    out: Dict = {}
    for split, kinds in runs[0].items():
        out[split] = {}
        for kind, (_, rule) in kinds.items():
            rows = [r[split][kind][0] for r in runs]
            out[split][kind] = ([sum(col) / len(col) for col in zip(*rows)], rule, [row[0] for row in rows])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", default="configs/default.cfg")
    parser.add_argument(
        "--cv-dir", help="output of `evaluate --cv -o DIR` (its held-out entities: the end-to-end rows)"
    )
    parser.add_argument("--designs", default=",".join(DESIGNS), help="comma-separated names of DESIGNS")
    parser.add_argument(
        "--seeds", default="0,1,2", help="random seeds of the candidate dropout (designs without it run once)"
    )
    args = parser.parse_args()
    everything = read_records(corpus().gold)
    records = [r for r in everything if not is_extra(r.doc_id)]
    extra_records = [r for r in everything if is_extra(r.doc_id)]
    missing = [p for p in held_out_files(args.cv_dir) if not p.exists()]
    if missing:
        parser.error(f"{missing[0]}: not found (give the -o directory of `evaluate --cv`)")
    predicted = predictions(args.cv_dir)
    seeds = [int(x) for x in args.seeds.split(",")]
    print(f"{len(records)} paragraphs in {len({r.doc_id for r in records})} documents, {len(extra_records)} extra")
    print(f"F {' / '.join(ROWS)}, mean over seeds [micro F of each]; then the rule on the same entities")
    for name in args.designs.split(","):
        overrides, extra = DESIGNS[name]
        runs_seeds = seeds if dropout(args.config, overrides) else seeds[:1]
        runs = [run(args.config, overrides, extra, records, extra_records, predicted, seed) for seed in runs_seeds]
        for split, kinds in mean_rows(runs).items():
            for kind, (model, rule, micros) in kinds.items():
                below = [row for row, m, r in zip(ROWS, model, rule) if m < r]
                cells = " ".join(f"{x:.3f}" for x in model)
                each = " ".join(f"{x:.3f}" for x in micros)
                flag = f"  < rule: {', '.join(below)}" if below else ""
                rule_cells = " ".join(f"{x:.3f}" for x in rule)
                print(f"{name:<22} {split:<6} {kind:<4} {cells} [{each}] | rule {rule_cells}{flag}", flush=True)


if __name__ == "__main__":
    main()
