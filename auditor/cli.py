"""Command line: a thin click layer over the library.

Exit status, everywhere: 0 = every required item covered (or nothing to judge),
1 = gaps found, 2 = usage or input error (one line on stderr, never a traceback),
130 = interrupted (Ctrl-C or SIGTERM; one line, whenever it comes).
"""

from __future__ import annotations

import os
import signal
import sys


def _interrupted_while_starting(signum: int, frame: object) -> None:
    """Ctrl-C while the command is still being imported: one line and exit 130, no traceback
    (nothing has been read or written yet)."""
    os.write(2, "auditor: 已中止。\n".encode())
    os._exit(130)  # ExitStatus.INTERRUPTED; the errors module may not be imported yet


try:  # only the main thread may set handlers; a library import from another thread keeps them
    _SIGINT_BEFORE = signal.signal(signal.SIGINT, _interrupted_while_starting)
except ValueError:
    _SIGINT_BEFORE = None

import dataclasses  # (after the start-up handler above, which must come first)
import json
import math
from pathlib import Path
from typing import Any

import click

from . import __version__, cli_i18n, limits
from .cli_options import (
    EXTENSIONS,
    checklist_option,
    echo_warnings,
    emit,
    format_option,
    kind_option,
    load_checklists,
    load_overrides,
    overrides_option,
)
from .errors import AuditorError, ExitStatus, UsageError, internal_error, run_status
from .lang.signals import STATEMENT_LABELS as KIND_LABELS


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


class Group(click.Group):
    """Turns unexpected exceptions into a one-line internal error (exit 2)."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; an unexpected exception becomes one line and exit status 2."""
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("auditor: 已中止。", err=True)
            ctx.exit(ExitStatus.INTERRUPTED)
        except BrokenPipeError:
            # The reader went away (`auditor explain … | head`): not an error of ours.
            _silence_stdout()
            ctx.exit(ExitStatus.OK)
        except Exception as exc:  # noqa: BLE001 - last-resort guard for users
            click.echo(internal_error(exc), err=True)
            ctx.exit(ExitStatus.ERROR)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="auditor", message="%(prog)s，版本 %(version)s", help="显示版本号并退出。")
@click.option("--max-size", metavar="SIZE", help="单个输入文件的大小上限，如 20MB（默认 20MB，或环境变量 AUDITOR_MAX_SIZE）。")
@click.option("--max-chars", type=click.IntRange(min=1), metavar="N", help="送入分析的正文字数上限（默认 1,000,000，或 AUDITOR_MAX_CHARS）。")
@click.option("--timeout", type=click.FloatRange(min=0, max=limits.MAX_TIMEOUT), metavar="SEC", help="每份报告的分析时限，秒；0 为不限（默认 120，或 AUDITOR_TIMEOUT）。")
@click.pass_context
def main(ctx: click.Context, max_size: str | None, max_chars: int | None, timeout: float | None) -> None:
    """法治政府建设年度报告合规审核工具（auditor）。"""
    token = limits.set_current(_limits(max_size, max_chars, timeout))
    ctx.call_on_close(lambda: limits.reset(token))


def _limits(max_size: str | None, max_chars: int | None, timeout: float | None) -> limits.Limits:
    """The environment's limits with the command-line options applied on top."""
    changes: dict[str, Any] = {}
    if max_size is not None:
        try:
            changes["max_bytes"] = limits.parse_size(max_size)
        except ValueError:
            raise UsageError("A301", "--max-size", detail=f"无法理解的大小“{max_size}”（示例：20MB、500KB，上限 10GB）") from None
    if max_chars is not None:
        changes["max_chars"] = max_chars
    if timeout is not None:
        if not math.isfinite(timeout):  # click's FloatRange lets nan through
            raise UsageError("A301", "--timeout", detail=f"时限“{timeout}”无效：应为 0 至 604800 的秒数（0 为不限）")
        changes["timeout"] = timeout
    return dataclasses.replace(limits.Limits.from_env(), **changes)


@main.command()
@click.argument("file", type=click.Path())
@format_option("text", ("text", "json"))
def outline(file: str, fmt: str) -> None:
    """显示报告的章节结构、各部分归属和元数据。"""
    from .pipeline import read_outline
    from .render import outline_dict, render_outline_text

    tree = read_outline(file)
    echo_warnings(tree.doc)
    if fmt == "json":
        click.echo(json.dumps(outline_dict(tree), ensure_ascii=False, indent=2))
    else:
        click.echo(render_outline_text(tree), nl=False)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@checklist_option
