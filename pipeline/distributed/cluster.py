"""Reaching a Dask cluster: an existing one by its scheduler's address, or a LocalCluster of
worker processes bound to 127.0.0.1. Failures to reach it become a ClusterError with what to do."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator, Optional

DEFAULT_TIMEOUT = 60.0  # seconds to wait for a scheduler's answer and for its first worker
START_HINT = "start one with `dask scheduler` and workers with `dask worker ADDRESS --nthreads 1`"


class ClusterError(RuntimeError):
    """The Dask cluster could not be reached or could not finish a shard; finished shards are kept."""


def check_reachable(scheduler: str, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Fail at once when nothing listens at a tcp:// or tls:// scheduler address (Dask itself
    retries a refused connection until its timeout), and within `timeout` when a tcp:// listener
    does not greet as a Dask scheduler does (Dask would wait for that greeting for ever)."""
    import socket

    from distributed.comm import parse_address, parse_host_port

    try:
        scheme, location = parse_address(scheduler)
        if scheme not in ("tcp", "tls"):
            return
        host, port = parse_host_port(location)
    except (ValueError, TypeError) as err:
        raise ClusterError(f"{scheduler} is not a scheduler address ({err}): write tcp://HOST:PORT") from None
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            greeting = sock.recv(1) if scheme == "tcp" else b"-"  # a TLS server waits for our hello
    except socket.gaierror as err:
        raise ClusterError(
            f"cannot reach a Dask scheduler at {scheduler}: unknown host {host} ({err.strerror})"
        ) from None
    except socket.timeout:
        raise ClusterError(
            f"no answer from {scheduler} within {timeout:g} s: not a Dask scheduler, or a slow one (raise --timeout)"
        ) from None
    except OSError as err:
        raise ClusterError(
            f"cannot reach a Dask scheduler at {scheduler}: {err.strerror or err}; {START_HINT}"
        ) from None
    if not greeting:
        raise ClusterError(f"{scheduler} closed the connection at once: it is not a Dask scheduler")


@contextmanager
def connect(
    workers: Optional[int] = None, scheduler: Optional[str] = None, timeout: float = DEFAULT_TIMEOUT
) -> Iterator:
    """A distributed.Client: of the scheduler at `scheduler` (waiting at most `timeout` seconds for
    it and for a worker), else of a new LocalCluster with `workers` single-threaded worker
    processes on 127.0.0.1 (closed on exit)."""
    from distributed import Client, LocalCluster

    if scheduler is not None:
        check_reachable(scheduler, timeout)
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, ValueError, TypeError) as err:
            raise ClusterError(
                f"cannot reach a Dask scheduler at {scheduler} ({err}); for a slow cluster raise --timeout, "
                f"else {START_HINT}"
            ) from None
        with client:
            _wait_for_workers(client, timeout, scheduler)
            yield client
        return
    cluster = LocalCluster(
        n_workers=workers or 1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # its HTTP endpoints: loopback, any free port
        silence_logs=logging.ERROR,
    )
    with cluster, Client(cluster) as client:
        yield client


def _wait_for_workers(client, timeout: float, where: str) -> None:
    """Wait until the cluster has a worker: a scheduler without any would keep every shard waiting."""
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (TimeoutError, OSError):
        raise ClusterError(
            f"the Dask scheduler at {where} has no workers after {timeout:g} s; "
            f"start some with `dask worker {where} --nthreads 1` (or raise --timeout)"
        ) from None


def thread_count(client) -> int:
    """How many worker threads the cluster has now (at least 1)."""
    return max(1, sum(client.nthreads().values()))
