"""A logged-in Doccano client, and the project and examples this product works with: a
relation-enabled sequence-labeling project whose examples are keyed by meta doc_id + para."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ..schema import ENTITY_LABELS, RELATION_COLORS, RELATION_TYPES, SPAN_COLORS
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


def ensure_project(client, name: str, guideline: str = "", collaborative: bool = True):
    """Find or create a relation-enabled SequenceLabeling project with our labels: collaborative
    (one shared version of each example), or not (a team: each annotator has their own version)."""
    project = find_project(client, name)
    if project is None:
        project = client.create_project(
            name=name,
            project_type="SequenceLabeling",
            description="ORG, INITIATIVE, OUTCOME and their relations (dangjian pipeline)",
            guideline=guideline,
            collaborative_annotation=collaborative,
            allow_overlapping=False,
            grapheme_mode=False,
            use_relation=True,
        )
    elif project.project_type != "SequenceLabeling" or not project.use_relation:
        raise DoccanoError(f"project {name!r} exists but is not a relation-enabled SequenceLabeling project")
    elif project.collaborative_annotation != collaborative:
        raise DoccanoError(
            f"project {name!r} is a team project (each annotator has their own version): push to it with --annotators"
            if collaborative
            else f"project {name!r} is collaborative (one shared version): a team needs a project of its own, choose another name"
        )
    have = {t.text for t in client.list_label_types(project.id, "span")}
    for label in ENTITY_LABELS:
        if label not in have:
            client.create_label_type(project.id, "span", label, color=SPAN_COLORS[label])
    have = {t.text for t in client.list_label_types(project.id, "relation")}
    for label in RELATION_TYPES:
        if label not in have:
            client.create_label_type(project.id, "relation", label, color=RELATION_COLORS[label])
    return project


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
