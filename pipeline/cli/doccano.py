"""`doccano ...`: run a Doccano server, push suggestions, pull and apply corrections."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Dict, List

import typer

from .. import paths
from ._util import doccano_app, msg, user_errors

if TYPE_CHECKING:
    from ..doccano.versions import TeamVersions


@doccano_app.command("serve")
def doccano_serve_cmd(
    port: int = typer.Option(8000, help="Port on 127.0.0.1"),
    home: Path = typer.Option(None, help="Data directory (default .doccano/data; DATABASE_URL overrides SQLite)"),
) -> None:
    """Install Doccano 1.8.4 in its own venv, initialise the data directory, create the admin from
    DOCCANO_USERNAME / DOCCANO_PASSWORD, and run the web server (127.0.0.1) and the worker."""
    from ..doccano.lifecycle import start

    with user_errors():
        state = start(port=port, home=home)
    msg.good(
        f"Doccano is running at {state.url} (PIDs {', '.join(map(str, state.pids))}); stop it with `python -m pipeline doccano stop`"
    )


@doccano_app.command("install")
def doccano_install_cmd() -> None:
    """Only install the server's virtual environment (.doccano/venv); `serve` does this too."""
    from ..doccano.environment import ensure_env

    with user_errors():
        path = ensure_env()
    msg.good(f"Doccano installed in {path}")


@doccano_app.command("stop")
def doccano_stop_cmd() -> None:
    """Stop the server started by `doccano serve` (only the processes it started)."""
    from ..doccano.lifecycle import stop

    stopped = stop()
    (msg.good if stopped else msg.info)(
        f"Stopped PIDs {stopped}" if stopped else "No server started from here is running"
    )


@doccano_app.command("status")
def doccano_status_cmd(
    project: str = typer.Option(
        None,
        "--project",
        "-p",
        help="Also show this project's (or team's) progress and whether its auto-labelling answers",
    ),
) -> None:
    """Show the health report of the server started from here; with -p, each annotator's progress
    in a team (or the project's) and whether Doccano reaches its auto-labelling service now."""
    from ..doccano.environment import server_dir
    from ..doccano.lifecycle import ServerState, health

    state_file = server_dir() / "server.json"
    if state_file.exists():
        state = ServerState.load(state_file)
        report = health(state.url)
        (msg.good if report and all(v == "OK" for v in report.values()) else msg.warn)(
            f"{state.url}: {report or 'unreachable'}"
        )
    elif project is None:
        msg.info("No server started from here")
        raise typer.Exit(1)
    if project is not None:
        report_progress(project)


def report_progress(project: str) -> None:
    """Confirmed / total in the project or in each queue of the team, and the auto-labelling check."""
    from ..doccano.autolabel import target_projects
    from ..doccano.client import connect

    with user_errors():
        client = connect()
        for proj in target_projects(client, project, create=False):
            progress = client.get_progress(proj.id)
            msg.info(f"{proj.name}: {progress.total - progress.remaining} of {progress.total} confirmed")
        ok = report_autolabel_check(client, project)
    if not ok:
        raise typer.Exit(1)


def report_autolabel_check(client, project: str) -> bool:
    """One line per auto-labelling config: does Doccano reach the service now? False if any fails."""
    from ..doccano.autolabel import check_autolabel

    checks = check_autolabel(client, project)
    for c in checks:
        if c.error:
            msg.fail(f"{c.project}: auto-labelling cannot reach {c.url}: annotators get no suggestions ({c.error})")
        else:
            msg.good(f"{c.project}: auto-labelling answers ({c.url}: {c.spans} span(s) for the sample text)")
    if not checks:
        msg.info(f"No auto-labelling installed in {project!r}")
    return all(not c.error for c in checks)


