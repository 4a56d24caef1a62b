"""Batch mode: per-report outputs, summaries that agree with them, cache, worker counts.

One in-process batch over a small corpus (three examples, a report with markup in its
title, a binary file) is shared by most tests. Fresh processes (the pipeline costs ~3 s in
each) are started only where the process is what is tested: the worker counts, a cached
re-run that must not load the pipeline, inputs that could hang it (FIFOs, /dev/zero), and a
run interrupted by Ctrl-C or killed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.batch import CACHE_NAME, collect_inputs, output_bases, run_batch
from auditor.cli import main
from auditor.model import score
from auditor.output import output_names
from auditor.progress import ProgressBar, progress_bar
from auditor.summary import CSV_HEADER, infer_level

from .conftest import EXAMPLES, ROOT, SEEDS, SHARED_REASON

EXAMPLE_FILES = ("complete-county-2024.txt", "draft-township-2024.txt", "draft-township-2024.docx")
BAD = "broken.txt"
MARKUP = "markup.txt"


def make_corpus(folder: Path) -> Path:
    """Examples, a report whose title carries markup, and a binary file."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in EXAMPLE_FILES:
        shutil.copyfile(EXAMPLES / name, folder / name)
    draft = (EXAMPLES / "draft-township-2024.txt").read_text(encoding="utf-8").split("\n")
    draft[0] = "临江市<i>白石镇</i>2024年度法治政府建设情况报告"
    (folder / "sub").mkdir(exist_ok=True)
    (folder / "sub" / MARKUP).write_text("\n".join(draft), encoding="utf-8")
    (folder / BAD).write_bytes(b"\x00\x01\x02binary\x00" * 200)
    return folder


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    """One batch (1 worker, in-process) over the small corpus: (corpus, output, result)."""
    base = tmp_path_factory.mktemp("batch")
    corpus = make_corpus(base / "corpus")
    out = base / "out"
    res = run_cli("batch", str(corpus), "--output", str(out), "--workers", "1", "--quiet")
    return corpus, out, res


def csv_rows(out: Path) -> list[dict[str, str]]:
    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "summary.csv needs a BOM so Excel reads it as UTF-8"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def json_results(out: Path) -> dict[str, dict]:
    """Per-report JSON keyed by the input path recorded in it."""
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json") if not p.name.startswith(".")]
    return {d["source"]["path"]: d for d in docs}


# -- one batch ---------------------------------------------------------------------------
def test_batch_writes_per_report_results_and_summaries(batch_run) -> None:
    corpus, out, res = batch_run
    assert res.exit_code == 1, res.output  # gaps in the draft, and one unreadable file
    for stem in ("complete-county-2024", "draft-township-2024.txt", "draft-township-2024.docx", "markup"):
        assert (out / f"{stem}.json").is_file(), stem
        assert (out / f"{stem}.html").is_file(), stem
    assert (out / "summary.csv").is_file() and (out / "summary.html").is_file()
    assert (out / CACHE_NAME).is_file()
    assert not (out / "broken.json").exists()


def test_summary_csv_agrees_with_the_json_results(batch_run) -> None:
    corpus, out, _ = batch_run
    rows = csv_rows(out)
    assert tuple(rows[0].keys()) == CSV_HEADER
    results = json_results(out)
    ok_rows = [r for r in rows if not r["错误"]]
    copies = [c for r in ok_rows for c in r["相同内容的其他文件"].split("；") if c]
    assert {r["文件"] for r in ok_rows} | set(copies) == set(results) and len(ok_rows) + len(copies) == len(results)
    for row in ok_rows:
        data = results[row["文件"]]
        lists = data["checklists"]
        counts = {k: sum(c["summary"][k] for c in lists) for k in ("covered", "partial", "missing")}
        n = sum(counts.values())
        assert float(row["得分"]) == round(100 * (counts["covered"] + 0.5 * counts["partial"]) / n, 1)
        assert (int(row["已覆盖"]), int(row["部分覆盖"]), int(row["缺失"])) == (counts["covered"], counts["partial"], counts["missing"])
        titles = {it["id"]: it["title"] for c in lists for it in c["items"]}
        required_open = [titles[i] for c in lists for i in c["summary"]["required_open"]]
        assert row["未达标必备项"] == "；".join(required_open)  # Chinese titles, not ids
        assert row["标题"] == (data["source"]["title"] or "")
        assert row["审核结论"] in ("符合要求", "基本符合要求，建议完善", "建议修改完善后报送", "不符合要求，退回修改")


