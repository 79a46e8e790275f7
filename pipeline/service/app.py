"""The HTTP application (Starlette): POST /tag, GET /health, and JSON errors for everything else.
Every error is {"error": message} with a 4xx status (5xx only for the service's own failures)."""

from __future__ import annotations

import json
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Dict

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .batcher import Busy, MicroBatcher
from .validation import Limits, RequestError, parse_tag_request


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


def create_app(batcher: MicroBatcher, limits: Limits, info: Dict[str, Any]) -> Starlette:
    """The service around a started-on-startup batcher; `info` (model, labels) is shown by /health."""

    async def tag(request: Request) -> Response:
        try:
            texts, single = parse_tag_request(await read_body(request, limits.max_body), limits)
            results = await batcher.tag(texts)
        except RequestError as err:
            return error(err.status, err.message)
        except Busy as err:
            return error(503, str(err), **{"Retry-After": "1"})
        return UnicodeJSONResponse(results[0] if single else results)

    async def health(request: Request) -> Response:
        stats = dict(batcher.stats)
        return UnicodeJSONResponse({"status": "ok", **info, "limits": limits.to_dict(), "batching": stats})

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
