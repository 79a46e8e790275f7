"""Run a Doccano 1.8.4 server for annotation: its own virtual environment, bound to 127.0.0.1.

Doccano pins Django, pandas and celery, so it cannot share the project's environment; it is
installed into .doccano/venv. `doccano webserver` always binds 0.0.0.0, so gunicorn is started
directly on 127.0.0.1, next to the celery worker that imports and exports need. The admin user
comes from DOCCANO_USERNAME / DOCCANO_PASSWORD. The PIDs of the processes started are written to
a state file; `stop` signals those process groups and nothing else.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Dict, List, Optional

from ..io import read_json, write_json
from ..net import free_port
from .environment import ServerError, create_admin, ensure_env, init_home, server_dir, server_environment, venv_bin


@dataclass
class ServerState:
    url: str
    port: int
    home: str
    pids: List[int]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_json(path, asdict(self))

    @classmethod
    def load(cls, path: Path) -> "ServerState":
        return cls(**read_json(path))


def health(url: str, timeout: float = 5.0) -> Optional[Dict[str, str]]:
    """The health report (database, storage, migrations, celery), or None if unreachable."""
    try:
        with urllib.request.urlopen(f"{url}/v1/health/?format=json", timeout=timeout) as resp:
            return json.loads(resp.read().decode("utf-8"))
    except (urllib.error.URLError, OSError, ValueError):
        return None


def wait_healthy(url: str, procs: List[subprocess.Popen], logs: List[Path], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    report = None
    while time.monotonic() < deadline:
        for proc, log in zip(procs, logs):
            if proc.poll() is not None:
                raise ServerError(
                    f"a Doccano process exited with {proc.returncode}; log {log}:\n{log.read_text(errors='replace')[-3000:]}"
                )
        report = health(url)
        if report and all(v == "OK" for v in report.values()) and any("Celery" in k for k in report):
            return
        time.sleep(0.5)
    raise ServerError(f"Doccano at {url} was not healthy after {timeout:.0f} s (last report: {report})")


def start(
    port: Optional[int] = None,
    home: Optional[Path] = None,
    venv_dir: Optional[Path] = None,
    state_file: Optional[Path] = None,
    workers: int = 2,
    timeout: float = 120.0,
) -> ServerState:
    """Install if needed, initialise, and start the web server and the worker; wait until healthy."""
    root = server_dir()
    home = Path(home or root / "data").resolve()
    state_file = Path(state_file or root / "server.json")
    if state_file.exists():
        old = ServerState.load(state_file)
        if any(_alive(pid) for pid in old.pids):
            raise ServerError(
                f"a server started from here is already running at {old.url} (stop it with `python -m pipeline doccano stop`)"
            )
    venv_dir = ensure_env(venv_dir)
    env = server_environment(home, venv_dir)
    init_home(home, venv_dir, env)
    create_admin(venv_dir, env)
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    logs_dir = home / "logs"
    logs_dir.mkdir(exist_ok=True)
    web_log, task_log = logs_dir / "web.log", logs_dir / "worker.log"
    web = subprocess.Popen(
        [
            str(venv_bin(venv_dir, "gunicorn")),
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            env["DOCCANO_BACKEND"],
            "--workers",
            str(workers),
            "--timeout",
            "300",
            "config.wsgi",
        ],
        env=env,
        stdout=open(web_log, "ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker = subprocess.Popen(
        [str(venv_bin(venv_dir, "doccano")), "task", "--concurrency", "1"],
        env=env,
        stdout=open(task_log, "ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    state = ServerState(url=url, port=port, home=str(home), pids=[web.pid, worker.pid])
    state.save(state_file)
    try:
        wait_healthy(url, [web, worker], [web_log, task_log], timeout)
    except BaseException:
        stop(state_file)
        raise
    return state


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _ours(pid: int) -> bool:
    """Guard against PID reuse: the process must still be a Doccano gunicorn or worker."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return _alive(pid)
    return "gunicorn" in cmdline or "doccano" in cmdline


def stop(state_file: Optional[Path] = None, timeout: float = 15.0) -> List[int]:
    """Stop the processes recorded in the state file (their process groups); returns the PIDs stopped."""
    state_file = Path(state_file or server_dir() / "server.json")
    if not state_file.exists():
        return []
    state = ServerState.load(state_file)
    stopped = []
    for pid in state.pids:
        if _alive(pid) and _ours(pid):
            try:
                os.killpg(pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            stopped.append(pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(_alive(p) for p in stopped):
        for p in stopped:
            _reap(p)
        time.sleep(0.2)
    for pid in stopped:
        if _alive(pid):
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _reap(pid)
    state_file.unlink()
    return stopped


def _reap(pid: int) -> None:
    """Collect an exited child so it does not linger as a zombie (only if it is our child)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
