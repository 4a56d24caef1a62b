"""One catalogue of user-facing errors, with codes users and tests can grep.

User errors (bad input file, bad checklist, bad option) are ``AuditorError`` subclasses:
the CLI prints them as one line on stderr and exits with status 2 (``ExitStatus.ERROR``),
never a traceback. Anything else is an internal error (A900) and is reported as such.
"""

from __future__ import annotations

import sys
from enum import IntEnum

import click


class ExitStatus(IntEnum):
    """What a command's exit status means, the same for every command."""

    OK = 0  # every report checked, every required item covered
    GAPS = 1  # required gaps found, or some (not all) reports could not be read
    ERROR = 2  # nothing could be done: bad input, usage or internal error
    INTERRUPTED = 130  # stopped by Ctrl-C or SIGTERM (128 + SIGINT)


def run_status(checked: int, failed: int, gaps: bool) -> ExitStatus:
    """One rule for ``check`` and ``batch``: ERROR when no report could be checked, GAPS when
    any could not be or a checked one has required gaps, else OK."""
    if not checked:
        return ExitStatus.ERROR
    return ExitStatus.GAPS if failed or gaps else ExitStatus.OK


MESSAGES: dict[str, str] = {
    # A1xx: input reports
    "A101": "无法读取文件：{detail}",
    "A102": "文件为空：{detail}",
    "A103": "不是文本文件（疑为二进制内容）：{detail}",
    "A104": "不支持的文件格式“{detail}”，支持 .txt .md .html .htm .docx .pdf .doc .wps 及 .png .jpg .tif 图片",
    "A105": "文件过大（{detail}），上限为 {limit}",
    "A106": "无法识别文件编码：{detail}",
    "A107": "文件内容已损坏：{detail}",
    "A108": "未找到正文内容：{detail}",
    "A109": "分析超时（超过 {limit}），已停止；可用 --timeout 放宽",
    "A110": "请求方已断开，分析已停止",
    "A111": "{detail}",  # a converter or OCR engine that this format needs is not installed
    "A112": "网页自查不接受 {detail} 文件（转换需要写入临时文件，而本页面不在磁盘上保存任何内容）；请在 Word 或 WPS 中另存为 .docx 后上传，或使用命令行 auditor review",
    # A2xx: checklists
    "A201": "{detail}",
    "A202": "找不到检查清单“{detail}”",
    "A203": "找不到检查清单或条目“{detail}”",
    # A3xx: options and outputs
    "A301": "{detail}",
    "A302": "无法写入输出：{detail}",
    "A303": "标注文件有误：{detail}",
    "A304": "无法使用审核归档库：{detail}",
    "A305": "没有找到可审核的报告（支持 .txt .md .html .htm .docx .pdf .doc .wps 及图片）",
    "A306": "无法读取列表文件：{detail}",
    # A4xx: requests to the local page (auditor serve): what only the page and its API answer
    "A401": "上传内容过大，上限为 {limit}",
    "A402": "粘贴的正文过大，上限为 {limit}",
    "A403": "请上传文稿文件，或在文本框中粘贴正文",
    "A404": "一次只能上传一份文稿",
    "A405": "表单字段过多",
    "A406": "表单无法解析：上传的数据不完整或格式有误",
    "A407": "上传中断：长时间未收到数据，请重新上传",
    "A408": "服务器正在处理其他上传，请稍后再试",
    "A409": "不接受的主机名“{detail}”：本服务只在本机地址上提供",
    "A410": "地址不存在（HTTP {http}）",
    "A411": "该地址不支持这种请求方式（HTTP {http}）",
    "A412": "请求无法处理（HTTP {http}）",
    "A413": "找不到检查清单“{detail}”（可选：{choices}）",
    "A414": "报告主体层级“{detail}”无效（可选：{choices}）",
    "A415": "人工复核文件不是 UTF-8 编码",
    "A416": "条目“{detail}”的复核结论无效",
    "A417": "没有标记任何条目：请在“人工复核”中为至少一个条目选择结论",
    # A9xx: the tool itself
    "A900": "内部错误：{detail}",
}


def error_line(code: str, path: str | None = None, **fields: object) -> str:
    """The one line of catalogue entry ``code``: ``<path>: <text> [code]`` (fields fill the text)."""
    text = MESSAGES[code].format(**{"detail": "", "limit": "", **fields})
    where = f"{path}: " if path else ""
    return f"{where}{text} [{code}]"


class AuditorError(click.ClickException):
    """A user error: one line on stderr, exit status 2."""

    exit_code = 2

    def __init__(self, code: str, path: str | None = None, **fields: object) -> None:
        self.code = code
        self.path = path
        super().__init__(error_line(code, path, **fields))

    def format_message(self) -> str:
        """The one-line message, already carrying the file name and code."""
        return self.message

    def show(self, file: object = None) -> None:
        """Print ``auditor: <file>: <what is wrong> [code]`` on stderr (click prints "Error:")."""
        click.echo(f"auditor: {self.message}", err=True)


class InputError(AuditorError):
    """A report file that cannot be read, decoded or understood."""


class ChecklistError(AuditorError):
    """A checklist file that fails validation (message is ``file:line: problem``)."""


class OutputError(AuditorError):
    """An output that cannot be written."""


class UsageError(AuditorError):
    """An option, or a combination of options, that makes no sense."""


def internal_error(exc: BaseException) -> str:
    """The one line for an error of the tool itself (a bug to report, not the user's fault)."""
    return "auditor: " + error_line("A900", detail=f"{type(exc).__name__}: {exc}")


def worker_start_hook(exc_type: type[BaseException], exc: BaseException, tb: object) -> None:
    """``sys.excepthook`` of a batch worker that fails before its first task (the fork server
    hands uncaught errors to it). A worker whose start data was cut off, or that was
    interrupted, was abandoned by a batch that is stopping: nothing to say. Anything else is
    one line, never a traceback."""
    import pickle

    if issubclass(exc_type, EOFError | pickle.UnpicklingError | KeyboardInterrupt):
        return
    sys.stderr.write(internal_error(exc) + "\n")


_OS_REASONS = {2: "文件不存在", 13: "没有读取权限", 20: "路径中有一级不是目录", 21: "是目录而不是文件"}


def os_reason(exc: OSError) -> str:
    """An OS error in Chinese, with the English cause kept for searching."""
    cause = exc.strerror or type(exc).__name__
    return f"{_OS_REASONS[exc.errno]}（{cause}）" if exc.errno in _OS_REASONS else cause
