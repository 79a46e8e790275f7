"""A team round against a real Doccano server: push, the annotators confirm, pull, agreement, review.

    python benchmarks/doccano_team.py [--n 300] [--annotators 2] [--overlap 2]

Starts a throw-away server on a free loopback port (credentials generated here and passed in the
environment), makes N synthetic paragraphs (~500 chars, 15 spans, 5 relations each: the model's
suggestions), and times `push --annotators` of all N, a second push of the same input (nothing
new: what keeping the projects in step costs), each annotator confirming every paragraph of
hers through the REST call the annotation page makes, the team pull, agreement and review.
"""

import argparse
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

from doccano_sync import synthetic

from pipeline.doccano import lifecycle as server
from pipeline.doccano.client import connect
from pipeline.doccano.push import push
from pipeline.doccano.review import review
from pipeline.doccano.settings import DoccanoSettings
from pipeline.doccano.team import Team, login_as, password_env
from pipeline.doccano.versions import pull_versions
from pipeline.evaluation.agreement import agreement


def confirm_all(url: str, name: str, team: Team) -> int:
    """The annotator confirms every example assigned to her, as the page's check button does."""
    session = login_as(url, name, team)
    done = 0
    for project in session.list_projects():
        for ex in session.list_examples(project.id):
            assigned = ex.meta.get("assigned_to")
            if ex.is_confirmed or (assigned is not None and name not in str(assigned).split(",")):
                continue
            session.update_example_state(project.id, ex.id)
            done += 1
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--annotators", type=int, default=2)
    parser.add_argument("--overlap", type=int, default=2)
    args = parser.parse_args()
    records = synthetic(args.n)
    names = tuple(f"annotator{i + 1}" for i in range(args.annotators))
    for name in names:
        os.environ[password_env(name)] = secrets.token_urlsafe(16)
    team = Team(names, args.overlap)
    print(f"{len(records)} paragraphs, {len(names)} annotators, overlap {args.overlap}")
    with tempfile.TemporaryDirectory(prefix="doccano-team-bench-") as tmp:
        os.environ.setdefault("DOCCANO_USERNAME", "bench")
        os.environ.setdefault("DOCCANO_PASSWORD", secrets.token_urlsafe(16))
        state_file = Path(tmp) / "server.json"
        state = server.start(home=Path(tmp) / "data", state_file=state_file)
        os.environ["DOCCANO_URL"] = state.url
        try:
            settings = DoccanoSettings(state.url, os.environ["DOCCANO_USERNAME"], os.environ["DOCCANO_PASSWORD"])
            client = connect(settings)
            timings = {}
            t = time.perf_counter()
            first = push(records, "round1", client=client, team=team, settings=settings)
            timings["push (all new)"] = time.perf_counter() - t
            t = time.perf_counter()
            again = push(records, "round1", client=client, team=team, settings=settings)
            timings["push again (nothing new)"] = time.perf_counter() - t
            assert (first.uploaded, again.uploaded) == (len(records), 0)
            t = time.perf_counter()
            confirmed = sum(confirm_all(state.url, name, team) for name in names)
            timings[f"annotators confirm {confirmed} examples"] = time.perf_counter() - t
            root = Path(tmp) / "annotators"
            t = time.perf_counter()
            kept = pull_versions(client, "round1", root)
            timings["pull (team)"] = time.perf_counter() - t
            t = time.perf_counter()
            agreement(kept.versions)
            timings["agreement (from the pulled versions)"] = time.perf_counter() - t
            t = time.perf_counter()
            summary = review(client, "round1", "round1-review", Path(tmp) / "gold.jsonl", root)
            timings["review (pull + triage + merge)"] = time.perf_counter() - t
            print(f"versions kept: {sum(len(v) for v in kept.versions.values())}; accepted {len(summary.accepted)}")
        finally:
            server.stop(state_file)
    for what, seconds in timings.items():
        print(f"{what:45s} {seconds:7.1f} s")


if __name__ == "__main__":
    sys.exit(main())
