"""`corpus ...`: validate, split, build, measure and convert the corpus."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List

import typer

from .. import paths
from ._util import corpus_app, fail, msg, user_errors


@corpus_app.command("validate")
def validate_cmd(files: List[Path] = typer.Argument(..., help="Doccano relation JSONL files")) -> None:
    """Check files against the format and ANNOTATION.md; list every problem with file and line."""
    from ..corpus import validate_file

    bad = 0
    for path in files:
        if not path.is_file():
            msg.fail(f"{path}: {'is a directory, not a JSONL file' if path.is_dir() else 'no such file'}")
            bad += 1
            continue
        records, problems = validate_file(path)
        for p in problems:
            typer.secho(f"✘ {p}", fg="red")
        bad += len(problems)
        n_ents = sum(len(r.entities) for r in records)
        n_rels = sum(len(r.relations) for r in records)
        (msg.good if not problems else msg.warn)(
            f"{path}: {len(records)} valid records, {n_ents} entities, {n_rels} relations, {len(problems)} problem(s)"
        )
    if bad:
        sys.exit(1)


@corpus_app.command("import-text")
def import_text_cmd(
    files: List[str] = typer.Argument(..., help="Articles as .txt, one paragraph a line (files, directories or globs)"),
    output: Path = typer.Option(..., "--output", "-o", help="JSONL file to write (replaced atomically)"),
) -> None:
    """Turn raw articles into unannotated Doccano records (doc_id = file stem, para = index of the
    non-empty line)."""
    from .. import inputs
    from ..corpus import write_records
    from ..io import check_output

    with user_errors():
        paths = sorted(inputs.expand(files))
        not_txt = [p for p in paths if inputs.kind_of(p) != "txt"]
        if not_txt:
            raise FileNotFoundError(f"{not_txt[0]}: import-text takes .txt articles")
        inputs.check(paths)
        check_output(output, paths)
        n = write_records(output, inputs.records(paths))
    msg.good(f"Wrote {n} paragraphs of {len(paths)} articles to {output}")


@corpus_app.command("split")
def split_cmd(dev_fraction: float = typer.Option(0.25, help="Share of new documents that go to dev")) -> None:
    """Assign every corpus document not yet in corpus/splits.json to train or dev (by document)."""
    from ..corpus import doc_ids, read_records, splits

    ids = doc_ids(read_records(paths.corpus().gold))
    if paths.corpus().unannotated.exists():
        ids += [d for d in doc_ids(read_records(paths.corpus().unannotated)) if d not in ids]
    before = splits.load(paths.corpus().splits)
    mapping = splits.update(paths.corpus().splits, ids, dev_fraction)
    new = {d: s for d, s in mapping.items() if d not in before}
    msg.good(
        f"{len(new)} new document(s) assigned; {sum(v == 'train' for v in mapping.values())} train, {sum(v == 'dev' for v in mapping.values())} dev"
    )


@corpus_app.command("build")
def build_cmd(out_dir: Path = typer.Option(None, help="Output folder (default corpus/build)")) -> None:
    """Write the user dictionary and train/dev .spacy files from the gold corpus."""
    from ..training.data import build

    res = build(out_dir)
    msg.good(
        f"{res.n_train} train / {res.n_dev} dev paragraphs; user dictionary of {res.n_words} words -> {res.user_dict.parent}"
    )
    for name, rep in res.reports.items():
        msg.info(
            f"{name}: {rep.aligned}/{rep.total} gold spans aligned with pkuseg tokens; {len(rep.misaligned)} retokenised at gold boundaries"
        )
        for m in rep.misaligned:
            print(f"    {m}")


@corpus_app.command("alignment")
def alignment_cmd(verbose: bool = typer.Option(False, "--verbose", "-v", help="List every misaligned span")) -> None:
    """Print how many gold spans align with pkuseg tokens, with and without the user dictionary."""
    from ..corpus.alignment import print_table
    from ..training.data import measure_alignment

    print_table(*measure_alignment(), verbose=verbose)


@corpus_app.command("roundtrip")
def roundtrip_cmd(file: Path = typer.Argument(None, help="JSONL file (default corpus/gold.jsonl)")) -> None:
    """Convert JSONL -> Docs -> JSONL and check the result is byte-identical."""
    from ..corpus import read_records
    from ..corpus.docs import roundtrip
    from ..tokenization.lexicon import lexicon
    from ..tokenization.tokenizer import pkuseg_with_words

    file = file or paths.corpus().gold
    with user_errors():
        records = read_records(file)
    original, again = (
        file.read_bytes(),
        roundtrip(records, pkuseg_with_words(lexicon(records)).make_doc).encode("utf-8"),
    )
    if original != again:
        msg.fail(f"{file}: round trip differs", exits=1)
    msg.good(f"{file}: JSONL -> Docs -> JSONL is byte-identical ({len(original)} bytes)")


@corpus_app.command("to-hf")
def to_hf_cmd(
    out_dir: Path = typer.Argument(..., help="Folder for Dataset.save_to_disk"),
    file: Path = typer.Option(None, help="JSONL file (default corpus/gold.jsonl)"),
) -> None:
    """Export records to a Hugging Face datasets folder."""
    from ..corpus import read_records
    from ..corpus.hf import to_dataset

    ds = to_dataset(read_records(file or paths.corpus().gold))
    ds.save_to_disk(str(out_dir))
    msg.good(f"Saved {len(ds)} rows to {out_dir}")


@corpus_app.command("from-hf")
def from_hf_cmd(
    in_dir: Path = typer.Argument(..., help="Folder written by Dataset.save_to_disk"),
    output: Path = typer.Option(..., "--output", "-o", help="JSONL file to write"),
) -> None:
    """Read a Hugging Face datasets folder back into Doccano relation JSONL (validated)."""
    from datasets import load_from_disk

    from ..corpus import CorpusError, write_records
    from ..corpus.hf import from_dataset

    try:
        records = from_dataset(load_from_disk(str(in_dir)), source=str(in_dir))
    except CorpusError as err:
        fail(err)
    msg.good(f"Wrote {write_records(output, records)} records to {output}")
