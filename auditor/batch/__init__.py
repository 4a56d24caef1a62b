"""Batch mode: audit a whole corpus in parallel, skip what is unchanged, summarise.

Inputs are files, folders (searched recursively; files in unsupported formats are listed) and
``@LIST`` files (one path per line). Each report is checked in a worker process that
loaded the pipeline once (``--workers 1`` checks in-process) and writes its own
``<name>.json`` plus the human format into the output folder; the parent only collects
a small ``Record`` per report, so results never depend on the worker count or on the
order in which workers finish. ``.auditor-cache.json`` in the output folder remembers,
per input, the content hash and the configuration that produced its outputs, so a
re-run only checks what changed. The summaries (``summary.csv``, ``summary.html``)
are written by ``auditor.summary`` from the records, in input order.

Heavy modules (spaCy, pkuseg, the matcher) are imported only where a report is
checked, so a fully cached re-run never loads the pipeline.

The package: ``inputs`` (collecting the reports), ``record`` (the cache record and the cache),
``worker`` (one report, in a worker); output names follow ``auditor.output.output_bases``,
the rule of ``auditor check --output DIR``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import limits
from ..batch_memo import MemoSpec
from ..errors import AuditorError, ExitStatus, InputError, OutputError, UsageError, os_reason, run_status
from ..output import output_bases as _output_bases
from ..overrides import Overrides
from ..summary import write_summaries
from .inputs import LIST_PREFIX, NOT_REPORTS, SUFFIXES, collect_inputs, read_list, refuse_output_as_input_folder, walk
from .record import (
    CACHE_FORMAT,
    CACHE_NAME,
    Cache,
    NotRegularFile,
    Record,
    _file_digest,
    config_digest,
    file_sha256,
    record_from_json,
)
from .worker import (
    Outcome,
    Task,
    Worker,
    WorkerConfig,
    _failed,
    _init_worker,
    _running,
    compute_task,
    run_task,
    setup,
    write_outputs,
)

__all__ = [
    "CACHE_FORMAT", "CACHE_NAME", "LIST_PREFIX", "LOCK_NAME", "NOT_REPORTS", "OUTPUT_EXTENSIONS", "SUFFIXES",
    "SUMMARY_STEMS", "Archiving", "BatchInterrupted", "BatchResult", "Cache", "Engine", "NotRegularFile", "Outcome",
    "Record", "Task", "Worker", "WorkerConfig", "_failed", "_file_digest", "_init_worker", "_mp_context",
    "collect_inputs", "compute_task", "config_digest", "default_workers", "file_sha256", "output_bases",
    "read_list", "record_from_json", "refuse_output_as_input_folder", "run_batch", "run_task", "setup", "walk",
    "write_outputs",
]

SUMMARY_STEMS = frozenset({"summary"})  # names taken by summary.csv / summary.html
OUTPUT_EXTENSIONS = ("json", "html", "md", "txt")
WORKER_MEMORY = 400_000_000  # bytes per worker: measured RSS ~0.25 GB (the model is shared), rounded up
_SAVE_EVERY = 5.0  # seconds between cache checkpoints, so an interrupted run keeps its work

Progress = Callable[[int, int], None]


def output_bases(inputs: Sequence[str], folder: Path | None = None) -> dict[str, str]:
    """One unique output base name (no extension) per input: the rule of ``check --output DIR``
    (``auditor.output.output_bases``), never ``summary`` (taken by the summary files), nor a
    name whose output files would replace an input lying in the output ``folder``."""
    return _output_bases(inputs, reserved=SUMMARY_STEMS, folder=folder, extensions=OUTPUT_EXTENSIONS)


# -- the batch ---------------------------------------------------------------------------
@dataclass
class BatchResult:
    """Every record in input order, plus what this run did and how fast."""

    records: list[Record]
    checked: int
    cached: int
    workers: int
    outcomes: list[Outcome] = field(default_factory=list)
    wall: float = 0.0
    began: float = 0.0  # time.time() at the start, to compare with Outcome.started

    @property
    def failed(self) -> list[Record]:
        """Reports that could not be checked."""
        return [r for r in self.records if not r.ok]

    def exit_code(self) -> ExitStatus:
        """The status rule ``check`` follows too (``errors.run_status``)."""
        ok = [r for r in self.records if r.ok]
        return run_status(len(ok), len(self.failed), any(r.required_open for r in ok))


def default_workers() -> int:
    """Usable cores, capped by the memory available for ~1 GB per worker."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    avail = _available_memory()
    if avail:
        cores = min(cores, max(1, avail // WORKER_MEMORY))
    return max(1, cores)


def _available_memory() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def run_batch(
    inputs: Sequence[str],
    output: str | Path,
    checklists: Sequence,
    kind: str | None = None,
    fmt: str = "html",
    workers: int | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    archive: Archiving | None = None,
    overrides: Overrides | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    memo: MemoSpec | None = None,
) -> BatchResult:
    """Check every input (skipping unchanged ones), write per-report outputs and summaries
    (and a memo per report when ``memo`` says which); with ``archive``, record the run
    there and compare each report with last year's.

    ``engine="dask"`` runs the per-report work on a Dask cluster (``scheduler``, else a
    LocalCluster here; see ``auditor.engine_dask``); the outputs are the same bytes."""
    t0, began = time.perf_counter(), time.time()
    folder = _output_folder(output)
    with _folder_lock(folder):
        return _run_locked(folder, inputs, checklists, kind, fmt, workers, use_cache, progress, t0, began, archive,
                           overrides, Engine(engine, scheduler), memo)


@dataclass(frozen=True)
class Engine:
    """Where the per-report work runs: ``local`` (this process or a process pool) or ``dask``."""

    name: str = "local"
    scheduler: str | None = None


LOCAL = Engine()  # the default engine


@dataclass(frozen=True)
class Archiving:
    """``--archive``: where the archive is, the body-name mapping, where to say we wait."""

    path: str
    aliases: dict[str, str] = field(default_factory=dict)
    notify: Callable[[str], None] | None = None


def _archive(arc: Archiving | None, folder: Path, done: list[Record], checklists: Sequence, kind: str | None,
             fmt: str) -> tuple[dict[str, Any], AuditorError | None]:
    """Record the run in the archive (parent process only) and compare with last year;
    an archive error is returned, to be raised once the summaries are written."""
    if arc is None:
        return {}, None
    from ..yoy import archive_batch

    try:
        return archive_batch(arc.path, folder, done, checklists, kind, fmt, arc.aliases, arc.notify), None
    except AuditorError as exc:
        return {}, exc


LOCK_NAME = ".auditor-lock"


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """One batch at a time per output folder: a lock file holding the owner's pid. A lock
    whose owner is gone (a killed run) is stale and taken over; a live one is a clear error
    (two runs with different options would otherwise mix their results in one cache)."""
    path = folder / LOCK_NAME
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            owner = _lock_owner(path)
            if owner is not None and owner != os.getpid() and _running(owner):
                raise OutputError("A302", str(folder), detail=f"另一批量审核（进程 {owner}）正在使用该输出目录；请待其结束，或另选输出目录") from None
            with contextlib.suppress(FileNotFoundError):
                path.unlink()  # stale: its owner is gone
            continue
        except OSError as exc:
            raise OutputError("A302", str(path), detail=os_reason(exc)) from None
        with os.fdopen(fd, "w") as fh:
            fh.write(str(os.getpid()))
        break
    else:
        raise OutputError("A302", str(folder), detail="无法取得输出目录的锁")
    try:
        yield
    finally:
        if _lock_owner(path) == os.getpid():
            with contextlib.suppress(OSError):
                path.unlink()


def _lock_owner(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _run_locked(folder: Path, inputs: Sequence[str], checklists: Sequence, kind: str | None, fmt: str,
                workers: int | None, use_cache: bool, progress: Progress | None, t0: float, began: float,
                archive: Archiving | None = None, overrides: Overrides | None = None,
                engine: Engine = LOCAL, memo: MemoSpec | None = None) -> BatchResult:
    """The batch proper, with the output folder locked."""
    config = config_digest(checklists, kind, fmt, overrides, memo)
    cache = Cache.load(folder, config) if use_cache else Cache(folder, config)
    records, tasks = _plan(inputs, output_bases(inputs, folder), cache)
    cached = sum(1 for r in records if r is not None and r.sha256 is not None)
    n = min(workers or default_workers(), len(tasks)) or 1
    outcomes: list[Outcome] = []
    saved = time.perf_counter()
    interrupted, restore = False, None
    try:
        init = (checklists, kind, fmt, str(folder), limits.current(), os.getpid(), overrides, memo)
        for out in _execute(tasks, n, init, progress, engine):
            outcomes.append(out)
            records[out.index] = out.record
            if out.cacheable:
                cache.store(out.record)
            if time.perf_counter() - saved > _SAVE_EVERY:
                cache.save()
                saved = time.perf_counter()
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM turned into it by the CLI
        interrupted = True
        restore = _exit_on_second_interrupt()
    finally:
        cache.save()
    done = [r for r in records if r is not None]
    note = f"运行被中断：已完成 {len(outcomes)}/{len(tasks)} 份，其余未审核" if interrupted else None
    yoy, archive_error = _archive(None if interrupted else archive, folder, done, checklists, kind, fmt)
    write_summaries(folder, done, checklists, kind, fmt, note, yoy=yoy)
    if archive_error is not None:
        raise archive_error
    result = BatchResult(done, len(tasks), cached, n, outcomes, time.perf_counter() - t0, began)
    if restore is not None:
        restore()
    if interrupted:
        raise BatchInterrupted(result)
    return result


class BatchInterrupted(Exception):
    """The run was interrupted; finished results, the cache and the summaries are saved."""

    def __init__(self, result: BatchResult) -> None:
        super().__init__("interrupted")
        self.result = result


def _exit_on_second_interrupt() -> Callable[[], None] | None:
    """While the finished work is saved, a second Ctrl-C leaves at once (the cache and the
    outputs are written atomically, so whatever is on disk stays whole). Returns what puts
    the previous handlers back."""
    if threading.current_thread() is not threading.main_thread():
        return None
    before = {sig: signal.signal(sig, lambda *_: os._exit(ExitStatus.INTERRUPTED)) for sig in (signal.SIGINT, signal.SIGTERM)}

    def restore() -> None:
        for sig, handler in before.items():
            signal.signal(sig, handler)

    return restore


def _output_folder(output: str | Path) -> Path:
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise UsageError("A301", str(output), detail="--output 须为目录，但这是一个已存在的文件")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError("A302", str(output), detail=os_reason(exc)) from None
    return folder


def _plan(inputs: Sequence[str], names: dict[str, str], cache: Cache) -> tuple[list[Record | None], list[Task]]:
    """Records already known (cached, or unreadable here) and the tasks left to run."""
    records: list[Record | None] = []
    tasks: list[Task] = []
    for i, path in enumerate(inputs):
        name = names[path]
        if Path(path).suffix.lower() not in SUFFIXES:  # listed with its reason, never opened
            suffix = Path(path).suffix or "（无扩展名）"
            records.append(Record(path=path, name=name, error=InputError("A104", path, detail=suffix).format_message()))
            continue
        try:
            sha, size = file_sha256(path), Path(path).stat().st_size
        except OSError as exc:
            detail = "文件不存在" if not Path(path).exists() else os_reason(exc)
            if Path(path).is_dir():
                detail = "是目录而不是文件"
            elif isinstance(exc, NotRegularFile):
                detail = "不是普通文件（设备、管道或套接字），已跳过"
            records.append(Record(path=path, name=name, error=InputError("A101", path, detail=detail).format_message()))
            continue
        hit = cache.lookup(path, sha, name)
        records.append(hit)
        if hit is None:
            tasks.append(Task(i, path, name, sha, size))
    return records, tasks


def _execute(tasks: list[Task], workers: int, init: tuple, progress: Progress | None,
             engine: Engine = LOCAL) -> Iterable[Outcome]:
    """Run the tasks in-process (one worker), in a process pool or on Dask, yielding as they finish."""
    total = len(tasks)
    if not tasks:
        return
    if engine.name == "dask":
        from ..engine_dask import run_dask

        yield from run_dask(tasks, workers, init, progress, engine.scheduler)
        return
    if progress:
        progress(0, total)
    if workers <= 1:
        worker = Worker()
        worker.setup(*init)
        for k, task in enumerate(tasks, 1):
            yield worker.run_task(task)
            if progress:
                progress(k, total)
        return
    yield from _pool(tasks, workers, init, progress)


def _pool(tasks: list[Task], workers: int, init: tuple, progress: Progress | None) -> Iterable[Outcome]:
    """Largest reports first (a shorter tail); results are re-ordered by the caller."""
    from concurrent.futures import as_completed

    ctx = _mp_context()
    order = sorted(tasks, key=lambda t: (-t.size, t.index))
    # (typeshed cannot tie an untyped initargs tuple to the initializer's parameters)
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,  # type: ignore[arg-type]
                             initargs=init) as pool:
        futures: dict[Future, Task] = {pool.submit(run_task, t): t for t in order}
        try:
            for k, fut in enumerate(as_completed(futures), 1):
                yield _result(fut, futures[fut])
                if progress:
                    progress(k, len(tasks))
        except BaseException:
            # Stop now: running reports are abandoned (their outputs are written atomically,
            # so none is half-written) and queued ones cancelled.
            for proc in list(getattr(pool, "_processes", {}).values()):
                with contextlib.suppress(Exception):
                    proc.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _result(fut: Future, task: Task) -> Outcome:
    """A finished future's outcome; a dead worker fails only the reports it took down."""
    try:
        return fut.result()
    except BrokenProcessPool:
        msg = f"{task.path}: 内部错误：工作进程意外退出（可能内存不足）[A900]"
    except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable result
        msg = f"{task.path}: 内部错误：{type(exc).__name__}: {exc} [A900]"
    return Outcome(task.index, _failed(task, msg), cacheable=False)


def _mp_context():
    """A clean start for workers: ``forkserver`` where available, else ``spawn``.

    Never plain ``fork``: the parent may hold threads or a half-used pipeline (in tests,
    or a library caller), and a clean worker makes results independent of the parent.
    The fork server imports ``auditor._warm`` first, so the pipeline is loaded once and
    every worker is forked with it.
    """
    import multiprocessing as mp

    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["auditor._warm"])
        return ctx
    return mp.get_context("spawn")
