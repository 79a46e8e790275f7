"""The HTTP application (Starlette): POST /tag, GET /health, and JSON errors for everything else.
Every error is {"error": message} with a 4xx status (5xx only for the service's own failures:
503 while stopping or full, 500 if the pipeline fails on a text). A caller that leaves before its
answer has its texts dropped and one line logged."""

from __future__ import annotations

import asyncio
import json
import logging
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Dict, List

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .batcher import Busy, MicroBatcher, Stopping
from .validation import Limits, RequestError, parse_tag_request

log = logging.getLogger("pipeline.service")


class UnicodeJSONResponse(JSONResponse):
    """JSON with Chinese text as characters, not \\u escapes (half the bytes, readable in logs)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def error(status: int, message: str, **headers: str) -> Response:
    return UnicodeJSONResponse({"error": message}, status_code=status, headers=headers or None)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused (413) as soon as it passes `limit` bytes, announced or not."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise RequestError(413, f"the body has {declared} bytes; the limit is {limit}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestError(413, f"the body has more than {limit} bytes, the limit")
        chunks.append(chunk)
    return b"".join(chunks)


class Gone(Exception):
    """The caller closed the connection before its answer."""


async def _disconnected(request: Request) -> None:
    """Returns when the client closes the connection (its body already read)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def tag_for(request: Request, batcher: MicroBatcher, texts: List[str]) -> List[Dict[str, Any]]:
    """The batcher's results, unless the caller leaves first: then its texts are dropped (Gone)."""
    work = asyncio.ensure_future(batcher.tag(texts))
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait({work, gone}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
        if not work.done():
            work.cancel()  # its texts are skipped, also inside the batch being tagged
    if not work.done() or work.cancelled():
        raise Gone(f"{len(texts)} text(s) dropped")
    return work.result()


def create_app(batcher: MicroBatcher, limits: Limits, info: Dict[str, Any]) -> Starlette:
    """The service around a started-on-startup batcher; `info` (model, labels) is shown by /health."""

    async def tag(request: Request) -> Response:
        client = f"{request.client.host}:{request.client.port}" if request.client else "a client"
        try:
            texts, single = parse_tag_request(await read_body(request, limits.max_body), limits)
            results = await tag_for(request, batcher, texts)
        except RequestError as err:
            return error(err.status, err.message)
        except Busy as err:
            return error(503, str(err), **{"Retry-After": "1"})
        except Stopping as err:
            return error(503, str(err), **{"Retry-After": "5", "Connection": "close"})
        except (ClientDisconnect, Gone) as err:
            batcher.stats["gone"] += 1
            log.info("%s left before its answer: %s", client, str(err) or "its request was not read to the end")
            return Response(status_code=499)  # nobody is there to read it
        except asyncio.CancelledError:
            if not batcher.stopping:
                raise
            return error(
                503, "the service is stopping and could not finish this request in time", **{"Retry-After": "5"}
            )
        except Exception as err:  # the pipeline failed on a text: this caller only, the service stays up
            log.error("tagging failed for %s: %s: %s", client, type(err).__name__, err)
            return error(500, f"the tagger failed on this request ({type(err).__name__}: {err})")
        return UnicodeJSONResponse(results[0] if single else results)

    async def health(request: Request) -> Response:
        stats = dict(batcher.stats)
        if batcher.error is not None:  # every call fails: say so, and not with "ok"
            return UnicodeJSONResponse({"status": "failing", "error": batcher.error, **info}, status_code=503)
        status = "stopping" if batcher.stopping else "ok"
        return UnicodeJSONResponse(
            {"status": status, **info, "limits": limits.to_dict(), "batching": stats},
            status_code=503 if batcher.stopping else 200,
        )

    async def http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        routes = "POST /tag, GET /health"
        message = {
            404: f"no such endpoint: {request.url.path} ({routes})",
            405: f"{request.method} is not allowed here ({routes})",
        }
        return error(status, message.get(status, getattr(exc, "detail", "error")))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await batcher.start()
        try:
            yield
        finally:
            await batcher.stop()

    routes = [Route("/tag", tag, methods=["POST"]), Route("/health", health, methods=["GET"])]
    return Starlette(routes=routes, exception_handlers={HTTPException: http_error}, lifespan=lifespan)
