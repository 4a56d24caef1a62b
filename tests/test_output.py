"""Outputs never touch an input and are replaced only as a whole."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor import output
from auditor.cli import main
from auditor.errors import OutputError

from .hostile_inputs import REPORT, write


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def report(tmp_path: Path) -> Path:
    return write(tmp_path, "report.txt", REPORT)


def _unchanged(path: Path) -> None:
    assert path.read_text(encoding="utf-8") == REPORT


@pytest.mark.parametrize("command", [("check",), ("review",), ("memo", "--format", "md")])
def test_output_equal_to_the_input_is_refused(report: Path, command: tuple[str, ...]) -> None:
    res = run(*command[:1], str(report), *command[1:], "--output", str(report))
    assert res.exit_code == 2
    assert res.stderr.strip() == f"auditor: {report}: 无法写入输出：输出文件与输入文件相同，已拒绝覆盖输入 [A302]"
    _unchanged(report)


def test_output_through_a_symlink_or_hard_link_is_refused(report: Path, tmp_path: Path) -> None:
    (tmp_path / "soft.md").symlink_to(report)
    os.link(report, tmp_path / "hard.md")
    for name in ("soft.md", "hard.md"):
        res = run("check", str(report), "--format", "md", "--output", str(tmp_path / name))
        assert res.exit_code == 2 and "[A302]" in res.stderr, res.stderr
    _unchanged(report)


def test_output_inside_an_input_file_is_refused(report: Path) -> None:
    target = report / "gap.html"
    res = run("check", str(report), "--format", "html", "--output", str(target))
    assert res.exit_code == 2
    assert "输出位置在输入文件" in res.stderr and "[A302]" in res.stderr
    _unchanged(report)


def test_batch_never_writes_over_its_inputs(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    a = write(inbox, "a.txt", REPORT)
    html_input = write(inbox, "a.html", "<p>" + REPORT.replace("\n", "</p><p>") + "</p>")
    before = html_input.read_bytes()
    run("batch", str(a), str(html_input), "--output", str(inbox), "--quiet", "-j", "1")
    assert html_input.read_bytes() == before
    _unchanged(a)


def test_an_interrupted_write_keeps_the_old_output_whole(tmp_path: Path, monkeypatch) -> None:
    target = write(tmp_path, "gap.md", "旧的完整输出")

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", fail)
    with pytest.raises(OutputError) as info:
        output.write_atomic(target, "新的输出" * 1000)
    assert "No space left on device" in str(info.value)
    assert target.read_text(encoding="utf-8") == "旧的完整输出"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gap.md"], "no temporary file is left behind"


def test_an_existing_output_is_replaced_as_a_whole(tmp_path: Path, report: Path) -> None:
    target = write(tmp_path, "gap.md", "x" * 100_000)
    res = run("check", str(report), "--format", "md", "--output", str(target))
    assert res.exit_code == 1
    text = target.read_text(encoding="utf-8")
    assert "x" * 10 not in text and text.startswith("#")
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _special_targets(tmp_path: Path) -> list[tuple[str, Path]]:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "elsewhere.json")
    out = [("fifo", fifo), ("symlink", link)]
    if Path("/dev/full").exists():
        out.append(("device", Path("/dev/full")))
    return out


def test_output_never_replaces_a_device_fifo_or_symlink(tmp_path: Path) -> None:
    """Only regular files are replaced (as root, --output /dev/full used to become a file)."""
    for name, target in _special_targets(tmp_path):
        before = os.lstat(target).st_mode
        with pytest.raises(OutputError, match="A302"):
            output.write_atomic(target, "{}")
        assert os.lstat(target).st_mode == before, name
    assert not (tmp_path / "elsewhere.json").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


def test_check_and_batch_name_outputs_by_one_rule_and_never_twice_alike() -> None:
    """``check --output DIR`` and ``batch`` share ``output_bases``: a stem that collides with
    another input's ``<stem>.<suffix>`` (or differs from it only by case) gets ``-2`` instead
    of the same file name (two gap reports used to overwrite each other)."""
    from auditor.batch import output_bases

    inputs = ["a/r.txt", "b/r.md", "c/r.txt.docx", "d/X.txt", "e/x.md"]
    names = output.output_names(inputs, "html")
    assert names == {"a/r.txt": "r.txt.html", "b/r.md": "r.md.html", "c/r.txt.docx": "r.txt-2.html",
                     "d/X.txt": "X.html", "e/x.md": "x-2.html"}
    assert {p: f"{b}.html" for p, b in output_bases(inputs).items()} == names
