"""Micro-batching for the service: texts from concurrent requests wait in one queue and are tagged
together, one batch at a time in one worker thread (a spaCy pipeline is not thread-safe, and one
thread keeps the event loop free to accept requests meanwhile). A batch takes whatever is queued
when the tagger is free, after waiting at most `max_wait` seconds for company.

A text whose caller has gone is skipped, even inside the batch being tagged; a batch that fails is
tagged again text by text, so one caller's bad text fails only that caller; once stopping (SIGTERM)
the tagger finishes the batch in hand if it can within a given time, and everything else is
refused with Stopping (503)."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from spacy.language import Language

Item = Tuple[str, "asyncio.Future[Dict[str, Any]]"]
Outcome = Union[Dict[str, Any], Exception]
PROBE = "市委开展活动。"  # tagged after a failure: does the pipeline still work at all?


class Busy(RuntimeError):
    """The queue is full: the caller should retry later (HTTP 503)."""


class Stopping(RuntimeError):
    """The service is shutting down and will not tag this text (HTTP 503)."""


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
        # requests and texts received, batches, the largest batch, texts tagged, texts that failed,
        # requests whose caller left before the answer (counted by the app); shown by /health
        names = ("requests", "texts", "batches", "largest_batch", "tagged", "failed", "gone")
        self.stats: Dict[str, int] = dict.fromkeys(names, 0)
        self.error: Optional[str] = None  # set while the pipeline fails even on a plain text
        self._stopping = threading.Event()
        self._deadline = float("inf")  # once stopping: when the batch in hand is given up
        self._queue: Optional[asyncio.Queue] = None
        self._task: Optional[asyncio.Task] = None
        self._executor: Optional[ThreadPoolExecutor] = None

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    async def start(self) -> None:
        self._queue = asyncio.Queue()
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="dangjian-tagger")
        self._task = asyncio.create_task(self._run())

    def drain(self, finish_within: float = 0.0) -> None:
        """Stop taking work (call in the event loop): what waits is refused with Stopping at once;
        the batch in hand is tagged on for `finish_within` seconds, then the rest of it is refused."""
        self._deadline = time.monotonic() + finish_within
        self._stopping.set()
        while self._queue is not None and not self._queue.empty():
            _, future = self._queue.get_nowait()
            if not future.done():
                future.set_exception(Stopping("the service is stopping; retry later or elsewhere"))

    async def stop(self) -> None:
        self.drain()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._executor is not None:
            self._executor.shutdown(wait=True)

    async def tag(self, texts: List[str]) -> List[Dict[str, Any]]:
        """TagResult.to_dict() of each text, in order, once the batches holding them are tagged."""
        assert self._queue is not None, "MicroBatcher.start() was not awaited"
        if self.stopping:
            raise Stopping("the service is stopping; retry later or elsewhere")
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
            outcomes = await loop.run_in_executor(self._executor, self._tag_batch, batch)
            for i, (_, future) in enumerate(batch):
                outcome = outcomes.get(i, Stopping("the service is stopping; retry later or elsewhere"))
                if future.done():
                    continue
                if isinstance(outcome, Exception):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)

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

    def _tag_batch(self, batch: List[Item]) -> Dict[int, Outcome]:
        """Outcome of each text of the batch by position (worker thread); texts of gone callers,
        and all texts once stopping, are left out. A failed batch is tagged again text by text."""
        outcomes: Dict[int, Outcome] = {}
        try:
            self._tag_into(batch, range(len(batch)), outcomes)
            self.error = None
            return outcomes
        except Exception:
            pass
        for i in range(len(batch)):
            if i not in outcomes:
                try:
                    self._tag_into(batch, [i], outcomes)
                except Exception as err:  # this text's caller gets it; the others are unaffected
                    outcomes[i] = err
                    self.stats["failed"] += 1
        if any(isinstance(o, Exception) for o in outcomes.values()):
            self._probe()
        return outcomes

    def _tag_into(self, batch: List[Item], indices: Iterable[int], outcomes: Dict[int, Outcome]) -> None:
        """Tag the texts at `indices` (lazily, so that gone callers and a stop are noticed between
        paragraphs), writing each result into `outcomes` as it comes."""
        from ..api import tag_many

        taken: List[int] = []

        def texts() -> Iterator[str]:
            for i in indices:
                if self._stopping.is_set() and time.monotonic() > self._deadline:
                    return
                if not batch[i][1].done():
                    taken.append(i)
                    yield batch[i][0]

        for k, result in enumerate(tag_many(texts(), nlp=self.nlp, batch_size=self.batch_size)):
            outcomes[taken[k]] = result.to_dict()
            self.stats["tagged"] += 1

    def _probe(self) -> None:
        """After a failure: record whether the pipeline still tags a plain text (shown by /health)."""
        from ..api import tag

        try:
            tag(PROBE, nlp=self.nlp)
            self.error = None
        except Exception as err:
            self.error = f"{type(err).__name__}: {err}"
