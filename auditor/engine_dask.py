"""The Dask engine of ``auditor batch --engine dask [--scheduler tcp://HOST:PORT]`` (issue 18).

The same per-report work as the local engine (``batch.compute_task``), run on a Dask
distributed cluster: an existing one named by ``--scheduler``, else a ``LocalCluster`` of one
single-threaded worker process per core here. The client (the batch process) reads each
report's bytes and sends them with its task, so workers need the project installed but not
the inputs' file system; every worker loads the checklists and opens the segmenter once, in a
worker plugin; a task returns the rendered outputs, and the client writes them, the cache and
the summaries — the outputs are the local engine's bytes. When a worker dies, the scheduler
gives its reports to another worker (a report that has killed several workers is reported as
failed, the others finish). At most a few tasks per worker are in flight, so the client holds
a bounded number of reports in memory however large the corpus.

Dask is an optional extra (``pip install auditor[dask]``); nothing here is imported by the
local engine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .errors import AuditorError, InputError

IN_FLIGHT_PER_WORKER = 4
# A report whose worker died (or whose result was lost with it) is submitted again this many
# times before it is listed as failed; a report that itself kills workers ends there.
RETRIES = 2
PLUGIN_NAME = "auditor-setup"
_LIMITS = None  # the batch's limits, on a worker


def _import_dask():
    try:
        from dask.distributed import Client, LocalCluster, WorkerPlugin, as_completed
    except ImportError:
        raise AuditorError("A301", "--engine dask", detail="未安装 Dask：请先安装 auditor[dask]（pip install 'auditor[dask]'）") from None
    return Client, LocalCluster, WorkerPlugin, as_completed


def make_plugin(init: tuple):
    """A worker plugin that loads the checklists and the segmenter once per worker."""
    _, _, WorkerPlugin, _ = _import_dask()

    class AuditorSetup(WorkerPlugin):  # type: ignore[misc,valid-type]  # dask is an optional extra, imported late
        name = PLUGIN_NAME

        def __init__(self, init: tuple) -> None:
            self.init = init

        def setup(self, worker) -> None:  # noqa: ARG002 - Dask's signature
            setup_worker(self.init)

    return AuditorSetup(init)


def setup_worker(init: tuple) -> None:
    """On a worker (module-level, so the plugin, pickled by value, calls it by reference)."""
    global _LIMITS
    from . import batch

    checklists, kind, fmt, folder, lim = init[:5]
    batch.setup(checklists, kind, fmt, folder, lim, overrides=init[6] if len(init) > 6 else None,
                memo=init[7] if len(init) > 7 else None)
    _LIMITS = lim  # tasks run in other threads than this one: the limits are applied per task


def check_remote(task, raw: bytes):
    """Run on a worker: check one report from its bytes, return (outcome, output files)."""
    from . import batch, limits

    with limits.use(_LIMITS or limits.current()):
        return batch.compute_task(task, raw)


def run_dask(tasks: list, workers: int, init: tuple, progress: Callable[[int, int], None] | None,
             scheduler: str | None = None) -> Iterator:
    """Yield each task's outcome, its outputs written by this client, as reports finish."""
    Client, LocalCluster, _, as_completed = _import_dask()
    for name in ("distributed", "tornado", "bokeh"):
        logging.getLogger(name).setLevel(logging.ERROR)
    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise AuditorError("A301", scheduler, detail=f"无法连接 Dask 调度器（{type(exc).__name__}）：请确认地址和端口，且调度器正在运行") from None
    else:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        client.register_plugin(make_plugin(init), name=PLUGIN_NAME)
        yield from _drive(client, as_completed, tasks, init, progress, workers)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _drive(client, as_completed, tasks: list, init: tuple, progress, workers: int) -> Iterable:
    import uuid

    from . import batch

    run = uuid.uuid4().hex[:12]  # task keys unique to this run, even on a shared scheduler
    folder = Path(init[3])
    lim = init[4]
    total = len(tasks)
    order = iter(sorted(tasks, key=lambda t: (-t.size, t.index)))  # largest first, as locally
    window = IN_FLIGHT_PER_WORKER * max(1, workers, len(client.scheduler_info().get("workers", {})))
    pending = as_completed()
    owner = {}
    done = 0

    def submit_next() -> bool:
        """Submit the next report; one that cannot even be read is finished here."""
        nonlocal done
        for task in order:
            try:
                raw = _read(task.path, lim)
            except AuditorError as exc:
                rec = batch._failed(task, exc.format_message())
                finished.append(batch.Outcome(task.index, rec, cacheable=isinstance(exc, InputError)))
                continue
            submit(task, raw)
            return True
        return False

    def submit(task, raw: bytes) -> None:
        attempt = attempts.get(task.index, 0)
        fut = client.submit(check_remote, task, raw, pure=False, key=f"auditor-{run}-{task.index}-{attempt}")
        owner[fut.key] = (task, raw)
        pending.add(fut)

    attempts: dict[int, int] = {}

    finished: list = []
    for _ in range(window):
        if not submit_next():
            break
    while True:
        while finished:
            done += 1
            yield finished.pop()
            if progress:
                progress(done, total)
        if not pending.count():
            if not submit_next() and not finished:
                return
            continue
        fut = next(pending)
        task, raw = owner.pop(fut.key)
        try:
            outcome, files = fut.result()
            outcome = batch.write_outputs(outcome, files, folder)
        except Exception as exc:  # noqa: BLE001 - KilledWorker after repeated deaths, a lost connection
            fut.release()
            attempts[task.index] = attempts.get(task.index, 0) + 1
            if attempts[task.index] <= RETRIES:  # a worker died under it: try again elsewhere
                submit(task, raw)
                continue
            msg = f"{task.path}: 内部错误：工作进程多次意外退出（{type(exc).__name__}）[A900]"
            outcome = batch.Outcome(task.index, batch._failed(task, msg), cacheable=False)
        else:
            fut.release()
        done += 1
        yield outcome
        if progress:
            progress(done, total)
        submit_next()


def _read(path: str, lim) -> bytes:
    from . import limits
    from .ingest import read_file

    with limits.use(lim):
        return read_file(path)[0]
