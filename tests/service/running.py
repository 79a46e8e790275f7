"""A small stdlib HTTP client for the service tests (the service itself is started by
benchmarks/service_process.py)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any, Optional, Tuple, Union

from benchmarks.service_process import running_service

__all__ = ["call", "running_service"]


def call(
    url: str, body: Union[bytes, Any, None] = None, method: Optional[str] = None, timeout: float = 60
) -> Tuple[int, Any]:
    """(status, decoded JSON) of a request; `body` is sent as given (bytes) or JSON-encoded."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read().decode("utf-8"))
