"""A real service process for the tests: `python -m pipeline serve` on a free loopback port,
stopped (by its PID) afterwards, and a small stdlib HTTP client."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional, Tuple, Union

from pipeline.doccano.server import free_port


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


@dataclass
class Service:
    url: str
    proc: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def running_service(model: Path, *args: str, timeout: float = 120) -> Iterator[Service]:
    """A service started for the duration of the block; SIGTERM (to its PID) stops it after."""
    port = free_port()
    log_path = Path(tempfile.mkdtemp(prefix="dangjian-serve-")) / "service.log"
    log = open(log_path, "w+b")
    cmd = [sys.executable, "-m", "pipeline", "serve", "-m", str(model), "--port", str(port), *args]
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log, timeout)
        yield Service(url, proc, log_path)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _wait_healthy(url: str, proc: subprocess.Popen, log, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the service exited with {proc.returncode}:\n{log.read().decode(errors='replace')}")
        try:
            if call(f"{url}/health", timeout=2)[0] == 200:
                return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the service at {url} was not healthy after {timeout:.0f} s")
