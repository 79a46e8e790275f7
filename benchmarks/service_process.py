"""The service as a child process (`python -m pipeline serve`) on a free loopback port, for the
tests and the load benchmark: started, waited for until /health answers, stopped by its PID."""

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
from typing import Iterator

from pipeline.net import free_port


@dataclass
class ServiceProcess:
    url: str
    proc: subprocess.Popen
    log: Path

    def output(self) -> str:
        """What the service printed (stdout and stderr) so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def running_service(model: Path, *args: str, timeout: float = 120) -> Iterator[ServiceProcess]:
    """A service on 127.0.0.1 for the duration of the block; SIGTERM to its PID stops it after."""
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="dangjian-serve-")) / "service.log"
    cmd = [sys.executable, "-m", "pipeline", "serve", "-m", str(model), "--port", str(port), *args]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    service = ServiceProcess(f"http://127.0.0.1:{port}", proc, log)
    try:
        _wait_healthy(service, timeout)
        yield service
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_healthy(service: ServiceProcess, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.proc.poll() is not None:
            raise RuntimeError(f"the service exited with {service.proc.returncode}:\n{service.output()}")
        try:
            with urllib.request.urlopen(f"{service.url}/health", timeout=2) as resp:
                if resp.status == 200 and json.loads(resp.read()).get("status") == "ok":
                    return
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the service at {service.url} was not healthy after {timeout:.0f} s")