@kind_option
@format_option("text")
@click.option("--output", "-o", metavar="FILE|DIR", help="输出文件；多个报告时为输出目录。")
@click.option("--nofail", is_flag=True, help="有缺项时也以状态 0 退出。")
@overrides_option
def check(files: tuple[str, ...], checklists: tuple[str, ...], kind: str | None, fmt: str, output: str | None, nofail: bool,
          overrides_file: str | None) -> None:
    """逐项检查报告是否覆盖检查清单要求，并给出证据。"""
    from .errors import InputError
    from .output import is_dir_target, output_names
    from .pipeline import check as run_check
    from .pipeline import exit_status, read_outline
    from .render import render_report

    lists = load_checklists(checklists)
    overrides = load_overrides(overrides_file, lists)
    to_dir = output is not None and bool(output) and is_dir_target(output, len(files))
    if output and len(files) > 1 and not to_dir:
        raise UsageError("A301", output, detail="多个报告需要以目录作为 --output")
    names = output_names(list(files), EXTENSIONS[fmt]) if to_dir else {}
    reports, failed = [], 0
    for f in files:
        try:
            with limits.deadline(f):  # reading, outline, matching and rendering share the limit
                report = run_check(read_outline(f), lists, kind, overrides)
                text = render_report(report, fmt)
        except InputError as exc:
            click.echo(f"auditor: {exc.format_message()}", err=True)
            failed += 1
            continue
        echo_warnings(report.outline.doc)
        reports.append(report)
        target = str(Path(output) / names[f]) if to_dir and output else output
        if target is None and len(files) > 1 and fmt == "text":
            text = text + "\n"
        emit(text, target, protect=list(files))
        if target:
            click.echo(f"已写入 {target}", err=True)
    gaps = not nofail and exit_status(reports) == ExitStatus.GAPS
    raise click.exceptions.Exit(run_status(len(reports), failed, gaps))


@main.command()
@click.argument("file", type=click.Path())
@click.argument("item_id")
@checklist_option
def explain(file: str, item_id: str, checklists: tuple[str, ...]) -> None:
    """列出报告中涉及某一条目的每一句：语句类型、依据词语，以及是否计为已开展的工作。"""
    from .checklist import find_item
    from .match import hits_for, prepare, register_terms
    from .match.mention import ranked
    from .outline import section_path
    from .pipeline import read_outline

    lists = load_checklists(checklists)
    item = find_item(item_id, lists)
    if item is None:
        raise AuditorError("A203", item_id)
    tree = read_outline(file)
    with limits.deadline(file):
        hits = ranked(hits_for(item, prepare(tree, register_terms(lists))))
    click.echo(f"{item.title}（{file}）：涉及本条目的语句 {len(hits)} 句，按证据强弱排列")
    for h in hits:
        doc = tree.doc
        cues = "、".join(f"“{doc.quote(h.unit.start + a, h.unit.start + b)}”" for a, b in h.statement.cues)
        counted = "计为已开展的工作" if h.strong else "不计"
        click.echo(f"[{KIND_LABELS[h.kind]}｜{counted}] {section_path(tree, h.unit.section)}")
        click.echo(f"    “{doc.quote(h.unit.start, h.unit.end).strip()}”")
        if cues:
            click.echo(f"    依据：{cues}")


@main.command(name="eval")
@click.option("--gold", "gold_dir", required=True, type=click.Path(), help="标注目录（YAML）。")
@click.option("--split", "split_file", type=click.Path(), default=None,
              help="留出集文件（YAML，held_out 列表）：另行列出调校集与留出集的指标。")
@click.option("--statements", "statements_file", type=click.Path(), default=None,
              help="语句类型标注（TSV）：另行列出语句类型判断的准确率。")
@click.argument("reports", nargs=-1, required=True, type=click.Path())
@checklist_option
@format_option("text", ("text", "json"))
def eval_cmd(gold_dir: str, reports: tuple[str, ...], checklists: tuple[str, ...], fmt: str,
             split_file: str | None, statements_file: str | None) -> None:
    """与人工标注比较：逐项差异、covered-F1、addressed-F1、三分类准确率、证据命中率。"""
    from .evaluate import (
        eval_json,
        evaluate,
        evaluate_statements,
        format_statements,
        format_text,
        load_split,
        statements_json,
    )

    if not Path(gold_dir).is_dir():
        raise AuditorError("A303", gold_dir, detail="不是目录" if Path(gold_dir).exists() else "目录不存在")
    held_out = load_split(Path(split_file)) if split_file else set()
    lists = load_checklists(checklists)
    result = evaluate(Path(gold_dir), reports, lists)
    if not result.docs:
        raise AuditorError("A303", gold_dir, detail="没有找到与标注对应的报告")
    statements = None
    if statements_file:
        if not Path(statements_file).is_file():
            raise AuditorError("A303", statements_file, detail="文件不存在")
        statements = evaluate_statements(Path(statements_file), Path(reports[0]), lists)
    if fmt == "json":
        out = eval_json(result, held_out)
        if statements is not None:
            out["statements"] = statements_json(statements)
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        click.echo(format_text(result, held_out), nl=False)
        if statements is not None:
            click.echo(format_statements(statements), nl=False)


def _register_subcommands() -> None:
    """Attach the commands that live in their own modules (they import this one)."""
    from .cli_batch import batch
    from .cli_checklists import checklists
    from .cli_compare import compare, history
    from .cli_memo import memo, review
    from .cli_serve import serve

    for command in (checklists, memo, review, batch, serve, compare, history):
        main.add_command(command)


_register_subcommands()
cli_i18n.install()
cli_i18n.localise(main)
if _SIGINT_BEFORE is not None:  # started: Ctrl-C is KeyboardInterrupt again (or ignored, if it was)
    signal.signal(signal.SIGINT, _SIGINT_BEFORE)

if __name__ == "__main__":  # pragma: no cover
    main()