@doccano_app.command("push")
def doccano_push_cmd(
    input: Path = typer.Argument(
        ..., help=".txt (one paragraph a line) or .jsonl records with text and meta doc_id/para"
    ),
    project: str = typer.Option(..., "--project", "-p", help="Doccano project name (created if missing)"),
    model: Path = typer.Option(None, "--model", "-m", help="Pipeline that pre-annotates (default models/default)"),
    limit: int = typer.Option(
        None, "--limit", "-n", help="Push only the N least confident paragraphs not yet in the project"
    ),
    no_suggestions: bool = typer.Option(False, "--no-suggestions", help="Upload without model pre-annotations"),
    keep_annotations: bool = typer.Option(
        False,
        "--keep-annotations",
        help="INPUT is corpus JSONL: upload its own annotations for review instead of model suggestions",
    ),
    include_gold: bool = typer.Option(
        False,
        "--include-gold",
        help="Send paragraphs already in the gold corpus with their gold annotations (default: skip them)",
    ),
    annotators: str = typer.Option(
        None, "--annotators", help="Team project: annotator user names a,b,c (default: [team] in the config file)"
    ),
    overlap: int = typer.Option(None, "--overlap", "-k", help="Team project: annotators per paragraph (default 1)"),
    passwords: Path = typer.Option(
        None, "--passwords", help="File of name:password lines for the annotators (or $DOCCANO_PASSWORDS_FILE)"
    ),
    guideline: Path = typer.Option(
        None, "--guideline", help="Markdown shown by the page's Show Guideline (default docs/ANNOTATION.md)"
    ),
) -> None:
    """Upload paragraphs with the model's entities and relations as pre-annotations (bulk import).
    Idempotent: paragraphs already in the project (by doc_id + para) are skipped. Paragraphs already
    in corpus/gold.jsonl never get model suggestions: they are skipped, or sent with their gold
    annotations (--include-gold). With annotators, -p names a team: each paragraph goes to K of them
    (recorded, stable on re-runs) and into each one's own queue project, "NAME · ANNOTATOR". Every
    project pushed to gets the guideline and the label shortcut keys."""
    from ..api import load
    from ..corpus import read_records
    from ..doccano.push import model_suggester, push
    from ..doccano.team import load_team
    from ..inputs import read_tag_input

    with user_errors():
        team = load_team(annotators, overlap, passwords)
        records = read_records(input) if keep_annotations else read_tag_input(input)
        gold_file = paths.corpus().gold
        gold = read_records(gold_file) if gold_file.exists() else []
        suggest = None if (no_suggestions or keep_annotations) else model_suggester(lambda: load(model))
        text = guideline.read_text(encoding="utf-8") if guideline else None
        summary = push(
            records,
            project,
            suggest=suggest,
            limit=limit,
            gold=gold,
            include_gold=include_gold,
            source=str(input),
            team=team,
            guideline=text,
        )
    msg.good(
        f"Pushed {summary.uploaded} paragraph(s) to {project!r}; {summary.skipped_existing} already there; {summary.remaining} left for later batches"
    )
    if team is not None:
        msg.info(
            f"Team of {len(team.annotators)}, {team.overlap} annotator(s) per paragraph; each works in her own project:"
        )
        for name, queue in sorted(summary.queue_names.items()):
            msg.info(
                f"  {name}: {summary.assigned.get(name, 0)} new paragraph(s) assigned, {summary.queued.get(name, 0)} put into {queue!r}"
            )
    if summary.skipped_gold:
        msg.info(
            f"{summary.skipped_gold} paragraph(s) already in {gold_file} were not sent (--include-gold sends their gold annotations)"
        )
    if summary.sent_gold:
        msg.info(
            f"{summary.sent_gold} paragraph(s) already in {gold_file} were sent with their gold annotations, not model suggestions"
        )
    if summary.duplicates_in_project:
        msg.warn(f"The project holds duplicate examples for {summary.duplicates_in_project[:5]} ...")


