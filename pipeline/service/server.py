"""Running the service: bind the socket first (so a port in use is a clear error, and port 0 picks
a free one that can be announced), then hand it to uvicorn, which stops cleanly on Ctrl-C / SIGTERM."""

from __future__ import annotations

import ipaddress
import logging
import signal
import socket
from typing import Callable, Optional


class ServiceError(RuntimeError):
    """The service cannot start (the address is taken or invalid)."""


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: a free one)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as err:
        raise ServiceError(f"cannot resolve the host {host!r}: {err.strerror}") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as err:
        sock.close()
        raise ServiceError(f"cannot listen on {host}:{port}: {err.strerror}; choose another --port") from None
    return sock


def is_loopback(host: str) -> bool:
    """Whether `host` is only reachable from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


class _Stopped(Exception):
    """SIGTERM arrived: uvicorn has shut down gracefully and passes the signal on to us."""


def _stopped(signum: int, frame: object) -> None:
    raise _Stopped()


GRACE_SECONDS = 10  # after SIGTERM: how long the requests in progress may take to be answered


def _logging() -> None:
    """The service's own log lines (a caller that left, a failed text): one line each, on stderr."""
    log = logging.getLogger("pipeline.service")
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)


def run(
    app,
    sock: socket.socket,
    on_ready: Optional[Callable[[str], None]] = None,
    on_stop: Optional[Callable[[], None]] = None,
) -> None:
    """Serve `app` on the bound socket until Ctrl-C or SIGTERM; both end in a graceful shutdown
    (uvicorn's, after `on_stop`, which makes the app refuse what it cannot finish) and a normal
    return, not a traceback or a death by signal."""
    import uvicorn

    class Server(uvicorn.Server):
        async def shutdown(self, sockets=None) -> None:
            if on_stop is not None:
                on_stop()
            await super().shutdown(sockets)

    _logging()
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=GRACE_SECONDS
    )
    server = Server(config)
    if on_ready is not None:
        on_ready(url_of(sock))
    previous = signal.signal(signal.SIGTERM, _stopped)  # uvicorn re-raises the signal after its shutdown
    try:
        server.run(sockets=[sock])
    except (_Stopped, KeyboardInterrupt):
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