def test_rows_follow_input_order_and_levels_are_inferred(batch_run) -> None:
    corpus, out, _ = batch_run
    rows = csv_rows(out)
    # draft-township-2024.txt has the text of the .docx before it: one row, the copy listed
    assert [Path(r["文件"]).name for r in rows] == [BAD, "complete-county-2024.txt", "draft-township-2024.docx", MARKUP]
    level = {Path(r["文件"]).name: (r["层级"], r["层级依据"]) for r in rows}
    assert level["complete-county-2024.txt"] == ("县级政府", "推断自发布机关")  # 青川县人民政府
    assert level["draft-township-2024.docx"] == ("乡镇（街道）", "推断自报告标题")  # 临江市白石镇… (from the title)
    draft = next(r for r in rows if r["文件"].endswith(".docx"))
    assert Path(draft["相同内容的其他文件"]).name == "draft-township-2024.txt"
    assert draft["审核结论"] == "不符合要求，退回修改"


def test_bad_file_is_listed_with_its_error(batch_run) -> None:
    corpus, out, res = batch_run
    bad = next(r for r in csv_rows(out) if r["文件"].endswith(BAD))
    assert "A103" in bad["错误"] and bad["得分"] == ""
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert "无法处理的报告" in html and "A103" in html


def test_summary_html_links_cells_to_evidence_and_is_self_contained(batch_run) -> None:
    corpus, out, _ = batch_run
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert 'href="complete-county-2024.html#item-structure.shortcomings"' in html
    report = (out / "complete-county-2024.html").read_text(encoding="utf-8")
    assert 'id="item-structure.shortcomings"' in report  # the anchor the matrix links to
    assert "<script src" not in html and "<link" not in html and "http://" not in html and "https://" not in html
    assert "<i>白石镇</i>" not in html and "&lt;i&gt;白石镇&lt;/i&gt;" in html
    assert "<svg" in html and "各条目的覆盖率" in html


def test_batch_json_is_the_check_json(batch_run) -> None:
    corpus, out, _ = batch_run
    path = str(corpus / "complete-county-2024.txt")
    res = run_cli("check", path, "--format", "json")
    assert res.stdout == (out / "complete-county-2024.json").read_text(encoding="utf-8")


# -- cache -------------------------------------------------------------------------------
def test_cache_skips_unchanged_and_checks_new_or_changed(tmp_path: Path, checklists) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    for name in EXAMPLE_FILES[:2]:
        shutil.copyfile(EXAMPLES / name, corpus / name)
    out = tmp_path / "out"
    first = run_batch(collect_inputs([str(corpus)]), out, checklists, workers=1)
    assert (first.checked, first.cached) == (2, 0)
    again = run_batch(collect_inputs([str(corpus)]), out, checklists, workers=1)
    assert (again.checked, again.cached) == (0, 2)
    assert [r.score for r in again.records] == [r.score for r in first.records]

    shutil.copyfile(EXAMPLES / "draft-township-2024.docx", corpus / "new.docx")
    added = run_batch(collect_inputs([str(corpus)]), out, checklists, workers=1)
    assert (added.checked, added.cached) == (1, 2)

    (out / "draft-township-2024.html").unlink()  # an output went missing
    text = (corpus / "complete-county-2024.txt").read_text(encoding="utf-8")
    (corpus / "complete-county-2024.txt").write_text(text.replace("2024年", "2024 年", 1), encoding="utf-8")
    changed = run_batch(collect_inputs([str(corpus)]), out, checklists, workers=1)
    assert (changed.checked, changed.cached) == (2, 1)

    other_kind = run_batch(collect_inputs([str(corpus)]), out, checklists, kind="county", workers=1)
    assert other_kind.checked == 3  # options are part of the key
    (out / CACHE_NAME).write_text("{not json", encoding="utf-8")
    assert run_batch(collect_inputs([str(corpus)]), out, checklists, kind="county", workers=1).checked == 3


