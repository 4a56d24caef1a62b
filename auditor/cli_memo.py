"""``auditor memo`` (审核意见 for a supervisor) and ``auditor review`` (自查 for an author).

Both run the same pipeline as ``auditor check`` plus the draft-defect checks, and exit
like it: 0 when every required item is covered, 1 when gaps remain, 2 on input or usage
errors (one line on stderr). Outputs are written atomically and never over the input.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from .audit import Audit, audit_draft
from .cli_options import (
    checklist_option,
    echo_warnings,
    emit,
    format_option,
    kind_option,
    load_checklists,
    load_overrides,
    overrides_option,
)
from .errors import UsageError
from .letterhead import DETAILS, Letterhead, load_letterhead, merge, parse_date

_SUFFIX_FORMATS = {".docx": "docx", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


def run(file: str, checklists: tuple[str, ...], kind: str | None, overrides_file: str | None = None) -> Audit:
    """Read, check and scan one report (input errors propagate as AuditorError)."""
    lists = load_checklists(checklists)
    checked = audit_draft(file, lists, kind, load_overrides(overrides_file, lists))
    echo_warnings(checked.doc)
    return checked


def memo_format(fmt: str | None, output: str | None) -> str:
    """The memo format: as given, else from the output's suffix, else Word."""
    if fmt:
        return fmt
    if output:
        return _SUFFIX_FORMATS.get(Path(output).suffix.lower(), "docx")
    return "docx"


def letterhead_options(f: Callable) -> Callable:
    """``--to``, ``--from``, ``--reviewer``, ``--date``, ``--config`` and ``--detail``: who the
    memo goes to and comes from, and how much it says (shared by ``memo`` and ``batch``)."""
    options = (
        click.option("--to", "to", metavar="ORG", help="主送机关，如“临江市人民政府”；不填则留空待填。"),
        click.option("--from", "issuer", metavar="ORG", help="落款（发文机关），也写入文档属性的作者；不填则留空待填。"),
        click.option("--reviewer", metavar="NAME", help="审核人；不填则留空待填。"),
        click.option("--date", "issued", metavar="YYYY-MM-DD", help="成文日期（默认今天）。"),
        click.option("--config", "config", type=click.Path(), metavar="FILE",
                     help="审核意见配置文件（YAML：主送、落款、审核人）；命令行选项优先。"),
        click.option("--detail", type=click.Choice(DETAILS), default="brief", show_default=True,
                     help="brief：简明审核意见（约 2–3 页）；full：逐项列出依据要求、原文和修改意见。"),
    )
    for option in reversed(options):
        f = option(f)
    return f


def letterhead_from(to: str | None, issuer: str | None, reviewer: str | None, issued: str | None,
                    config: str | None) -> Letterhead:
    """The letterhead of the options, over the config file's."""
    from datetime import date

    base = load_letterhead(config) if config else Letterhead()
    return merge(base, to, issuer, reviewer, parse_date(issued) if issued else date.today())


@click.command()
@click.argument("file", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(("docx", "md", "html")), default=None,
              help="输出格式：docx（默认，可由输出文件扩展名推断）、md、html。")
@click.option("--output", "-o", metavar="FILE", help="输出文件（docx 格式必填）。")
@checklist_option
@kind_option
@overrides_option
@letterhead_options
def memo(file: str, fmt: str | None, output: str | None, checklists: tuple[str, ...], kind: str | None,
         overrides_file: str | None, to: str | None, issuer: str | None, reviewer: str | None, issued: str | None,
         config: str | None, detail: str) -> None:
    """生成审核意见（供审核人员使用），输出 Word、Markdown 或 HTML。"""
    from .memo import build_memo, render_memo
    from .pipeline import exit_status

    fmt = memo_format(fmt, output)
    if fmt == "docx" and not output:
        raise UsageError("A301", detail="Word 格式的审核意见需要用 --output 指定输出文件")
    head = letterhead_from(to, issuer, reviewer, issued, config)
    checked = run(file, checklists, kind, overrides_file)
    result = build_memo(checked.report, checked.defects, checked.report.level, letterhead=head)
    emit(render_memo(result, fmt, detail), output, protect=[file])
    if output:
        click.echo(f"已写入 {output}", err=True)
    raise click.exceptions.Exit(exit_status([checked.report]))


@click.command()
@click.argument("file", type=click.Path())
@format_option("text", ("text", "html", "md", "docx"))
@click.option("--output", "-o", metavar="FILE", help="输出文件；默认输出到屏幕（docx 格式必填）。")
@checklist_option
@kind_option
@overrides_option
def review(file: str, fmt: str, output: str | None, checklists: tuple[str, ...], kind: str | None,
           overrides_file: str | None) -> None:
    """自查：按先后顺序列出文稿需要修改的地方（供报告起草人使用）；docx 格式把自查意见以批注写入原 Word 文稿。"""
    from .review import build_review, render_review

    if fmt == "docx":
        from .review_docx import check_request

        check_request(file, output)
    checked = run(file, checklists, kind, overrides_file)
    result = build_review(checked.report, checked.defects)
    if fmt == "docx":
        from .review_docx import commented_file

        emit(commented_file(file, result, checked.report), output, protect=[file])
    else:
        emit(render_review(result, fmt), output, protect=[file])
    if output:
        click.echo(f"已写入 {output}", err=True)
    raise click.exceptions.Exit(result.exit_status)
