"""Where the partitions run: in this process (``"pandas"``) or on a dask.distributed cluster."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from kursk_utils.contracts import check_choice

ENGINES = ("pandas", "dask")


class EngineError(ValueError):
    """A bad engine setting (unknown engine, Dask not installed, bad partition size)."""


def check_engine(engine: str) -> str:
    """Return ``engine`` if it is one of :data:`ENGINES`; else raise :class:`EngineError`."""
    check_choice(engine, ENGINES, "engine", EngineError)
    if engine == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise EngineError(
                "engine 'dask' needs the dask extra: pip install -e '.[dask]'"
            ) from None
    return engine



def _local_workers(n_workers: int | None) -> int:
    return n_workers or os.cpu_count() or 1


def worker_count(scheduler_address: str | None, n_workers: int | None) -> int:
    """The workers partitions will run on: those of the scheduler at ``scheduler_address``, else
    the ``n_workers`` of the ``LocalCluster`` :func:`cluster_address` starts (default one per core)."""
    if scheduler_address is None:
        return _local_workers(n_workers)
    from distributed import Client

    with Client(scheduler_address) as client:
        return max(len(client.scheduler_info()["workers"]), 1)


@contextmanager
def cluster_address(scheduler_address: str | None = None, n_workers: int | None = None) -> Iterator[str]:
    """The address of the Dask scheduler to use: ``scheduler_address``, or a new ``LocalCluster``'s.

    The local cluster has ``n_workers`` single-threaded worker processes (default: one per core),
    since the analysis is pure Python and threads would share one interpreter lock; it is shut
    down when the block ends, so several steps can share it.
    """
    check_engine("dask")
    if scheduler_address is not None:
        yield scheduler_address
        return
    import dask
    from distributed import LocalCluster

    # The workers' statistical profiler samples the analysis thread's stack every 10 ms; off, the
    # analysis runs about 5% faster (measured on 10,000 articles). The event-loop tick (a check
    # for blocked loops) and the system monitor feed the dashboard, which is off; memory is still
    # checked every second. Less polling leaves the cores to the analysis (the driver's CPU time
    # on a stage halves).
    quiet = {
        "distributed.worker.profile.enabled": False,
        "distributed.admin.tick.interval": "1s",
        "distributed.admin.system-monitor.interval": "2s",
        "distributed.worker.memory.monitor-interval": "1s",
    }
    with dask.config.set(quiet), LocalCluster(
        n_workers=_local_workers(n_workers), threads_per_worker=1, processes=True,
        dashboard_address=None,
    ) as cluster:
        yield cluster.scheduler_address


def start_on_workers(function: Callable[[], Any], scheduler_address: str) -> None:
    """Start ``function`` once on every worker of the cluster and return without waiting.

    Each worker runs it as a task, before the tasks submitted after it; its result is dropped (an
    error is logged by the worker and fails nothing). For work a worker would do anyway, moved to
    where it would otherwise wait for this process.
    """
    from distributed import Client, fire_and_forget

    with Client(scheduler_address) as client:
        for worker in client.scheduler_info()["workers"]:
            fire_and_forget(client.submit(function, workers=[worker], pure=False))


def map_items(
    function: Callable[[Any], Any], items: list[Any], engine: str,
    scheduler_address: str | None, n_workers: int | None,
    meanwhile: Callable[[], Any] | None = None,
) -> list[Any]:
    """Apply ``function`` to each item in process or on the cluster; results in item order.

    On the cluster each result is fetched as its task ends, while the others run, rather than all
    of them after the last (fetching the summaries of 10,000 ingested files, with their shingles, took
    0.9 s with both workers idle). ``meanwhile``, driver work that needs none of the results, runs in
    this process once the tasks are submitted (in process: before them).
    """
    if engine == "pandas" or not items:
        if meanwhile is not None:
            meanwhile()
        return [function(item) for item in items]
    from distributed import Client, as_completed

    with cluster_address(scheduler_address, n_workers) as address, Client(address) as client:
        futures = client.map(function, items, pure=False)
        if meanwhile is not None:
            meanwhile()
        position = {future.key: i for i, future in enumerate(futures)}
        results: list[Any] = [None] * len(items)
        for future, result in as_completed(futures, with_results=True):
            results[position[future.key]] = result
        return results

