"""``auditor batch --engine dask``: the local engine's bytes, on a LocalCluster of 2 workers (issue 18)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from auditor import batch

from .conftest import EXAMPLES, FIXTURES, SEEDS

distributed = pytest.importorskip("distributed", reason="the [dask] extra is not installed")


def corpus(tmp_path: Path) -> list[str]:
    """Examples, fixture reports (all formats) and the seeds where present, plus a bad file."""
    paths = [str(p) for p in sorted(EXAMPLES.iterdir()) if p.suffix in (".txt", ".docx")]
    paths += [str(p) for p in sorted((FIXTURES / "reports").iterdir()) if p.suffix in (".txt", ".md", ".html")]
    if SEEDS.is_dir():
        paths += [str(p) for p in sorted(SEEDS.iterdir()) if p.suffix == ".txt"]
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    return paths + [str(bad)]


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=40) as lc, Client(lc) as client:
        yield lc, client


@pytest.fixture(scope="module")
def local_outputs(tmp_path_factory, checklists) -> tuple[list[str], dict[str, bytes]]:
    tmp = tmp_path_factory.mktemp("local")
    paths = corpus(tmp)
    result = batch.run_batch(paths, tmp / "out", checklists, workers=1, use_cache=False)
    assert len(result.failed) == 1
    return paths, outputs(tmp / "out")


def test_dask_outputs_are_byte_identical_to_the_local_engine(cluster, local_outputs, checklists, tmp_path) -> None:
    lc, _ = cluster
    paths, expected = local_outputs
    result = batch.run_batch(paths, tmp_path / "out", checklists, use_cache=False, engine="dask",
                             scheduler=lc.scheduler_address)
    assert result.checked == len(paths) and len(result.failed) == 1
    got = outputs(tmp_path / "out")
    assert got.keys() == expected.keys() and "summary.csv" in got
    assert [n for n in got if got[n] != expected[n]] == []
    assert {o.pid for o in result.outcomes if o.pid} - {os.getpid()}  # checked on the workers, not here


def test_a_worker_dying_costs_only_its_reports_which_are_retried(cluster, local_outputs, checklists, tmp_path) -> None:
    lc, client = cluster
    paths, expected = local_outputs
    pids = sorted(client.run(os.getpid).values())
    killed: list[int] = []

    def progress(done: int, total: int) -> None:
        if done >= 2 and not killed:
            killed.append(pids[0])
            os.kill(pids[0], signal.SIGKILL)

    result = batch.run_batch(paths, tmp_path / "out", checklists, use_cache=False, engine="dask",
                             scheduler=lc.scheduler_address, progress=progress)
    assert killed and len(result.failed) == 1  # only the broken file
    got = outputs(tmp_path / "out")
    assert [n for n in got if got[n] != expected[n]] == []
    client.wait_for_workers(2, timeout=60)


def test_cli_dask_engine_with_a_local_cluster(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = subprocess.run([sys.executable, "-m", "auditor.cli", "batch", str(EXAMPLES / "complete-county-2024.txt"),
                          "--output", str(out), "--engine", "dask", "--workers", "1", "--quiet"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode in (0, 1), res.stderr
    assert (out / "complete-county-2024.json").is_file() and (out / "summary.csv").is_file()
    assert "Traceback" not in res.stderr


def test_scheduler_needs_the_dask_engine(tmp_path: Path) -> None:
    res = subprocess.run([sys.executable, "-m", "auditor.cli", "batch", str(EXAMPLES), "--output", str(tmp_path / "o"),
                          "--scheduler", "tcp://127.0.0.1:8786"], capture_output=True, text=True)
    assert res.returncode == 2 and "--engine dask" in res.stderr and "Traceback" not in res.stderr


def test_the_batch_limits_reach_the_workers(cluster, checklists, tmp_path) -> None:
    from auditor import limits

    lc, _ = cluster
    paths = [str(EXAMPLES / "complete-county-2024.txt"), str(EXAMPLES / "draft-township-2024.txt")]
    with limits.use(limits.Limits(max_chars=300)):
        result = batch.run_batch(paths, tmp_path / "out", checklists, use_cache=False, engine="dask",
                                 scheduler=lc.scheduler_address)
    assert [r.error is not None and "[A105]" in r.error for r in result.records] == [True, True]