@doccano_app.command("pull")
def doccano_pull_cmd(
    project: str = typer.Option(..., "--project", "-p", help="Doccano project (or team) name"),
    output: Path = typer.Option(
        None, "--output", "-o", help="Write the pulled records here instead of merging into the corpus"
    ),
    corpus_file: Path = typer.Option(None, "--corpus", help="Corpus file to merge into (default corpus/gold.jsonl)"),
) -> None:
    """Fetch confirmed examples and merge them into the corpus by doc_id + para (atomically). A
    team's versions are kept per annotator in corpus/annotators/TEAM/, never merged into gold.
    Relations that a redrawn span took with it are reported per paragraph."""
    from ..doccano.client import DoccanoError, connect, find_project, project_kind
    from ..doccano.pull import pull
    from ..doccano.versions import pull_versions, versions_dir

    target = corpus_file or paths.corpus().gold
    with user_errors():
        client = connect()
        proj = find_project(client, project)
        if proj is None:
            raise DoccanoError(f"no project named {project!r} on the server")
        if project_kind(proj) == "team":
            if output or corpus_file:
                folder = versions_dir(paths.corpus().annotators, project)
                raise DoccanoError(
                    f"{project!r} is a team: each annotator's versions are kept in {folder}/<annotator>.jsonl, "
                    f"not in one file; pull without --output/--corpus (review -p {project} --into ... brings the agreed ones into the corpus)"
                )
            report_versions(pull_versions(client, project, paths.corpus().annotators), project)
            return
        summary = pull(project, target, output=output, client=client)
    report_lost({"": summary.lost}, {"": summary.records})
    if output:
        msg.good(f"Wrote {summary.pulled} confirmed record(s) to {output}")
        return
    report_merge(f"Pulled {summary.pulled} confirmed record(s)", target, summary.counts, summary.new_doc_ids)


def report_versions(team: TeamVersions, project: str) -> None:
    """What a team pull kept, per annotator, and the relations redrawn spans took with them."""
    from ..doccano.versions import versions_dir

    folder = versions_dir(paths.corpus().annotators, project)
    for name, records in team.versions.items():
        c = team.counts.get(name, {})
        msg.good(
            f"{name}: {len(records)} version(s) kept in {folder / (name + '.jsonl')} ({c.get('added', 0)} new, {c.get('changed', 0)} changed)"
        )
    for name, n in team.unassigned.items():
        msg.warn(
            f"{name} confirmed {n} paragraph(s) not assigned to them: kept apart in {folder / (name + '.unassigned.jsonl')}"
        )
    if not team.versions:
        msg.info(f"No annotator of {project!r} has confirmed anything yet")
    texts = {name: {r.key: r for r in records} for name, records in team.versions.items()}
    report_lost(team.lost, texts, f"`doccano review -p {project} --into ...` offers to restore them")


def report_lost(lost, records, remedy: str = "") -> None:
    """Per paragraph, each suggested relation a redrawn span took with it (`lost` and `records`
    by annotator, "" for a project without a team)."""
    n = sum(len(items) for by_key in lost.values() for items in by_key.values())
    if not n:
        return
    msg.warn(
        f"{n} suggested relation(s) were lost when their span was redrawn (Doccano deletes a span's relations with it):"
    )
    for name, by_key in sorted(lost.items()):
        for key, items in sorted(by_key.items()):
            text = records[name][key].text
            for item in items:
                typer.secho(
                    f"  {name + ': ' if name else ''}{key[0]} para {key[1]}: {item.describe(text)}", fg="yellow"
                )
    msg.info(remedy or "Draw them again in Doccano (the example's suggested_relations lists them) and pull again")


def report_merge(what: str, target: Path, counts: Dict[str, int], new_doc_ids: List[str]) -> None:
    """The counts of a merge into the corpus; new documents of the gold corpus get a split."""
    from ..corpus import splits

    c = counts
    msg.good(
        f"{what} into {target}: {c['changed']} changed, {c['added']} added, {c['unchanged']} unchanged, {c['kept']} other records untouched"
    )
    if new_doc_ids and target == paths.corpus().gold:
        mapping = splits.update(paths.corpus().splits, new_doc_ids)
        extra = [d for d in new_doc_ids if splits.is_extra(d)]
        articles = [f"{d} ({mapping[d]})" for d in new_doc_ids if not splits.is_extra(d)]
        if articles:
            msg.info(f"New documents: {', '.join(articles)}")
        if extra:
            msg.info(
                f"{len(extra)} new extra training document(s) ({extra[0]} ...): training data, never dev or held out"
            )