def test_an_in_process_batch_leaves_no_worker_state_behind(tmp_path: Path, checklists) -> None:
    """``--workers 1`` checks with its own ``Worker``: the process-wide one (for pool and Dask
    workers) keeps its empty configuration, so a later batch cannot inherit this one's."""
    from auditor.batch import worker

    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(EXAMPLES / "draft-township-2024.txt", inbox / "a.txt")
    result = run_batch([str(inbox / "a.txt")], tmp_path / "out", checklists, kind="county", fmt="md", workers=1)
    assert result.checked == 1 and result.records[0].ok and (tmp_path / "out" / "a.md").is_file()
    assert worker.PROCESS_WORKER.config == worker.WorkerConfig()


def test_cached_rerun_does_not_load_the_pipeline(batch_run) -> None:
    corpus, out, _ = batch_run
    code = (
        "import sys\n"
        "from auditor.batch import collect_inputs, run_batch\n"
        "from auditor.checklist import resolve\n"
        f"r = run_batch(collect_inputs([{str(corpus)!r}]), {str(out)!r}, resolve([]), workers=1)\n"
        "print(r.checked, r.cached, 'spacy' in sys.modules)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert res.stdout.split() == ["0", "5", "False"]


# -- worker counts -----------------------------------------------------------------------
def test_one_and_two_workers_give_identical_outputs(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    procs = {}
    for n in ("1", "2"):  # both at once: each pays the ~3 s pipeline load
        args = ["batch", str(corpus), "--output", str(tmp_path / f"out{n}"), "--workers", n, "--quiet"]
        procs[n] = subprocess.Popen([sys.executable, "-c", "from auditor.cli import main; main()", *args],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    runs = {n: (p.wait(), tmp_path / f"out{n}") for n, p in procs.items()}
    assert runs["1"][0] == runs["2"][0] == 1
    a, b = runs["1"][1], runs["2"][1]
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert len([n for n in names if n.endswith(".json") and not n.startswith(".")]) == 4
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


# -- exit status and usage -----------------------------------------------------------------
def test_nothing_processable_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "in" / BAD
    bad.parent.mkdir()
    bad.write_bytes(b"\x00" * 100)
    res = run_cli("batch", str(bad), "--output", str(tmp_path / "out"), "--workers", "1", "--quiet")
    assert res.exit_code == 2
    assert "A103" in next(r for r in csv_rows(tmp_path / "out"))["错误"]


def test_no_inputs_and_bad_list_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    res = run_cli("batch", str(tmp_path / "empty"), "--output", str(tmp_path / "out"))
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert res.stderr.strip() == "auditor: 没有找到可审核的报告（支持 .txt .md .html .htm .docx .pdf .doc .wps 及图片） [A305]"
    res = run_cli("batch", f"@{tmp_path / 'nope.lst'}", "--output", str(tmp_path / "out"))
    assert res.exit_code == 2
    assert res.stderr.strip() == f"auditor: {tmp_path / 'nope.lst'}: 无法读取列表文件：No such file or directory [A306]"


# -- inputs, names, levels, progress ---------------------------------------------------------
def test_collect_inputs_walks_folders_and_reads_lists(tmp_path: Path) -> None:
    root = tmp_path / "r"
    for rel in ("b.txt", "a/x.docx", "a/y.md", "a/z.pdf", "a/w.xlsx", "a/tool.py", ".hidden/h.txt", "a/.h.txt",
                "README.md", "out/old.html"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x", encoding="utf-8")
    found = collect_inputs([str(root), str(root / "b.txt")], exclude=root / "out")
    # an unsupported format (w.xlsx) is kept, to be listed with its reason; scripts are not
    assert [Path(p).relative_to(root).as_posix() for p in found] == ["a/w.xlsx", "a/x.docx", "a/y.md", "a/z.pdf", "b.txt"]
    lst = root / "a" / "list.lst"
    lst.write_text("# reports\n\ny.md\n../b.txt\nmissing.txt\n", encoding="utf-8")
    listed = collect_inputs([f"@{lst}"])
    assert [Path(p).name for p in listed] == ["y.md", "b.txt", "missing.txt"]


def test_output_bases_match_output_names_and_avoid_summary() -> None:
    inputs = ["a/r.txt", "b/r.txt", "b/r.docx", "c/s.md", "d/t.html"]
    assert {p: f"{b}.json" for p, b in output_bases(inputs).items()} == output_names(inputs, "json")
    bases = output_bases(["x/summary.txt", "y/summary-1.txt", "z/Summary.md"])
    assert "summary" not in {b.lower() for b in bases.values()}
    assert len({b.lower() for b in bases.values()}) == 3


@pytest.mark.parametrize(
    ("issuer", "title", "level"),
    [
        ("青川县人民政府", None, "county"),
        ("中共运城市盐湖区委、运城市盐湖区人民政府", None, "county"),
        ("玉环市人民政府", None, "county"),  # a county-level city (issue 14)
        ("镇江市人民政府", None, "city"),
        ("浙江省人民政府", None, "province"),
        ("上海市人民政府", None, "province"),
        ("广西壮族自治区人民政府", None, "province"),
        ("临江市司法局", None, "department"),
        ("某市住房和城乡建设局", None, "department"),
        ("某区城东街道办事处", None, "township"),
        (None, "临江市白石镇2024年度法治政府建设情况报告", "township"),
        (None, "2024年度法治政府建设情况报告", None),
        (None, None, None),
    ],
)
def test_infer_level(issuer: str | None, title: str | None, level: str | None) -> None:
    assert infer_level(issuer, title) == level


def test_progress_bar_only_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert progress_bar(False, io.StringIO()) is None
    assert progress_bar(True, Tty()) is None
    stream = Tty()
    bar = progress_bar(False, stream)
    assert isinstance(bar, ProgressBar)
    bar(5, 5)
    bar.close()
    assert "5/5" in stream.getvalue() and "份/秒" in stream.getvalue() and stream.getvalue().endswith("\n")
    assert "剩余 1:40" in ProgressBar(io.StringIO()).line(50, 100, 0.5)


# -- the real seeds ------------------------------------------------------------------------
def test_batch_over_seeds_and_examples(tmp_path: Path, monkeypatch) -> None:
    if not SEEDS.is_dir():
        pytest.skip(SHARED_REASON)
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    res = run_cli("batch", "../shared/seeds", "examples", "--output", str(out) + os.sep, "--workers", "1", "--quiet")
    assert res.exit_code in (0, 1), res.output
    rows = csv_rows(out)
    seeds = sorted(p.name for p in SEEDS.iterdir() if p.suffix in (".txt", ".md", ".html", ".htm", ".docx"))
    assert [Path(r["文件"]).name for r in rows][: len(seeds)] == seeds
    # README.md and the make_*.py scripts are skipped; the draft's .pdf and .txt are copies of its .docx
    assert len(rows) == len(seeds) + 2
    draft = next(r for r in rows if r["文件"].endswith("draft-township-2024.docx"))
    assert {Path(c).name for c in draft["相同内容的其他文件"].split("；")} == {"draft-township-2024.pdf", "draft-township-2024.txt"}
    assert all(not r["错误"] for r in rows)
    results = json_results(out)
    for row in rows:  # the summary's counts and score are those of the report's own JSON
        lists = results[row["文件"]]["checklists"]
        counts = [sum(c["summary"][k] for c in lists) for k in ("covered", "partial", "missing")]
        assert [int(row["已覆盖"]), int(row["部分覆盖"]), int(row["缺失"])] == counts
        assert float(row["得分"]) == score(*counts) and 0 < score(*counts) < 100
    assert (out / "summary.html").is_file()


def test_summary_cells_that_look_like_formulas_stay_text(tmp_path: Path, monkeypatch) -> None:
    """CSV injection: a report titled =HYPERLINK(…) and a file named =cmd.txt stay text in Excel."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    lines = (EXAMPLES / "complete-county-2024.txt").read_text(encoding="utf-8").split("\n")
    lines[0] = '=HYPERLINK("http://x","点击")关于2024年度法治政府建设情况的报告'
    (inbox / "=cmd.txt").write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.chdir(inbox)
    res = run_cli("batch", ".", "--output", str(tmp_path / "out"), "--quiet", "-j", "1")
    assert res.exit_code in (0, 1), res.output
    rows = list(csv.reader(io.StringIO((tmp_path / "out" / "summary.csv").read_text(encoding="utf-8-sig"))))
    cells = [c for row in rows[1:] for c in row]
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells), cells
    assert rows[1][0] == "'=cmd.txt" and rows[1][1].startswith("'=HYPERLINK("), rows[1][:2]


def test_batch_skips_fifos_and_devices_instead_of_hanging(tmp_path: Path) -> None:
    """A FIFO or a symlink to /dev/zero among the inputs (folder or @list) is reported and
    skipped; the batch finishes (it used to block on the FIFO or read /dev/zero forever)."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copyfile(EXAMPLES / "complete-county-2024.txt", inbox / "good.txt")
    os.mkfifo(inbox / "pipe.txt")
    (inbox / "zero.txt").symlink_to("/dev/zero")
    listed = tmp_path / "list.txt"
    listed.write_text("in/pipe.txt\nin/zero.txt\n", encoding="utf-8")
    for args in (["in"], ["@list.txt"]):
        out = tmp_path / f"out-{len(args[0])}"
        res = subprocess.run([sys.executable, "-m", "auditor.cli", "batch", *args, "--output", str(out), "--quiet", "-j", "1"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert res.returncode in (1, 2), res.stderr
        rows = {r[0]: r for r in csv.reader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8-sig")))}
        for name in ("in/pipe.txt", "in/zero.txt"):
            assert "不是普通文件" in rows[name][-1], rows


def test_output_folder_may_not_be_an_input_folder(tmp_path: Path) -> None:
    """batch DIR --output DIR would overwrite x.txt.html with x.txt's gap report and audit it
    next time: refused in one line, nothing written."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copyfile(EXAMPLES / "complete-county-2024.txt", inbox / "x.txt")
    shutil.copyfile(EXAMPLES / "draft-township-2024.txt", inbox / "x.txt.html")
    before = sorted(p.name for p in inbox.iterdir())
    res = CliRunner().invoke(main, ["batch", str(inbox), "--output", str(inbox), "--quiet", "-j", "1"])
    assert res.exit_code == 2 and "输出目录与输入目录相同" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in inbox.iterdir()) == before


def test_outputs_never_take_the_name_of_an_input_in_the_output_folder(tmp_path: Path) -> None:
    """Inputs listed one by one may live in the output folder: x.txt's result is not x.txt.html
    when x.txt.html is itself an input."""
    folder = tmp_path / "work"
    folder.mkdir()
    for name, src in (("x.txt", "complete-county-2024.txt"), ("x.md", "complete-county-2024.txt"),
                      ("x.txt.html", "draft-township-2024.txt")):
        shutil.copyfile(EXAMPLES / src, folder / name)
    original = (folder / "x.txt.html").read_bytes()
    listed = folder / "list.txt"
    listed.write_text("x.txt\nx.md\nx.txt.html\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["batch", f"@{listed}", "--output", str(folder), "--quiet", "-j", "1"])
    assert res.exit_code in (0, 1), res.output
    assert (folder / "x.txt.html").read_bytes() == original
    rows = list(csv.reader(io.StringIO((folder / "summary.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 3 and all(not r[-1] for r in rows[1:]), rows  # x.md is a copy of x.txt
    assert rows[1][CSV_HEADER.index("相同内容的其他文件")].endswith("x.md")


@pytest.mark.parametrize(
    "damage",
    [
        {"outputs": ["../../etc/passwd"]},  # outside the output folder: made deleted outputs look present
        {"outputs": "x.json"},
        {"covered": "many"},  # wrong types used to crash the batch
        {"score": [1]},
        {"statuses": ["covered"]},
    ],
    ids=["escaping-output", "outputs-not-a-list", "count-not-int", "score-not-number", "statuses-not-dict"],
)
def test_a_damaged_cache_entry_is_discarded_and_audited_again(tmp_path: Path, checklists, damage: dict) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copyfile(EXAMPLES / "complete-county-2024.txt", inbox / "a.txt")
    out = tmp_path / "out"
    first = run_batch([str(inbox / "a.txt")], out, checklists, workers=1)
    assert first.checked == 1
    cache = json.loads((out / CACHE_NAME).read_text(encoding="utf-8"))
    for entry in cache["entries"].values():
        entry["record"].update(damage)
    (out / CACHE_NAME).write_text(json.dumps(cache), encoding="utf-8")
    again = run_batch([str(inbox / "a.txt")], out, checklists, workers=1)
    assert (again.checked, again.cached) == (1, 0)
    assert again.records[0].ok and again.records[0].covered == first.records[0].covered


# -- interruption -------------------------------------------------------------------------
def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (read from /proc: no extra dependency)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for p in pids:
        try:
            state = (Path("/proc") / str(p) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(p)
    return alive


INTERRUPTED_BATCH = 20  # reports: two workers need seconds for them, the signal comes within milliseconds


def _start_batch(tmp_path: Path, n: int = INTERRUPTED_BATCH):
    """A real ``auditor batch -j 2`` on ``n`` copies of a report, once the first one is written."""
    import signal
    import time

    inbox = tmp_path / "in"
    inbox.mkdir()
    text = (EXAMPLES / "complete-county-2024.txt").read_text(encoding="utf-8")
    for k in range(n):
        (inbox / f"r{k:03d}.txt").write_text(text + f"\n（附{k}）", encoding="utf-8")
    out = tmp_path / "out"
    # Ctrl-C reaches the batch as it would in a terminal, even where the suite itself was started
    # in the background (a shell starts background jobs with SIGINT ignored, and children inherit that)
    proc = subprocess.Popen([sys.executable, "-m", "auditor.cli", "batch", str(inbox), "--output", str(out),
                             "--quiet", "-j", "2"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not (out.is_dir() and any(out.glob("*.json"))):
        time.sleep(0.05)
    assert any(out.glob("*.json")), "no report finished"
    return proc, inbox, out, signal


def _alive_after(pids: set[int], seconds: float) -> set[int]:
    """Those of ``pids`` still alive ``seconds`` from now (returns as soon as none is)."""
    import time

    deadline = time.monotonic() + seconds
    while _alive(pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return _alive(pids)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find worker processes")
def test_ctrl_c_stops_a_batch_and_keeps_what_finished(tmp_path: Path) -> None:
    """The real command, interrupted: exit 130, one line, finished outputs kept, no worker left;
    a re-run completes it with the summary of a fresh run (both re-runs in-process: they test
    the cache the interrupted run left, not the entry point)."""
    proc, inbox, out, signal = _start_batch(tmp_path)
    workers = _descendants(proc.pid)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "运行被中断" in err and "Traceback" not in err
    rows = (out / "summary.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[-1].startswith("# 运行被中断：已完成 ") and len(rows) - 2 < INTERRUPTED_BATCH
    cache = json.loads((out / CACHE_NAME).read_text(encoding="utf-8"))
    for entry in cache["entries"].values():
        assert all((out / o).is_file() for o in entry["record"]["outputs"])
    assert not _alive_after(workers, 2.0), "workers survived the interrupted batch"
    again = CliRunner().invoke(main, ["batch", str(inbox), "--output", str(out), "--quiet", "-j", "1"])
    assert again.exit_code in (0, 1), again.output
    fresh = tmp_path / "fresh"
    clean = CliRunner().invoke(main, ["batch", str(inbox), "--output", str(fresh), "--quiet", "-j", "1"])
    assert clean.exit_code == again.exit_code
    assert (out / "summary.csv").read_text(encoding="utf-8-sig") == (fresh / "summary.csv").read_text(encoding="utf-8-sig")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find worker processes")
def test_workers_do_not_outlive_a_killed_batch(tmp_path: Path) -> None:
    proc, _, _, signal = _start_batch(tmp_path)
    workers = _descendants(proc.pid)
    assert workers
    proc.send_signal(signal.SIGKILL)
    # not reaped yet: the workers must see a zombie as dead
    assert not _alive_after(workers, 10.0), "workers were orphaned"
    proc.wait(timeout=30)


def test_one_batch_at_a_time_per_output_folder(tmp_path: Path, checklists) -> None:
    """A live lock is a clear one-line refusal; a lock left by a dead run is taken over."""
    from auditor.batch import LOCK_NAME

    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copyfile(EXAMPLES / "complete-county-2024.txt", inbox / "a.txt")
    out = tmp_path / "out"
    out.mkdir()
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (out / LOCK_NAME).write_text(str(other.pid))
        res = CliRunner().invoke(main, ["batch", str(inbox), "--output", str(out), "--quiet", "-j", "1"])
        assert res.exit_code == 2 and f"另一批量审核（进程 {other.pid}）正在使用该输出目录" in res.stderr
        assert not (out / "summary.csv").exists()
    finally:
        other.kill()
        other.wait()
    # the owner is gone now: its lock is stale
    result = run_batch([str(inbox / "a.txt")], out, checklists, workers=1)
    assert result.checked == 1 and not (out / LOCK_NAME).exists()
