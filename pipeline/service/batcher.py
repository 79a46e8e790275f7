"""Micro-batching for the service: texts from concurrent requests wait in one queue and are tagged
together, one batch at a time in one worker thread (a spaCy pipeline is not thread-safe, and one
thread keeps the event loop free to accept requests meanwhile). A batch takes whatever is queued
when the tagger is free, after waiting at most `max_wait` seconds for company."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Optional, Tuple

from spacy.language import Language

Item = Tuple[str, "asyncio.Future[Dict[str, Any]]"]


class Busy(RuntimeError):
    """The queue is full: the caller should retry later (HTTP 503)."""


class MicroBatcher:
    """Tags texts for many concurrent callers in shared batches; start() and stop() run inside the event loop."""

    def __init__(
        self, nlp: Language, max_batch: int = 64, max_wait: float = 0.002, batch_size: int = 32, max_queue: int = 10_000
    ) -> None:
        self.nlp = nlp
        self.max_batch = max_batch
        self.max_wait = max_wait
        self.batch_size = batch_size
        self.max_queue = max_queue
        # requests and texts received, batches tagged and the largest batch so far (shown by /health)
        self.stats: Dict[str, int] = dict.fromkeys(("requests", "texts", "batches", "largest_batch"), 0)
        self._queue: Optional[asyncio.Queue] = None
        self._task: Optional[asyncio.Task] = None
        self._executor: Optional[ThreadPoolExecutor] = None

    async def start(self) -> None:
        self._queue = asyncio.Queue()
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="dangjian-tagger")
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._executor is not None:
            self._executor.shutdown(wait=True)

    async def tag(self, texts: List[str]) -> List[Dict[str, Any]]:
        """TagResult.to_dict() of each text, in order, once the batches holding them are tagged."""
        assert self._queue is not None, "MicroBatcher.start() was not awaited"
        if self._queue.qsize() + len(texts) > self.max_queue:
            raise Busy(f"{self._queue.qsize()} texts are waiting to be tagged; retry in a moment")
        loop = asyncio.get_running_loop()
        futures = [loop.create_future() for _ in texts]
        for item in zip(texts, futures):
            self._queue.put_nowait(item)
        self.stats["requests"] += 1
        self.stats["texts"] += len(texts)
        return list(await asyncio.gather(*futures))

    async def _run(self) -> None:
        """Forever: take a batch, tag it in the worker thread, hand each caller its result."""
        loop = asyncio.get_running_loop()
        while True:
            batch = [item for item in await self._next_batch() if not item[1].done()]  # callers gone: skip
            if not batch:
                continue
            self.stats["batches"] += 1
            self.stats["largest_batch"] = max(self.stats["largest_batch"], len(batch))
            try:
                results = await loop.run_in_executor(self._executor, self._tag, [text for text, _ in batch])
            except Exception as err:  # handed to each caller of the batch, the service stays up
                results = [err] * len(batch)
            for (_, future), result in zip(batch, results):
                if not future.done():
                    (future.set_exception if isinstance(result, Exception) else future.set_result)(result)

    async def _next_batch(self) -> List[Item]:
        """The first waiting text, everything queued behind it, and what arrives within max_wait (up to max_batch)."""
        assert self._queue is not None
        batch = [await self._queue.get()]
        deadline = asyncio.get_running_loop().time() + self.max_wait
        while len(batch) < self.max_batch:
            if not self._queue.empty():
                batch.append(self._queue.get_nowait())
                continue
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                break
            try:
                batch.append(await asyncio.wait_for(self._queue.get(), left))
            except asyncio.TimeoutError:
                break
        return batch

    def _tag(self, texts: List[str]) -> List[Dict[str, Any]]:
        from ..api import tag_many

        return [result.to_dict() for result in tag_many(texts, nlp=self.nlp, batch_size=self.batch_size)]
