"""A logged-in Doccano client, and the project and examples this product works with: a
relation-enabled sequence-labeling project whose examples are keyed by meta doc_id + para."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from .. import paths
from ..resources import read_json
from ..schema import ENTITY_LABELS, RELATION_TYPES
from .settings import DoccanoSettings, load_settings

Key = Tuple[str, int]


class DoccanoError(RuntimeError):
    """A Doccano operation failed; the message says what and how to recover."""


def connect(settings: Optional[DoccanoSettings] = None):
    """A logged-in doccano-client, with clear errors for a server that is down or bad credentials."""
    import requests
    from doccano_client import DoccanoClient
    from doccano_client.exceptions import DoccanoAPIError

    settings = settings or load_settings()
    client = DoccanoClient(settings.url)
    try:
        client.login(settings.username, settings.password)
    except requests.exceptions.ConnectionError:
        raise DoccanoError(
            f"cannot reach a Doccano server at {settings.url} (is it running? `python -m pipeline doccano serve`)"
        ) from None
    except DoccanoAPIError as err:
        status = getattr(err.response, "status_code", "?")
        if status in (400, 401, 403):
            raise DoccanoError(
                f"Doccano at {settings.url} refused the login for user {settings.username!r} (HTTP {status}): check DOCCANO_USERNAME / DOCCANO_PASSWORD"
            ) from None
        raise DoccanoError(f"Doccano login failed at {settings.url}: {err}") from None
    return client


def find_project(client, name: str):
    for project in client.list_projects():
        if project.name == name:
            return project
    return None


TEAM_TAG = "dangjian team"  # a team's own project: every pushed paragraph, its suggestions and assignment
QUEUE_TAG = "dangjian queue"  # one annotator's project in a team: only her paragraphs
LABELS_FILE = "doccano_labels.json"  # shortcut key and colour of each label in the annotation page

QUEUE_SEP = " · "  # "<team> · <annotator>": the name of an annotator's queue


def queue_name(team: str, user: str) -> str:
    """The project that holds `user`'s paragraphs of `team`."""
    return f"{team}{QUEUE_SEP}{user}"


def project_kind(project) -> str:
    """What a project is to this product: "plain" (one shared version, pulled into the corpus),
    "team", "queue" (an annotator's part of a team), or "old team" (a team project of the kind
    made before each annotator had her own queue)."""
    tags = set(project.tags or ())
    if TEAM_TAG in tags:
        return "team"
    if QUEUE_TAG in tags:
        return "queue"
    return "plain" if project.collaborative_annotation else "old team"


def check_kind(project, wanted: str) -> None:
    """Refuse to treat a project as what it is not, saying what to do instead."""
    kind = project_kind(project)
    if kind == wanted:
        return
    name = project.name
    if kind == "queue":
        team, _, user = name.rpartition(QUEUE_SEP)
        raise DoccanoError(f"project {name!r} is {user}'s queue in team {team!r}: work with the team, -p {team!r}")
    if kind == "old team":
        raise DoccanoError(
            f"project {name!r} is a team project of the earlier kind (one project for the whole team, "
            "which this version no longer reads): push the team again under a new name"
        )
    if kind == "team":
        raise DoccanoError(
            f"project {name!r} is a team (each annotator has her own queue): push to it with --annotators"
        )
    raise DoccanoError(
        f"project {name!r} holds one shared version, not a team's annotators (a team needs a project name of its own)"
    )


def ensure_project(client, name: str, guideline: Optional[str] = None, kind: str = "plain", collaborative: bool = True):
    """Find or create a relation-enabled SequenceLabeling project of this `kind` with our labels
    (shortcut keys, colours that stand out on white) and, unless None, the guideline."""
    tags = {"team": [TEAM_TAG], "queue": [QUEUE_TAG]}.get(kind, [])
    guideline = None if guideline is None else guideline.strip()  # Doccano strips it too
    project = find_project(client, name)
    if project is None and not 0 < len(name.strip()) <= 100:
        raise DoccanoError(
            f"project name {name!r} must have 1 to 100 characters (Doccano's limit; a queue is 'TEAM · NAME')"
        )
    if project is None:
        project = client.create_project(
            name=name,
            project_type="SequenceLabeling",
            description=DESCRIPTIONS[kind],
            guideline=guideline or "",
            collaborative_annotation=collaborative,
            allow_overlapping=False,
            grapheme_mode=False,
            use_relation=True,
            tags=tags,
        )
    elif project.project_type != "SequenceLabeling" or not project.use_relation:
        raise DoccanoError(f"project {name!r} exists but is not a relation-enabled SequenceLabeling project")
    elif project.grapheme_mode:
        raise DoccanoError(
            f"project {name!r} counts offsets in graphemes (grapheme mode is on): switch it off in the project's settings"
        )
    check_kind(project, kind)
    if guideline is not None and project.guideline != guideline:
        project = client.update_project(project.id, guideline=guideline)
    ensure_labels(client, project.id)
    return project


DESCRIPTIONS = {
    "plain": "ORG, INITIATIVE, OUTCOME and their relations (dangjian pipeline)",
    "team": "A team's paragraphs with the model's suggestions and who annotates them; annotators work in their own queues",
    "queue": "One annotator's paragraphs: ORG, INITIATIVE, OUTCOME and their relations (dangjian pipeline)",
}


def ensure_labels(client, project_id: int) -> None:
    """Our span and relation types, each with its shortcut key and colour (updated when they differ)."""
    wanted = read_json(LABELS_FILE)
    for kind, names in (("span", ENTITY_LABELS), ("relation", tuple(RELATION_TYPES))):
        have = {t.text: t for t in client.list_label_types(project_id, kind)}
        for label in names:
            key, color = wanted[kind][label]["key"], wanted[kind][label]["color"]
            if label not in have:
                client.create_label_type(project_id, kind, label, suffix_key=key, color=color)
            elif (have[label].suffix_key, have[label].background_color.lower()) != (key, color.lower()):
                client.update_label_type(project_id, have[label].id, kind, suffix_key=key, color=color)


def default_guideline() -> str:
    """The text of docs/ANNOTATION.md (empty when the package has no docs beside it)."""
    path = paths.guideline()
    return path.read_text(encoding="utf-8").strip() if path else ""


def example_key(meta: Dict[str, Any]) -> Optional[Key]:
    try:
        return (str(meta["doc_id"]), int(meta["para"]))
    except (KeyError, TypeError, ValueError):
        return None


def list_keyed_examples(client, project_id: int) -> Dict[Key, List[Any]]:
    """Examples of the project grouped by (doc_id, para) from their meta."""
    found: Dict[Key, List[Any]] = {}
    for ex in client.list_examples(project_id):
        key = example_key(ex.meta)
        if key is not None:
            found.setdefault(key, []).append(ex)
    return found
