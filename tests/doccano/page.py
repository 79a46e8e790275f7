"""The REST calls Doccano 1.8.4's annotation page makes, for tests that act as an annotator.

Paths, query strings and payloads are those of the 1.8.4 frontend (frontend/repositories/*.ts,
pages/projects/_id/sequence-labeling/index.vue); like the page, the session logs in with a
cookie and sends Django's CSRF token in X-CSRFToken. Offsets are whatever the page would send:
UTF-16 code units (see `page_offsets`).
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

import requests


def page_offsets(text: str, surface: str) -> Tuple[int, int]:
    """Where the page puts a selection of `surface`: JavaScript string (UTF-16) offsets."""
    start = len(text[: text.index(surface)].encode("utf-16-le")) // 2
    return start, start + len(surface.encode("utf-16-le")) // 2


class Page:
    """One annotator in the browser: what her page lists, shows and sends."""

    def __init__(self, url: str, username: str, password: str):
        self.base = f"{url}/v1"
        self.http = requests.Session()
        self.call("post", "/auth/login/", json={"username": username, "password": password})

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        """A request as axios sends it (the CSRF cookie echoed in X-CSRFToken); raises on 4xx/5xx."""
        token = self.http.cookies.get("csrftoken")
        headers = {"X-CSRFToken": token} if token else {}
        response = self.http.request(method, self.base + path, headers=headers, **kwargs)
        response.raise_for_status()
        return response

    def status(self, method: str, path: str, **kwargs) -> int:
        """The HTTP status of a call (for what the page may not do)."""
        try:
            return self.call(method, path, **kwargs).status_code
        except requests.HTTPError as err:
            return err.response.status_code

    def projects(self) -> List[Dict[str, Any]]:
        """The project list page (its first page of 10 is enough for the tests)."""
        return self.call("get", "/projects?limit=10&offset=0&q=&ordering=").json()["results"]

    def project_id(self, name: str) -> int:
        return next(p["id"] for p in self.projects() if p["name"] == name)

    def project(self, project_id: int) -> Dict[str, Any]:
        return self.call("get", f"/projects/{project_id}").json()

    def examples(self, project_id: int, offset: int = 0, limit: int = 10) -> Dict[str, Any]:
        """The annotation page's fetchOne (limit 1) and the dataset list (limit 10)."""
        query = f"limit={limit}&offset={offset}&confirmed=&ordering=&q="
        return self.call("get", f"/projects/{project_id}/examples?{query}").json()

    def all_examples(self, project_id: int) -> List[Dict[str, Any]]:
        found, offset = [], 0
        while True:
            page = self.examples(project_id, offset, 10)
            found += page["results"]
            offset += 10
            if not page["next"]:
                return found

    def progress(self, project_id: int) -> Dict[str, int]:
        return self.call("get", f"/projects/{project_id}/metrics/progress").json()

    def label_ids(self, project_id: int, kind: str = "span") -> Dict[str, int]:
        return {t["text"]: t["id"] for t in self.call("get", f"/projects/{project_id}/{kind}-types").json()}

    def label_types(self, project_id: int, kind: str = "span") -> List[Dict[str, Any]]:
        return self.call("get", f"/projects/{project_id}/{kind}-types").json()

    def spans(self, project_id: int, example_id: int) -> List[Dict[str, Any]]:
        return self.call("get", f"/projects/{project_id}/examples/{example_id}/spans").json()

    def relations(self, project_id: int, example_id: int) -> List[Dict[str, Any]]:
        return self.call("get", f"/projects/{project_id}/examples/{example_id}/relations").json()

    def add_span(self, project_id: int, example_id: int, label: int, start: int, end: int) -> None:
        payload = {"id": 0, "label": label, "user": 0, "start_offset": start, "end_offset": end}
        self.call("post", f"/projects/{project_id}/examples/{example_id}/spans", json=payload)

    def delete_span(self, project_id: int, example_id: int, span_id: int) -> None:
        """Right-click on a span (contextmenu:entity)."""
        self.call("delete", f"/projects/{project_id}/examples/{example_id}/spans/{span_id}")

    def add_relation(self, project_id: int, example_id: int, from_id: int, to_id: int, type_id: int) -> None:
        payload = {"id": 0, "from_id": from_id, "to_id": to_id, "type": type_id}
        self.call("post", f"/projects/{project_id}/examples/{example_id}/relations", json=payload)

    def confirm(self, project_id: int, example_id: int) -> None:
        """The check button: a toggle, pressed only on an example not yet confirmed."""
        self.call("post", f"/projects/{project_id}/examples/{example_id}/states", json={})

    def redraw(self, project_id: int, example_id: int, text: str, old: str, new: str) -> None:
        """Change a span's boundaries the only way the page can: delete it, select the new text."""
        start, end = page_offsets(text, old)
        span = next(
            s for s in self.spans(project_id, example_id) if (s["start_offset"], s["end_offset"]) == (start, end)
        )
        self.delete_span(project_id, example_id, span["id"])
        self.add_span(project_id, example_id, span["label"], *page_offsets(text, new))
