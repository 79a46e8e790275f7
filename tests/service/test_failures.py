"""What the service does when tagging fails, a caller leaves or it is told to stop, on small
hand-made pipelines (spaCy's blank Chinese pipeline, one token per character): one caller's
failure is that caller's only, a broken pipeline shows in /health, a gone caller's texts are
skipped, and stopping refuses what waits."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, Tuple

import pytest
import spacy
from spacy.language import Language

from pipeline.service.app import create_app
from pipeline.service.batcher import MicroBatcher, Stopping
from pipeline.service.validation import Limits

BAD = "坏"


@Language.component("test_fails_on_bad")
def fails_on_bad(doc):
    """Fails on any text holding BAD: a pipeline with a bug that one input triggers."""
    if BAD in doc.text:
        raise RuntimeError("this text breaks the component")
    return doc


@Language.component("test_always_fails")
def always_fails(doc):
    """Fails on every text: a pipeline broken for good (a component's files gone bad, say)."""
    raise RuntimeError("this component is broken")


def blank(component: str = "test_fails_on_bad") -> Language:
    nlp = spacy.blank("zh")
    if component:
        nlp.add_pipe(component)
    return nlp


def run(coro):
    return asyncio.new_event_loop().run_until_complete(coro)


async def get(app, path: str) -> Tuple[int, Dict[str, Any]]:
    """GET `path` from an ASGI app, in process: (status, decoded JSON)."""
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": b""}
    scope.update(headers=[], scheme="http", server=("127.0.0.1", 80), client=("127.0.0.1", 1), http_version="1.1")
    await app(scope, receive, send)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], json.loads(body)


def test_a_failing_text_fails_its_caller_only():
    async def go():
        batcher = MicroBatcher(blank(), max_wait=0.05)
        await batcher.start()
        try:
            return await asyncio.gather(
                batcher.tag(["好的"]), batcher.tag(["很" + BAD]), batcher.tag(["还好", "也好"]), return_exceptions=True
            ), batcher
        finally:
            await batcher.stop()

    (good, bad, more), batcher = run(go())
    assert [r["text"] for r in good] == ["好的"] and [r["text"] for r in more] == ["还好", "也好"]
    assert isinstance(bad, RuntimeError) and "breaks the component" in str(bad)
    assert batcher.stats["batches"] == 1 and batcher.stats["failed"] == 1
    assert batcher.error is None  # the pipeline still tags a plain text: /health says ok


def test_a_broken_pipeline_is_reported_by_health():
    async def go():
        batcher = MicroBatcher(blank("test_always_fails"))
        app = create_app(batcher, Limits(), {"model": "blank"})
        await batcher.start()
        try:
            healthy = await get(app, "/health")
            with pytest.raises(RuntimeError, match="broken"):
                await batcher.tag(["省委开展活动。"])
            return healthy, await get(app, "/health")
        finally:
            await batcher.stop()

    (before, was), (after, now) = run(go())
    assert before == 200 and was["status"] == "ok"
    assert after == 503 and now["status"] == "failing" and "this component is broken" in now["error"]


def test_the_texts_of_a_caller_that_left_are_skipped():
    async def go():
        batcher = MicroBatcher(blank(""), max_wait=0.05)
        await batcher.start()
        try:
            gone = asyncio.ensure_future(batcher.tag(["走了"] * 5))
            await asyncio.sleep(0)  # queued
            gone.cancel()
            return await batcher.tag(["还在"]), batcher.stats
        finally:
            await batcher.stop()

    results, stats = run(go())
    assert [r["text"] for r in results] == ["还在"]
    assert stats["texts"] == 6 and stats["largest_batch"] == 1  # the five were never tagged


def test_stopping_refuses_what_waits_and_what_comes():
    async def go():
        batcher = MicroBatcher(blank(""), max_wait=0.05)
        app = create_app(batcher, Limits(), {"model": "blank"})
        await batcher.start()
        try:
            waiting = asyncio.ensure_future(batcher.tag(["等着"]))
            await asyncio.sleep(0)
            batcher.drain()
            outcome = await asyncio.gather(waiting, return_exceptions=True)
            with pytest.raises(Stopping):
                await batcher.tag(["新来的"])
            return outcome, await get(app, "/health")
        finally:
            await batcher.stop()

    (waited,), (status, health) = run(go())
    assert isinstance(waited, Stopping) and status == 503 and health["status"] == "stopping"
