"""``auditor compare`` and ``auditor history``: a body's reports across years.

Exit status: 0 when the comparison was made (it judges nothing, so it never "fails"),
2 for a usage or input error (one line on stderr).
"""

from __future__ import annotations

import click

from . import limits
from .cli_options import checklist_option, echo_warnings, emit, format_option, kind_option, load_checklists

ARCHIVE_DEFAULT = "audit.db"


def indicators_option(f):
    """``--indicators FILE``: the indicator list (default: the shipped one)."""
    return click.option("--indicators", "indicators_file", metavar="FILE", default=None,
                        help="指标清单（YAML）；默认使用内置的 checklists/indicators/indicators.yaml。")(f)


def bodies_option(f):
    """``--bodies FILE``: the body-name mapping file."""
    return click.option("--bodies", "bodies_file", metavar="FILE", default=None,
                        help="发布主体名称对照文件（YAML：aliases: {别名: 规范名称}），用于识别同一主体。")(f)


@click.command(name="compare")
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@checklist_option
@kind_option
@indicators_option
@bodies_option
@format_option("text")
@click.option("--output", "-o", metavar="FILE", help="输出文件（默认输出到屏幕）。")
def compare(old: str, new: str, checklists: tuple[str, ...], kind: str | None, indicators_file: str | None,
            bodies_file: str | None, fmt: str, output: str | None) -> None:
    """对比同一主体相邻两个年度的报告（OLD 为上一年度，NEW 为本年度）。

    \b
    列出：覆盖变化（新增覆盖、不再覆盖、仍然缺失）、上年工作安排的落实情况、
    连续出现的问题、沿用上年的文字及其占比、两年均报告的量化指标。
    """
    from .bodies import load_aliases
    from .compare import compare as run_compare
    from .compare_render import render_comparison
    from .indicators import load as load_indicators
    from .pipeline import check, read_outline

    lists = load_checklists(checklists)
    ind = load_indicators(indicators_file)
    aliases = load_aliases(bodies_file)
    reports = []
    for f in (old, new):
        with limits.deadline(f):
            reports.append(check(read_outline(f), lists, kind))
        echo_warnings(reports[-1].doc)
    with limits.deadline(new):
        result = run_compare(reports[0], reports[1], lists, ind, aliases)
        text = render_comparison(result, fmt)
    for w in result.warnings:
        click.echo(f"auditor: 警告：{w}", err=True)
    emit(text, output, protect=[old, new])
    if output:
        click.echo(f"已写入 {output}", err=True)


@click.command(name="history")
@click.argument("body")
@click.option("--archive", "archive", metavar="FILE", default=ARCHIVE_DEFAULT, show_default=True,
              help="审核归档库（由 auditor batch --archive 写入）。")
@checklist_option
@kind_option
@indicators_option
@bodies_option
@format_option("text", ("text", "json"))
def history(body: str, archive: str, checklists: tuple[str, ...], kind: str | None, indicators_file: str | None,
            bodies_file: str | None, fmt: str) -> None:
    """列出某一主体在归档库中的历年报告、覆盖情况，以及相邻两年的对比。

    BODY 为主体名称，全称、简称均可（如“上海市浦东新区人民政府”或“浦东新区”）。
    """
    import json
    from pathlib import Path

    from .archive import Archive, ArchiveError
    from .bodies import load_aliases
    from .compare import compare as run_compare
    from .compare_render import comparison_dict, render_comparison
    from .indicators import load as load_indicators
    from .yoy import report_from_bytes

    if not Path(archive).is_file():
        raise ArchiveError(archive, "归档库文件不存在（先运行 auditor batch … --archive FILE）")
    lists = load_checklists(checklists)
    ind = load_indicators(indicators_file)
    aliases = load_aliases(bodies_file)
    with Archive(archive, aliases) as arc:
        rows = arc.reports_of(body)
        if not rows:
            raise ArchiveError(archive, f"归档库中没有主体“{body}”的报告")
        reports = []
        for r in rows:
            raw, _ = arc.content(r.sha256)
            with limits.deadline(r.path):
                reports.append(report_from_bytes(raw, r.path, lists, kind))
    pairs = []
    for (ra, a), (rb, b) in zip(zip(rows, reports, strict=False), zip(rows[1:], reports[1:], strict=False), strict=False):
        if ra.year is not None and rb.year is not None and rb.year > ra.year:
            with limits.deadline(rb.path):
                pairs.append(run_compare(a, b, lists, ind, aliases))
    if fmt == "json":
        out = {"body": rows[-1].body, "reports": [_row_dict(r) for r in rows],
               "comparisons": [comparison_dict(c) for c in pairs]}
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    click.echo(f"{rows[-1].body}：归档库中共 {len(rows)} 份报告")
    for r in rows:
        click.echo(f"  {r.year or '年度未识别'}　{r.title or r.path}　得分 {r.score}　"
                   f"已覆盖 {r.covered}　部分覆盖 {r.partial}　缺失 {r.missing}（审核 {r.audits} 次）")
    for c in pairs:
        click.echo("")
        click.echo(render_comparison(c, "text"), nl=False)


def _row_dict(r) -> dict:
    return {"sha256": r.sha256, "year": r.year, "title": r.title, "level": r.level, "published": r.published,
            "path": r.path, "score": r.score, "covered": r.covered, "partial": r.partial, "missing": r.missing,
            "audits": r.audits}
