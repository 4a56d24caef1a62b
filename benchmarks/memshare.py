"""Memory of batch workers: how much is their own, how much the shared model (issue 18).

``python benchmarks/memshare.py N REPORT...`` starts the batch's own worker pool (fork server,
``auditor._warm``, ``batch._init_worker``) with N workers in a fresh process that never
touches the model itself, has them check the reports, then asks every worker for its memory
(psutil): unique set size (pages no other process maps), proportional set size, RSS, and,
for the memory-mapped model files, how much is resident and whether any page was copied
(private dirty). It prints one JSON object per worker. A worker's unique set size counts the
model's pages only while no other process maps them, so ``batch_memory`` counts each worker's
own memory (its unique set size without the model) plus the model once. ``measure()`` runs it and reads them:
``benchmarks/bench.py`` and ``tests/test_memory.py`` use it. The fresh process matters: a
process that has the model mapped itself (a test session, the benchmark) would make the
workers' model pages "shared" and hide them from their unique set sizes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class WorkerMemory:
    """One worker's memory after its reports, in bytes."""

    pid: int
    uss: int
    pss: int
    rss: int
    model_rss: int  # resident pages of the memory-mapped model files
    model_private: int  # of those, pages no other process maps right now (counted in uss)
    model_private_dirty: int  # model pages this worker copied (0: all shared with the page cache)

    @property
    def own(self) -> int:
        """Unique memory besides the model's pages (whether another process maps them or not)."""
        return self.uss - self.model_private


def batch_memory(workers: Sequence[WorkerMemory]) -> int:
    """What a pool of these workers costs: each one's own memory, plus the model once (its pages
    are one file's, in the page cache, mapped by all of them)."""
    return sum(w.own for w in workers) + max(w.model_rss for w in workers)


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
                        sum(m.private_clean + m.private_dirty for m in model), sum(m.private_dirty for m in model))


def _run(paths: Sequence[str], workers: int) -> list[WorkerMemory]:
    from auditor import batch, limits
    from auditor.checklist import resolve

    checklists = resolve([])
    tasks = [batch.Task(i, p, f"r{i:04d}", "", os.path.getsize(p)) for i, p in enumerate(paths)]
    with tempfile.TemporaryDirectory() as folder:
        init = (checklists, None, "html", folder, limits.current(), os.getpid())
        with ProcessPoolExecutor(workers, mp_context=batch._mp_context(), initializer=batch._init_worker,
                                 initargs=init) as pool:
            done, _ = wait([pool.submit(batch.run_task, t) for t in tasks])
            errors = [f.result().record.error for f in done if not f.result().record.ok]
            if errors:
                raise SystemExit(f"reports failed: {errors}")
            got = [f.result() for f in [pool.submit(_measure, 1.0) for _ in range(workers)]]
    return sorted({m.pid: m for m in got}.values(), key=lambda m: m.pid)


def measure(paths: Sequence[str], workers: int) -> list[WorkerMemory]:
    """The memory of each of ``workers`` batch workers after checking ``paths`` (fresh process)."""
    res = subprocess.run([sys.executable, str(Path(__file__).resolve()), str(workers), *map(str, paths)],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    return [WorkerMemory(**json.loads(line)) for line in res.stdout.splitlines() if line.startswith("{")]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for m in _run(sys.argv[2:], int(sys.argv[1])):
        print(json.dumps(asdict(m)))
