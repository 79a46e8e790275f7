"""The micro-batcher in an event loop with a real (briefly trained) pipeline: concurrent callers
share batches and each gets its own results; a full queue refuses at once."""

from __future__ import annotations

import asyncio

import pytest

from pipeline import tag_many
from pipeline.service.batcher import Busy, MicroBatcher

pytestmark = pytest.mark.slow
TEXTS = ["市直机关工委共举办活动18场。", "省交通运输厅投入86.34万元。", "", "党员近6000人次参加。"]


def run(coro):
    return asyncio.new_event_loop().run_until_complete(coro)


@pytest.mark.parametrize("max_batch", [1, 3, 64])
def test_concurrent_callers_share_batches_and_get_their_own_results(tiny_nlp, max_batch):
    async def go():
        batcher = MicroBatcher(tiny_nlp, max_batch=max_batch, max_wait=0.05)
        await batcher.start()
        try:
            answers = await asyncio.gather(*(batcher.tag([t]) for t in TEXTS), batcher.tag(TEXTS))
        finally:
            await batcher.stop()
        return answers, batcher.stats

    answers, stats = run(go())
    want = [r.to_dict() for r in tag_many(TEXTS, nlp=tiny_nlp)]
    assert answers == [[w] for w in want] + [want]
    assert stats["requests"] == 5 and stats["texts"] == 8 and stats["largest_batch"] == min(max_batch, 8)


def test_a_full_queue_refuses_instead_of_growing(tiny_nlp):
    async def go():
        batcher = MicroBatcher(tiny_nlp, max_queue=3)
        await batcher.start()
        try:
            with pytest.raises(Busy, match="retry"):
                await batcher.tag(TEXTS)
            return await batcher.tag(TEXTS[:3])
        finally:
            await batcher.stop()

    assert len(run(go())) == 3
