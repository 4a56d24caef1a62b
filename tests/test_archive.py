"""The archive of audits: schema versions and migrations, content stored once, two runs
at once, a run killed midway, and ``auditor batch --archive`` / ``auditor history``."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor import archive as A
from auditor.cli import main

from .conftest import FIXTURES, ROOT

PAIRS = FIXTURES / "pairs"


def v1_file(path: Path) -> None:
    """An archive as version 1 of the schema left it, with one report audited."""
    db = sqlite3.connect(path)
    for sql in A.MIGRATIONS[1]:
        db.execute(sql)
    db.execute("INSERT INTO contents VALUES ('abc', 'txt', 3, x'00')")
    db.execute("INSERT INTO reports VALUES ('abc', '临江县人民政府', '临江县', 'county', 2023, 't', NULL, 3)")
    db.execute("INSERT INTO runs VALUES (1, '2025-01-01T00:00:00+00:00', '0.1.0', NULL, 'batch')")
    db.execute("INSERT INTO audits VALUES (1, 1, 'abc', 'a.txt', 50.0, 1, 0, 1)")
    db.execute("INSERT INTO verdicts VALUES (1, 1, 'c', 'i', 'required', 'covered', 'r')")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()


def test_new_file_has_current_schema(tmp_path):
    with A.Archive(tmp_path / "a.db") as arc:
        assert arc.version == A.SCHEMA_VERSION
        cols = {r[1] for r in arc.db.execute("PRAGMA table_info(verdicts)")}
        assert {"override_status", "override_note"} <= cols


def test_migration_from_v1_keeps_data(tmp_path):
    f = tmp_path / "old.db"
    v1_file(f)
    with A.Archive(f) as arc:
        assert arc.version == 2
        assert arc.db.execute("SELECT status, override_status FROM verdicts").fetchall() == [("covered", None)]
        assert arc.counts()["audits"] == 1
        assert [r.year for r in arc.reports_of("临江县人民政府")] == [2023]


def test_every_step_reaches_the_same_schema(tmp_path):
    fresh, stepped = tmp_path / "fresh.db", tmp_path / "stepped.db"
    A.Archive(fresh).close()
    arc = A.Archive.__new__(A.Archive)  # open at version 1 first, then migrate the rest
    arc.path, arc.aliases, arc.notify = str(stepped), {}, None
    arc.db = sqlite3.connect(stepped, isolation_level=None)
    arc.migrate(target=1)
    assert arc.version == 1
    arc.migrate()
    arc.close()

    def schema(p: Path) -> list:
        db = sqlite3.connect(p)
        try:
            return sorted(db.execute("SELECT type, name, sql FROM sqlite_master").fetchall())
        finally:
            db.close()
    assert schema(fresh) == schema(stepped)


def test_newer_foreign_and_broken_files_are_refused(tmp_path):
    newer = tmp_path / "newer.db"
    db = sqlite3.connect(newer)
    db.execute(f"PRAGMA user_version = {A.SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(A.ArchiveError, match="高于本工具支持的版本"):
        A.Archive(newer)
    foreign = tmp_path / "foreign.db"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE t (x)")
    db.close()
    with pytest.raises(A.ArchiveError, match="不是审核归档库"):
        A.Archive(foreign)
    for special in ("/dev/null", str(tmp_path)):
        with pytest.raises(A.ArchiveError, match="不是普通文件"):
            A.Archive(special)
    text = tmp_path / "notes.db"
    text.write_text("这不是数据库" * 100, encoding="utf-8")
    with pytest.raises(A.ArchiveError, match="A304"):
        A.Archive(text)


def batch(inbox: Path, out: Path, db: Path, *extra: str):
    return CliRunner().invoke(main, ["batch", str(inbox), "--output", str(out), "--archive", str(db), "-j", "1", "--quiet", *extra])


@pytest.fixture
def two_years(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    for f in PAIRS.glob("*.txt"):
        (inbox / f.name).write_bytes(f.read_bytes())
    return inbox


def test_batch_archive_twice_gives_year_over_year_and_history(tmp_path, two_years):
    db, out = tmp_path / "audit.db", tmp_path / "out"
    for run in (1, 2):
        res = batch(two_years, out, db)
        assert res.exit_code == 1, res.output  # gaps found, nothing failed
        with A.Archive(db) as arc:
            counts = arc.counts()
        assert counts["contents"] == counts["reports"] == 6  # identical content stored once
        assert counts["runs"] == run and counts["audits"] == 6 * run  # history kept, never replaced
    rows = list(csv.DictReader((out / "summary.csv").read_text(encoding="utf-8-sig").splitlines()))
    by_file = {Path(r["文件"]).name: r for r in rows}
    county = by_file["county-2024.txt"]
    assert county["上年报告"].startswith("临江县人民政府关于2023年度") and county["计划落实率"] == "50.0%"
    assert county["新增覆盖"] == "2" and county["重复问题数"] == "2" and county["文字重复率"].endswith("%")
    assert by_file["township-2024.txt"]["上年报告"]  # 白石镇人民政府 joins 临江市白石镇
    assert by_file["county-2023.txt"]["上年报告"] == ""
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert "与上年报告对比（3 份）" in html and 'href="county-2024.compare.html"' in html
    assert "计划落实" in (out / "county-2024.compare.html").read_text(encoding="utf-8")
    assert 'href="county-2024.compare.html">与上年报告对比' in (out / "county-2024.html").read_text(encoding="utf-8")
    assert "与上年报告对比" not in (out / "county-2023.html").read_text(encoding="utf-8")

    res = CliRunner().invoke(main, ["history", "临江县政府", "--archive", str(db)])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == "临江县人民政府：归档库中共 2 份报告"
    assert lines[1].lstrip().startswith("2023") and lines[2].lstrip().startswith("2024") and "审核 2 次" in lines[1]
    assert "年度对比" in res.stdout and "[已落实]" in res.stdout
    res = CliRunner().invoke(main, ["history", "某某县", "--archive", str(db)])
    assert res.exit_code == 2 and "没有主体" in res.output


def test_history_without_archive_is_one_line(tmp_path):
    res = CliRunner().invoke(main, ["history", "临江县", "--archive", str(tmp_path / "none.db")])
    assert res.exit_code == 2 and "A304" in res.output and "Traceback" not in res.output


def test_second_writer_waits_with_a_message_then_succeeds(tmp_path, monkeypatch):
    f = tmp_path / "a.db"
    A.Archive(f).close()
    holder = sqlite3.connect(f, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    said: list[str] = []
    threading.Timer(0.6, lambda: holder.execute("COMMIT")).start()
    with A.Archive(f, notify=said.append) as arc:
        arc.record_run([], [], None)
        assert arc.counts()["runs"] == 1
    assert len(said) == 1 and "等待其完成" in said[0]
    holder.close()


def test_writer_gives_up_with_a_clear_error(tmp_path, monkeypatch):
    f = tmp_path / "a.db"
    A.Archive(f).close()
    holder = sqlite3.connect(f, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(A, "WAIT_SECONDS", 0.5)
    with A.Archive(f) as arc, pytest.raises(A.ArchiveError, match="请稍后重试"):
        arc.record_run([], [], None)
    holder.execute("ROLLBACK")
    holder.close()


KILLED_WRITER = """
import sys, time
from auditor import archive as A
rec = A.AuditRecord("s" * 64, b"x", "txt", "a.txt", None, {
    "source": {"title": "t", "issuer": "临江县人民政府", "year": 2024, "chars": 1},
    "checklists": [{"id": "c", "summary": {"covered": 1, "partial": 0, "missing": 0},
                    "items": [{"id": "i", "severity": "required", "status": "covered", "reason": "r", "evidence": []}]}]})
