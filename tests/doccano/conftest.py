"""A real Doccano 1.8.4 server for the tests of this package (one per test module)."""

from __future__ import annotations

import secrets

import pytest

from pipeline.doccano import lifecycle as server
from pipeline.doccano.settings import DoccanoSettings


@pytest.fixture(scope="module")
def doccano(tmp_path_factory):
    """A fresh server on a free loopback port with a throw-away admin; stopped afterwards."""
    root = tmp_path_factory.mktemp("doccano")
    mp = pytest.MonkeyPatch()
    creds = {"DOCCANO_USERNAME": "annotator-admin", "DOCCANO_PASSWORD": secrets.token_urlsafe(16)}
    for k, v in creds.items():
        mp.setenv(k, v)
    state_file = root / "server.json"
    state = server.start(home=root / "data", state_file=state_file)
    assert state.url.startswith("http://127.0.0.1:")
    mp.setenv("DOCCANO_URL", state.url)
    yield DoccanoSettings(state.url, creds["DOCCANO_USERNAME"], creds["DOCCANO_PASSWORD"])
    stopped = server.stop(state_file)
    mp.undo()
    assert sorted(stopped) == sorted(state.pids)
