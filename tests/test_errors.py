"""The error catalogue: every message the local page answers comes from it, usage errors are
``UsageError`` with exit status 2 and one line naming the file or option, and every code is
documented (issue 13)."""

from __future__ import annotations

import ast
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from auditor import errors
from auditor.cli import main
from auditor.errors import MESSAGES, OutputError, UsageError

from .conftest import EXAMPLES, ROOT
from .hostile_inputs import REPORT

SERVE = ROOT / "auditor" / "serve"
BASE = "http://127.0.0.1:8765"


def test_every_code_is_documented() -> None:
    doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    missing = [code for code in MESSAGES if f"| {code} |" not in doc]
    assert not missing, f"codes without a row in docs/errors.md: {missing}"


def test_error_line_fills_the_catalogue_entry() -> None:
    assert errors.error_line("A104", "a.xlsx", detail=".xlsx").startswith("a.xlsx: 不支持的文件格式“.xlsx”")
    assert errors.error_line("A401", limit="2.0 MB") == "上传内容过大，上限为 2.0 MB [A401]"
    assert UsageError("A306", "x.lst", detail="坏").format_message() == "x.lst: 无法读取列表文件：坏 [A306]"
    assert errors.internal_error(ZeroDivisionError("x")) == "auditor: 内部错误：ZeroDivisionError: x [A900]"


def _calls(tree: ast.AST, name: str) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)
            and (getattr(n.func, "id", None) == name or getattr(n.func, "attr", None) == name)]


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


@pytest.mark.parametrize("path", sorted(SERVE.glob("*.py")), ids=lambda p: p.name)
def test_the_page_writes_no_message_of_its_own(path: Path) -> None:
    """``RequestError`` and ``error_response`` get a catalogue code and its fields, never a
    message written in the serve module (an ``AuditorError``'s own line is passed on)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for call in _calls(tree, "RequestError"):
        code = call.args[1] if len(call.args) > 1 else None
        if isinstance(code, ast.Constant):
            assert code.value in MESSAGES, f"{path.name}:{call.lineno}: {code.value} is not in the catalogue"
        message = call.args[2] if len(call.args) > 2 else next((k.value for k in call.keywords if k.arg == "message"), None)
        assert message is None or not _is_text(message), f"{path.name}:{call.lineno}: a message written in serve"
    for call in _calls(tree, "error_response"):
        assert len(call.args) >= 5 and not _is_text(call.args[4]), f"{path.name}:{call.lineno}: a message written in serve"
    for call in _calls(tree, "error_line"):
        code = call.args[0]
        assert not isinstance(code, ast.Constant) or code.value in MESSAGES, f"{path.name}:{call.lineno}"


@pytest.fixture(scope="module")
def client(checklists) -> TestClient:
    from auditor.limits import Limits
    from auditor.serve import create_app

    return TestClient(create_app(checklists, Limits(), max_upload=2_000_000), base_url=BASE)


def test_marking_form_and_overrides_upload_refusals(client: TestClient) -> None:
    def shown(page) -> str:
        return lxml.html.document_fromstring(page.text).get_element_by_id("error").text_content()

    sha = "0" * 64
    res = client.post("/overrides", data={"sha256": sha, "file": "a.txt"})
    assert res.status_code == 422 and shown(res) == "没有标记任何条目：请在“人工复核”中为至少一个条目选择结论 [A417]"
    res = client.post("/overrides", data={"sha256": sha, "file": "a.txt", "mark.leadership.report-on-law": "maybe"})
    assert res.status_code == 422 and shown(res) == "条目“leadership.report-on-law”的复核结论无效 [A416]"
    res = client.post("/api/check", files=[("file", ("a.txt", REPORT.encode(), "text/plain")),
                                           ("overrides", ("复核.yaml", "reports: []".encode("gbk") + b"\xff", "text/plain"))])
    assert res.status_code == 422 and res.json() == {"error": "复核.yaml: 人工复核文件不是 UTF-8 编码 [A415]", "code": "A415"}
    page = client.post("/", data={"text": REPORT, "kind": "planet"})
    assert page.status_code == 422 and shown(page).startswith("报告主体层级“planet”无效（可选：") and "[A414]" in shown(page)


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize(("args", "line"), [
    (["batch", str(EXAMPLES), "--output", "{tmp}/out", "--scheduler", "127.0.0.1:8786"],
     "auditor: --scheduler: 仅在 --engine dask 时可用 [A301]"),
    (["batch", "{tmp}/empty", "--output", "{tmp}/out"],
     "auditor: 没有找到可审核的报告（支持 .txt .md .html .htm .docx .pdf .doc .wps 及图片） [A305]"),
    (["batch", "@{tmp}/none.lst", "--output", "{tmp}/out"],
     "auditor: {tmp}/none.lst: 无法读取列表文件：No such file or directory [A306]"),
    (["batch", str(EXAMPLES), "--output", "{tmp}/file.txt"],
     "auditor: {tmp}/file.txt: --output 须为目录，但这是一个已存在的文件 [A301]"),
    (["memo", str(EXAMPLES / "draft-township-2024.txt"), "--format", "docx"],
     "auditor: Word 格式的审核意见需要用 --output 指定输出文件 [A301]"),
    (["serve", "--max-upload", "lots"], "auditor: --max-upload: 无法理解的大小“lots”（示例：20MB、500KB） [A301]"),
], ids=["scheduler-without-dask", "no-reports", "missing-list", "output-is-a-file", "docx-memo-needs-output",
        "max-upload"])
def test_usage_errors_are_one_line_with_status_2(tmp_path: Path, args: list[str], line: str) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    res = run(*(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert res.exit_code == 2
    assert res.stderr.strip() == line.replace("{tmp}", str(tmp_path))


def test_usage_errors_are_not_output_errors(tmp_path: Path) -> None:
    from auditor.batch import _output_folder
    from auditor.batch.inputs import read_list
    from auditor.cli_serve import _size

    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    for call, code in [(lambda: read_list(str(tmp_path / "none.lst")), "A306"),
                       (lambda: _output_folder(tmp_path / "file.txt"), "A301"),
                       (lambda: _size("lots"), "A301")]:
        with pytest.raises(UsageError) as info:
            call()
        assert info.value.code == code and not isinstance(info.value, OutputError)
