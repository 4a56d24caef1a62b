"""Memory of batch workers: how much is their own, how much the shared model (issue 18).

Starts the batch's own worker pool (fork server, ``auditor._warm``, ``batch._init_worker``)
with N workers, has them check the given reports, then asks every worker for its memory
(psutil): unique set size (memory no other process shares), proportional set size, RSS,
and, for the memory-mapped model files, how much is resident and whether any page was
copied (private dirty). Used by ``benchmarks/bench.py`` and by ``tests/test_memory.py``.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor, wait
from dataclasses import dataclass
from collections.abc import Sequence


@dataclass
class WorkerMemory:
    """One worker's memory after its reports, in bytes."""

    pid: int
    uss: int
    pss: int
    rss: int
    model_rss: int  # resident pages of the memory-mapped model files
    model_private_dirty: int  # model pages this worker copied (0: all shared with the page cache)


def _measure(hold: float) -> WorkerMemory:
    """In a worker: its memory (after ``hold`` seconds, so every worker gets one of these)."""
    import psutil

    from auditor import segmodel

    time.sleep(hold)
    proc = psutil.Process()
    full = proc.memory_full_info()
    root = str(segmodel.cache_root())
    model = [m for m in proc.memory_maps(grouped=True) if m.path.startswith(root)]
    return WorkerMemory(os.getpid(), full.uss, full.pss, full.rss, sum(m.rss for m in model),
                        sum(m.private_dirty for m in model))


def worker_memory(paths: Sequence[str], folder: str, checklists: Sequence, workers: int) -> list[WorkerMemory]:
    """Check ``paths`` with ``workers`` batch workers (outputs in ``folder``), then measure each."""
    from auditor import batch, limits

    tasks = [batch.Task(i, p, f"r{i:04d}", "", os.path.getsize(p)) for i, p in enumerate(paths)]
    init = (checklists, None, "html", folder, limits.current(), os.getpid())
    with ProcessPoolExecutor(workers, mp_context=batch._mp_context(), initializer=batch._init_worker,
                             initargs=init) as pool:
        done, _ = wait([pool.submit(batch.run_task, t) for t in tasks])
        assert all(f.result().record.ok for f in done), [f.result().record.error for f in done]
        got = [f.result() for f in [pool.submit(_measure, 1.0) for _ in range(workers)]]
    by_pid = {m.pid: m for m in got}
    return sorted(by_pid.values(), key=lambda m: m.pid)
