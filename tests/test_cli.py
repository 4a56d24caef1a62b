"""The command line: outputs, exit codes, one-line errors, schema, golden Markdown."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from auditor.cli import main

from .conftest import EXAMPLES, GOLD, ROOT, SEEDS, SHARED_REASON, seed_params

COMPLETE = str(EXAMPLES / "complete-county-2024.txt")
DRAFT = str(EXAMPLES / "draft-township-2024.txt")
DRAFT_DOCX = str(EXAMPLES / "draft-township-2024.docx")
SCHEMA = json.loads((ROOT / "auditor" / "schema" / "check.schema.json").read_text(encoding="utf-8"))
GOLDEN = Path(__file__).resolve().parent / "golden"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def assert_one_line_error(result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    err = result.stderr.strip()
    assert "Traceback" not in result.output + result.stderr
    assert len(err.splitlines()) == 1, err
    for n in needles:
        assert n in err, err


def test_outline_json_contract() -> None:
    res = run("outline", DRAFT, "--format", "json")
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert set(data["source"]) >= {"path", "title", "year", "published", "chars"}
    assert data["source"]["year"] == 2024
    for s in data["sections"]:
        assert set(s) >= {"id", "level", "number", "title", "part", "start", "end", "parent"}
    original = Path(DRAFT).read_text(encoding="utf-8")
    first = next(s for s in data["sections"] if s["number"] == "一、")
    assert original[first["start"] : first["end"]].startswith("一、" + first["title"])


def test_outline_text_lists_parts() -> None:
    res = run("outline", DRAFT)
    assert res.exit_code == 0
    assert "二、2025年工作安排  [下一年度工作安排]" in res.stdout
    assert "报告年度：2024" in res.stdout


def test_docx_and_txt_versions_give_the_same_tree() -> None:
    a = json.loads(run("outline", DRAFT, "--format", "json").stdout)["sections"]
    b = json.loads(run("outline", DRAFT_DOCX, "--format", "json").stdout)["sections"]
    assert [(s["level"], s["number"], s["title"], s["part"]) for s in a] == [
        (s["level"], s["number"], s["title"], s["part"]) for s in b
    ]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.txt", b"", "A102"),
        ("blank.txt", b"   \n\n ", "A102"),
        ("binary.txt", bytes(range(256)) * 4, "A103"),
        ("report.xlsx", b"PK\x03\x04", "A104"),
        ("broken.docx", b"not a zip", "A107"),
    ],
)
def test_bad_input_is_one_line_exit_2(tmp_path: Path, name: str, content: bytes, code: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    for cmd in ("outline", "check"):
        assert_one_line_error(run(cmd, str(path)), name, code)


def test_missing_file_is_one_line_exit_2(tmp_path: Path) -> None:
    assert_one_line_error(run("check", str(tmp_path / "nope.txt")), "nope.txt")


def test_bad_file_in_a_list_is_skipped_and_others_finish(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    out = tmp_path / "out"
    res = run("check", str(bad), COMPLETE, "--format", "json", "--output", str(out))
    assert res.exit_code == 1  # as in batch: some reports could not be read, the rest were checked
    assert "bad.txt" in res.stderr
    assert (out / "complete-county-2024.json").exists()
    only_bad = run("check", str(bad), "--format", "json", "--output", str(out))
    assert only_bad.exit_code == 2  # nothing could be checked
    assert run("check", str(bad), COMPLETE, "--nofail", "--output", str(out)).exit_code == 1


def test_check_and_batch_share_one_status_rule() -> None:
    from auditor.errors import ExitStatus, run_status

    assert run_status(checked=0, failed=1, gaps=False) is ExitStatus.ERROR
    assert run_status(checked=3, failed=1, gaps=False) is ExitStatus.GAPS
    assert run_status(checked=3, failed=0, gaps=True) is ExitStatus.GAPS
    assert run_status(checked=3, failed=0, gaps=False) is ExitStatus.OK


def test_check_exit_status_follows_required_items() -> None:
    assert run("check", COMPLETE).exit_code == 0
    assert run("check", DRAFT).exit_code == 1
    assert run("check", DRAFT, "--nofail").exit_code == 0


def test_check_json_validates_against_schema() -> None:
    res = run("check", DRAFT, "--format", "json")
    data = json.loads(res.stdout)
    jsonschema.validate(data, SCHEMA)
    original = Path(DRAFT).read_text(encoding="utf-8")
    for cl in data["checklists"]:
        for item in cl["items"]:
            for ev in item["evidence"]:
                assert original[ev["start"] : ev["end"]] == ev["quote"]


@pytest.mark.parametrize("name", seed_params())
def test_seed_json_validates_and_quotes_are_exact(name: str) -> None:
    path = SEEDS / (name + ".txt")
    data = json.loads(run("check", str(path), "--format", "json").stdout)
    jsonschema.validate(data, SCHEMA)
    original = path.read_text(encoding="utf-8")
    quotes = [ev for cl in data["checklists"] for it in cl["items"] for ev in it["evidence"]]
    assert quotes
    for ev in quotes:
        assert original[ev["start"] : ev["end"]] == ev["quote"]


def test_check_writes_one_report_per_input(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = run("check", COMPLETE, DRAFT, DRAFT_DOCX, "--format", "html", "--output", str(out) + "/")
    assert res.exit_code == 1
    names = sorted(p.name for p in out.iterdir())
    assert names == ["complete-county-2024.html", "draft-township-2024.docx.html", "draft-township-2024.txt.html"]
    page = (out / "complete-county-2024.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<mark>" in page and "青川县" in page


def test_several_inputs_need_a_directory(tmp_path: Path) -> None:
    res = run("check", COMPLETE, DRAFT, "--output", str(tmp_path / "one.txt"))
    assert_one_line_error(res, "A301")


def test_output_never_overwrites_the_input(tmp_path: Path) -> None:
    copy = tmp_path / "r.txt"
    copy.write_text(Path(COMPLETE).read_text(encoding="utf-8"), encoding="utf-8")
    before = copy.read_bytes()
    assert_one_line_error(run("check", str(copy), "--output", str(copy)), "A302")
    assert copy.read_bytes() == before


def test_untrusted_report_text_is_escaped_in_html(tmp_path: Path) -> None:
    evil = tmp_path / "evil.txt"
    evil.write_text(
        "某县2024年度法治政府建设情况报告\n一、主要举措和成效\n"
        "全年办理行政复议案件12件<script>alert(1)</script>。\n",
        encoding="utf-8",
    )
    out = tmp_path / "evil.html"
    run("check", str(evil), "--format", "html", "--output", str(out))
    page = out.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    md = run("check", str(evil), "--format", "md").stdout
    assert "<script>" not in md


def test_user_checklist_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "id: county-extra\ntitle: 县级补充清单\nversion: '1'\nbasis: 本县规定\nitems:\n"
        "  - id: county.legal-aid\n    title: 法律援助\n    cite: 本县规定 第二条\n    severity: required\n"
        "    requirement: 报告法律援助办理情况。\n    advice: 补充法律援助案件数。\n"
        "    terms: [法律援助]\n    examples:\n      hit: [全年办理法律援助案件236件。]\n      miss: [将加强法律援助。]\n",
        encoding="utf-8",
    )
    res = run("check", COMPLETE, "--checklist", str(path), "--format", "json")
    data = json.loads(res.stdout)
    assert [c["id"] for c in data["checklists"]] == ["county-extra"]
    item = data["checklists"][0]["items"][0]
    assert item["id"] == "county.legal-aid"
    assert item["status"] in {"covered", "missing"}
    assert res.exit_code == (0 if item["status"] == "covered" else 1)


def test_bad_checklist_reports_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\ntitle: t\nversion: '1'\nbasis: b\nitems:\n  - id: a.b\n    colour: red\n", encoding="utf-8")
    res = run("check", COMPLETE, "--checklist", str(path))
    assert res.exit_code == 2
    assert f"{path}:7" in res.stderr
    assert "Traceback" not in res.stderr


def test_golden_markdown_of_the_complete_example() -> None:
    """The Markdown gap report is pinned; regenerate with UPDATE_GOLDEN=1 after a deliberate change."""
    md = run("check", "examples/complete-county-2024.txt", "--format", "md").stdout if os.getcwd() == str(ROOT) else None
    if md is None:
        old = os.getcwd()
        os.chdir(ROOT)
        try:
            md = run("check", "examples/complete-county-2024.txt", "--format", "md").stdout
        finally:
            os.chdir(old)
    golden = GOLDEN / "check-complete-county-2024.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(md, encoding="utf-8")
    assert md == golden.read_text(encoding="utf-8")


def test_eval_meets_the_quality_bar() -> None:
    if not GOLD.is_dir():
        pytest.skip(SHARED_REASON)
    res = run("eval", "--gold", str(GOLD), str(SEEDS), "--format", "json")
    data = json.loads(res.stdout)
    assert data["covered_f1"] >= 0.92
    assert data["accuracy"] >= 0.88
    assert data["heading_recall"] == 1.0
    text = run("eval", "--gold", str(GOLD), str(SEEDS)).stdout
    assert "covered-F1" in text and "addressed-F1" in text and "3-class accuracy" in text


def test_oversized_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("一、主要举措\n" + "全年审核规范性文件20件。" * 20, encoding="utf-8")
    assert_one_line_error(run("--max-chars", "100", "check", str(path)), "long.txt", "A105")


def test_reader_closing_the_pipe_is_not_an_internal_error() -> None:
    """`auditor check … | head` ends quietly: no A900, no traceback."""
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-c", "from auditor.cli import main; main()", "checklists", "list"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.close()  # the reader goes away before anything is written
    _, err = proc.communicate(timeout=120)
    assert b"A900" not in err and b"Traceback" not in err, err.decode("utf-8", "replace")
    assert proc.returncode == 0


def test_text_gap_report_puts_each_item_on_its_own_line() -> None:
    """Every status mark opens a line: an evidence line never runs into the next item."""
    res = run("check", DRAFT)
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    marks = ("✔", "◐", "✘", "—")
    items = [ln for ln in lines if ln[:1] in marks]
    assert len(items) >= 40
    assert not [ln for ln in lines if ln[:1] not in marks and any(f"”{m}" in ln for m in marks)]


def test_ctrl_c_during_a_command_is_one_line_exit_130(monkeypatch: pytest.MonkeyPatch) -> None:
    """Interrupted while it works, a command says so in one line and exits 130 (the status
    every command uses for Ctrl-C), never click's bare abort with status 1."""
    import auditor.cli as cli

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "load_checklists", interrupted)
    r = CliRunner().invoke(main, ["check", str(EXAMPLES / "draft-township-2024.txt")])
    assert r.exit_code == 130 and r.output.strip() == "auditor: 已中止。", r.output


@pytest.mark.parametrize(
    ("exc", "said"),
    [(EOFError("Ran out of input"), False), (KeyboardInterrupt(), False), (ValueError("bad state"), True)],
)
def test_a_worker_failing_to_start_says_one_line_at_most(capsys: pytest.CaptureFixture[str], exc: BaseException,
                                                         said: bool) -> None:
    """The fork server hands a worker's uncaught start-up error to ``sys.excepthook``: a
    worker abandoned by a stopping batch (its start data cut off) is silent, anything else
    is one A900 line."""
    import pickle

    from auditor.errors import worker_start_hook

    worker_start_hook(type(exc), exc, None)
    err = capsys.readouterr().err
    assert (err.count("\n") == 1 and "[A900]" in err and "Traceback" not in err) if said else err == ""
    worker_start_hook(pickle.UnpicklingError, pickle.UnpicklingError("pickle data was truncated"), None)
    assert capsys.readouterr().err == ""
