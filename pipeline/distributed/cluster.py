"""Reaching a Dask cluster: an existing one by its scheduler's address, or a LocalCluster of
worker processes bound to 127.0.0.1. Failures to reach it become a ClusterError with what to do."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator, Optional


class ClusterError(RuntimeError):
    """The Dask cluster could not be reached or could not finish a shard; finished shards are kept."""


@contextmanager
def connect(workers: Optional[int] = None, scheduler: Optional[str] = None, timeout: float = 60.0) -> Iterator:
    """A distributed.Client: of the scheduler at `scheduler`, else of a new LocalCluster with
    `workers` single-threaded worker processes on 127.0.0.1 (closed on exit)."""
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, ValueError, TypeError) as err:
            raise ClusterError(
                f"cannot reach a Dask scheduler at {scheduler} ({err}); start one with `dask scheduler` "
                "and workers with `dask worker ADDRESS --nthreads 1`"
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
            f"the Dask scheduler at {where} has no workers after {timeout:.0f} s; "
            f"start some with `dask worker {where} --nthreads 1`"
        ) from None


def thread_count(client) -> int:
    """How many worker threads the cluster has now (at least 1)."""
    return max(1, sum(client.nthreads().values()))