real = A.Archive._add_audit
def slow(self, db, run, a):
    real(self, db, run, a)
    print("inside", flush=True)
    time.sleep(60)
A.Archive._add_audit = slow
with A.Archive(sys.argv[1]) as arc:
    arc.record_run([rec], [], None)
"""


def test_a_run_killed_midway_leaves_the_archive_as_it_was(tmp_path, two_years):
    db = tmp_path / "audit.db"
    assert batch(two_years, tmp_path / "out", db).exit_code == 1
    with A.Archive(db) as arc:
        before = arc.counts()
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(db)], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline().strip() == "inside"  # rows written, transaction open
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with A.Archive(db) as arc:
        assert arc.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert arc.counts() == before
        arc.record_run([], [], None)  # and it is writable again at once


def test_archive_may_not_be_an_input(tmp_path, two_years):
    report = two_years / "county-2023.txt"
    before = report.read_bytes()
    res = batch(two_years, tmp_path / "out", report)
    assert res.exit_code == 2 and "A302" in res.output
    assert report.read_bytes() == before


def test_history_json(tmp_path, two_years):
    import json

    db = tmp_path / "audit.db"
    assert batch(two_years, tmp_path / "out", db).exit_code == 1
    res = CliRunner().invoke(main, ["history", "白石镇", "--archive", str(db), "--format", "json"])
    data = json.loads(res.stdout)
    assert [r["year"] for r in data["reports"]] == [2023, 2024]
    assert len(data["comparisons"]) == 1 and data["comparisons"][0]["summary"]["repeated_shortcomings"] == 2


def test_two_batch_processes_on_one_archive_both_succeed(tmp_path, two_years):
    """Two real `auditor batch --archive` processes on one archive at once (their outputs
    cached beforehand, so neither loads the pipeline and they overlap): both finish, and the
    archive holds both runs."""
    db = tmp_path / "audit.db"
    folders = []
    for k, name in enumerate(("county-2023.txt", "department-2023.txt")):
        inbox = tmp_path / f"in{k}"
        inbox.mkdir()
        (inbox / name).write_bytes((two_years / name).read_bytes())
        assert CliRunner().invoke(main, ["batch", str(inbox), "--output", str(tmp_path / f"out{k}"), "-j", "1",
                                         "--quiet"]).exit_code == 1
        folders.append(inbox)
    A.Archive(db).close()
    procs = [subprocess.Popen([sys.executable, "-m", "auditor.cli", "batch", str(inbox), "--output",
                               str(tmp_path / f"out{k}"), "--archive", str(db), "--quiet"],
                              stderr=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
             for k, inbox in enumerate(folders)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 1, err  # gaps found; the archive write succeeded
        assert "A304" not in err
    with A.Archive(db) as arc:
        assert arc.counts()["runs"] == 2 and arc.counts()["audits"] == 2
        assert arc.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
