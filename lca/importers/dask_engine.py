"""``lca import … --engine dask``: the partitions of a billing export read on a Dask cluster.

The unit of work is the same function the default engine runs in-process
(``billing.partition_partials``: one partition streamed batch by batch into partial sums);
Dask only places one task per partition on its workers and returns the results in partition
order, so the merge — and the written sheets — are the same bytes as without Dask. The workers
must see the partitions at the same paths (a shared file system). ``dask[distributed]`` is an
optional extra (``pip install 'lca[dask]'``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lca.errors import InputFileError

#: Workers of the local cluster started when no scheduler address is given.
LOCAL_WORKERS = 2


def map_partitions(
    function: Callable, files: list[Path], columns, scheduler: str | None
) -> list[tuple]:
    """``function(file, columns)`` for each file on a Dask cluster (at ``scheduler``, else a
    local cluster of ``LOCAL_WORKERS`` processes), in the order of ``files``."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise InputFileError(
            "--engine dask needs dask.distributed: pip install 'lca[dask]'"
        ) from exc
    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        cluster = LocalCluster(
            n_workers=LOCAL_WORKERS, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        futures = client.map(function, files, columns=columns, pure=False)
        return client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