@doccano_app.command("correct")
def doccano_correct_cmd(
    corrections: Path = typer.Argument(
        ..., help="Doccano relation JSONL with the annotations the examples must end up with"
    ),
    project: str = typer.Option(..., "--project", "-p", help="Doccano project name"),
    no_confirm: bool = typer.Option(False, "--no-confirm", help="Do not mark the corrected examples as confirmed"),
) -> None:
    """Apply reviewed annotations to pushed examples through the REST API, one change at a time
    (delete/add spans and relations, then confirm), as an annotator does in the UI."""
    from ..corpus import read_records
    from ..doccano.client import connect
    from ..doccano.correct import correct

    with user_errors():
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
    """One turn of the annotation loop: pull -> train on every document -> push the next batch
    (`evaluate --cv K` measures what the new annotations bought)."""
    from ..api import load
    from ..corpus import read_records
    from ..doccano.pull import pull
    from ..doccano.push import model_suggester, push
    from ..training.data import load_gold
    from ..training.train import train_pipeline

    with user_errors():
        summary = pull(project, paths.corpus().gold)
        msg.good(f"pull: {summary.counts}")
        nlp = load(train_pipeline(config=config))
        gold = load_gold()
        todo = read_records(input or paths.corpus().unannotated)
        pushed = push(todo, project, suggest=model_suggester(nlp), limit=limit, gold=gold)
    msg.good(
        f"push: {pushed.uploaded} new paragraph(s) to annotate; {pushed.remaining} left, {pushed.skipped_gold} already gold"
    )


@doccano_app.command("autolabel")
def doccano_autolabel_cmd(
    project: str = typer.Option(..., "--project", "-p", help="Doccano project (created if missing) or team"),
    url: str = typer.Option(
        "http://127.0.0.1:8080",
        "--url",
        help="The service (`python -m pipeline serve`) as the Doccano server reaches it",
    ),
    check: bool = typer.Option(
        None,
        "--check/--no-check",
        help="--check: install nothing, only tell whether Doccano reaches the installed service now; "
        "--no-check: install without first having Doccano call the service",
        show_default=False,
    ),
) -> None:
    """Install the auto-labelling config ("Custom REST Request" calling POST URL/tag, a template
    mapping the answer's spans to ORG / INITIATIVE / OUTCOME) into a project, or into every queue of
    a team; installing again updates it. `--check` only checks the installed configs."""
    from ..doccano.autolabel import install_autolabel
    from ..doccano.client import connect

    if check:
        with user_errors():
            ok = report_autolabel_check(connect(), project)
        raise typer.Exit(0 if ok else 1)
    with user_errors():
        summaries = install_autolabel(connect(), project, url, check=check is None)
    for summary in summaries:
        checked = (
            f"; Doccano called the service and got {summary.sample_spans} span(s) for a sample" if check is None else ""
        )
        msg.good(
            f"Auto-labelling {'updated' if summary.replaced else 'installed'} in {summary.project!r} (config {summary.config_id}){checked}"
        )
        if summary.other_configs:
            msg.warn(
                f"{summary.project!r} has {summary.other_configs} other auto-labelling config(s); Doccano runs them all"
            )
    msg.info(
        "Annotators switch on Auto Labeling in the annotation page's menu; it is off again after every page load. "
        "While it is on, every unconfirmed example they open is sent to the service and its spans added "
        "(except over spans already there), so a suggestion deleted before confirming comes back when the example is opened again. "
        f"If the service stops answering, the page shows no suggestions and no error: `doccano autolabel -p {project} --check` tells"
    )
