"""Doccano 1.8.4 auto-labelling ("Custom REST Request") against `python -m pipeline serve`: the
config shipped in resources/doccano_autolabel.json (URL, body, label mapping) and .jinja2 (the
template that turns the service's answer into Doccano spans), installed into a project through
Doccano's REST API (/v1/projects/{id}/auto-labeling/configs). Doccano's own server calls the
service, so the URL must be reachable from the Doccano machine. Doccano auto-labels spans only:
relations are not part of auto-labelling in 1.8.4. The template turns the service's code-point
offsets into the page's UTF-16 units (offsets.py). For a team, every annotator's queue gets the
config.

What the page does (read in its 1.8.4 source and checked against a server): the Auto Labeling
switch is off on every page load; while it is on, every unconfirmed example the annotator opens
is sent to the service and its spans are added, except where they would overlap a span already
there, so a suggestion she deleted comes back when she opens the example again before confirming
it. When the service does not answer, Doccano logs a 500 and the page shows nothing: check with
`doccano autolabel -p NAME --check`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, List, Optional
from urllib.parse import urlparse

from ..resources import resource_path
from .client import DoccanoError, ensure_project, find_project, project_kind
from .queues import find_team

CONFIG_FILE = "doccano_autolabel.json"
SAMPLE = "市直机关工委以“三航行动”为牵动,共举办“爱心扶贫大集市”18场。"  # yields spans with any trained model (18场)


@dataclass
class AutolabelSummary:
    project: str
    project_id: int
    config_id: int
    replaced: bool  # an earlier config for the same URL was updated, not duplicated
    sample_spans: Optional[int]  # spans Doccano got for the sample text through the service (None: not checked)
    other_configs: int  # configs of the project that call something else (Doccano runs them all)


def autolabel_config(service_url: str) -> Dict[str, Any]:
    """The auto-labelling config for a service at `service_url` (e.g. http://127.0.0.1:8080)."""
    parsed = urlparse(service_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise DoccanoError(f"the service URL {service_url!r} must look like http://HOST:PORT")
    config = json.loads(resource_path(CONFIG_FILE).read_text(encoding="utf-8"))
    config["model_attrs"]["url"] = config["model_attrs"]["url"].replace("{service}", service_url.rstrip("/"))
    config["template"] = resource_path(config.pop("template_file")).read_text(encoding="utf-8").strip()
    return config


def target_projects(client, name: str, create: bool = True) -> List[Any]:
    """The projects whose annotators get auto-labelling: every queue of a team, else the project
    (created with our labels if missing and `create`)."""
    project = find_project(client, name)
    if project is not None and project_kind(project) == "team":
        queues = find_team(client, name).queues
        return [queues[user] for user in sorted(queues)]
    if project is None and not create:
        raise DoccanoError(f"no project named {name!r} on the server")
    return [ensure_project(client, name) if create else project]


def install_autolabel(client, project_name: str, service_url: str, check: bool = True) -> List[AutolabelSummary]:
    """Install (or update) the config in the project, or in every queue of a team, creating a
    missing project with our labels; with `check`, first have Doccano call the service on a sample."""
    config = autolabel_config(service_url)
    api = client._base_repository  # doccano-client 1.2.8 has no auto-labelling calls; its REST session does
    out = []
    for project in target_projects(client, project_name):
        sample = _check(api, project.id, config) if check else None
        base = f"projects/{project.id}/auto-labeling/configs"
        existing = _call(api.get, base).json()
        same = [c for c in existing if c.get("model_attrs", {}).get("url") == config["model_attrs"]["url"]]
        if same:
            saved = _call(api.put, f"{base}/{same[0]['id']}", json={**config, "id": same[0]["id"]}).json()
            for extra in same[1:]:
                _call(api.delete, f"{base}/{extra['id']}")
        else:
            saved = _call(api.post, base, json=config).json()
        out.append(
            AutolabelSummary(project.name, project.id, saved["id"], bool(same), sample, len(existing) - len(same))
        )
    return out


@dataclass
class AutolabelCheck:
    project: str
    url: str
    spans: Optional[int]  # spans Doccano got for the sample now (None: it could not call the service)
    error: str = ""


def check_autolabel(client, project_name: str) -> List[AutolabelCheck]:
    """Whether Doccano reaches each installed auto-labelling service now: Doccano calls it with the
    sample text, as it would for an annotator's example."""
    api = client._base_repository
    out = []
    for project in target_projects(client, project_name, create=False):
        for config in _call(api.get, f"projects/{project.id}/auto-labeling/configs").json():
            url = config.get("model_attrs", {}).get("url", "?")
            try:
                out.append(AutolabelCheck(project.name, url, _check(api, project.id, config)))
            except DoccanoError as err:
                out.append(AutolabelCheck(project.name, url, None, str(err)))
    return out


def autolabel_example(client, project_id: int, example_id: int) -> None:
    """What the annotation page does when an annotator opens an example with auto-labelling on."""
    _call(client._base_repository.post, f"projects/{project_id}/auto-labeling", params={"example": example_id})


def _check(api, project_id: int, config: Dict[str, Any]) -> int:
    """Doccano calls the service with the sample text and maps the answer with the template; the
    number of spans it got. Fails with what to do when Doccano cannot reach the service."""
    url = config["model_attrs"]["url"]
    attrs = {"model_name": config["model_name"], "model_attrs": config["model_attrs"], "text": SAMPLE}
    try:
        answer = _call(api.post, f"projects/{project_id}/auto-labeling/request-testing", json=attrs).json()
    except DoccanoError as err:
        raise DoccanoError(
            f"Doccano could not call the service at {url} ({err}); is `python -m pipeline serve` running, "
            "and is the URL reachable from the Doccano server's machine?"
        ) from None
    mapping = {"response": answer, "template": config["template"], "task_type": config["task_type"]}
    spans: List[Dict] = _call(
        api.post, f"projects/{project_id}/auto-labeling/label-extractor-testing", json=mapping
    ).json()
    return len(spans)


def _call(method, resource: str, **kwargs):
    """A REST call whose failure becomes a DoccanoError quoting Doccano's own message."""
    import requests
    from doccano_client.exceptions import DoccanoAPIError

    try:
        return method(resource, **kwargs)
    except DoccanoAPIError as err:
        status = getattr(err.response, "status_code", "?")
        detail = getattr(err.response, "text", "")[:300]
        raise DoccanoError(f"Doccano refused {resource} (HTTP {status}): {detail}") from None
    except requests.exceptions.ConnectionError:
        raise DoccanoError("cannot reach the Doccano server (is it running?)") from None
