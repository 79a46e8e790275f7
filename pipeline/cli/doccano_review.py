"""`doccano review`: agreed paragraphs of a team project into the corpus, the others to a reviewer."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from .. import paths
from ..doccano.review import ACCEPT, PREANNOTATE
from ._util import doccano_app, msg, user_errors
from .doccano import report_merge, report_versions

Accept = Enum("Accept", {v: v for v in ACCEPT}, type=str)
Preannotate = Enum("Preannotate", {v: v for v in PREANNOTATE}, type=str)


@doccano_app.command("review")
def doccano_review_cmd(
    project: str = typer.Option(..., "--project", "-p", help="The team project (non-collaborative)"),
    into: str = typer.Option(..., "--into", help="Review project for the disputed paragraphs (created if missing)"),
    accept: Accept = typer.Option("all", "--accept", help="Accept a paragraph when all versions agree, or a majority"),
    preannotate: Preannotate = typer.Option(
        "majority", "--preannotate", help="Pre-annotate disputed paragraphs with the majority vote or the union"
    ),
    corpus_file: Path = typer.Option(None, "--corpus", help="Corpus file to merge into (default corpus/gold.jsonl)"),
    reviewers: str = typer.Option(
        None,
        "--reviewers",
        help="Reviewers to make members of the review project, e.g. carol (found or created; passwords as for annotators)",
    ),
    passwords: Path = typer.Option(None, "--passwords", help="File of name:password lines for new reviewers"),
) -> None:
    """Pull every annotator's version (kept in corpus/annotators/PROJECT/), merge the paragraphs
    they agree on into the corpus, and push the others to the review project, pre-annotated, with
    each annotator's version in the example's metadata. Pull the reviewer's decisions with
    `doccano pull -p REVIEW_PROJECT`."""
    from ..doccano.client import connect
    from ..doccano.review import review
    from ..doccano.team import Team, parse_annotators

    target = corpus_file or paths.corpus().gold
    with user_errors():
        team = Team(parse_annotators(reviewers), 1, passwords) if reviewers else None
        summary = review(
            connect(), project, into, target, paths.corpus().annotators, accept.value, preannotate.value, team
        )
    report_versions(summary.team, project)
    msg.good(f"{len(summary.disputed)} disputed paragraph(s): {summary.sent} sent to {into!r} for review")
    if reviewers:
        msg.info(f"Reviewer(s) {reviewers} can open {into!r}")
    if summary.in_review:
        msg.info(f"{summary.in_review} paragraph(s) already in {into!r}: the reviewer decides them")
    if summary.pending:
        msg.info(f"{len(summary.pending)} paragraph(s) wait for an assigned annotator to confirm")
    if summary.accepted:
        report_merge(
            f"Accepted {len(summary.accepted)} agreed paragraph(s)", target, summary.counts, summary.new_doc_ids
        )
