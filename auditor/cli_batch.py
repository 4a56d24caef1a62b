"""``auditor batch``: a thin click layer over ``auditor.batch``.

Exit status as in ``check``: 0 = every report checked and every required item covered,
1 = gaps found or some reports could not be processed, 2 = nothing could be processed,
or a usage error (one line on stderr).
"""

from __future__ import annotations

import signal
from pathlib import Path

import click

from .batch_memo import MemoSpec
from .cli_memo import letterhead_from, letterhead_options
from .cli_options import checklist_option, format_option, kind_option, load_checklists, load_overrides, overrides_option
from .errors import UsageError


@click.command(name="batch")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--output", "-o", required=True, metavar="DIR", help="输出目录：每份报告的结果（JSON 及所选格式）和 summary.csv、summary.html、summary.xlsx。")
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="并行进程数；默认为 CPU 核数（可用内存不足时相应减少）。")
@format_option("html", ("html", "md", "text"))
@checklist_option
@kind_option
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条和结束时的统计。")
@click.option("--no-cache", "no_cache", is_flag=True, help="忽略输出目录中的缓存，全部重新审核（缓存随后重建）。")
@click.option("--archive", "archive", metavar="FILE", default=None,
              help="审核归档库（SQLite 文件，不存在则新建）：记录本次审核；已存有同一主体上一年度报告的，汇总表增加年度对比。")
@click.option("--bodies", "bodies_file", metavar="FILE", default=None,
              help="发布主体名称对照文件（YAML：aliases: {别名: 规范名称}），用于识别同一主体。")
@overrides_option
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="执行方式：local 为本机进程池；dask 为 Dask 分布式集群（需安装 auditor[dask]）。")
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="Dask 调度器地址；不指定时在本机启动集群（每个核一个工作进程）。仅用于 --engine dask。")
@click.option("--memos", type=click.Choice(("docx", "md", "html")), default=None,
              help="同时为每份报告生成审核意见（Word、Markdown 或 HTML），以报送单位和年度命名。")
@letterhead_options
def batch(inputs: tuple[str, ...], output: str, workers: int | None, fmt: str, checklists: tuple[str, ...],
          kind: str | None, quiet: bool, no_cache: bool, archive: str | None, bodies_file: str | None,
          overrides_file: str | None, engine: str, scheduler: str | None, memos: str | None, to: str | None,
          issuer: str | None, reviewer: str | None, issued: str | None, config: str | None, detail: str) -> None:
    """批量审核多份报告，并行处理，输出每份结果和汇总表。

    \b
    INPUT 可以是：
      报告文件（.txt .md .html .htm .docx）；
      目录：递归查找上述格式的文件，跳过隐藏文件、README 和输出目录；
      @列表文件：每行一个路径，空行和 # 开头的行忽略，
        相对路径相对于列表文件所在目录；@- 从标准输入读取。

    内容、检查清单和选项均未变化且结果文件仍在的报告，直接沿用上次结果（缓存在输出目录的 .auditor-cache.json）。
    """
    from .batch import Archiving, BatchInterrupted, collect_inputs, run_batch
    from .bodies import load_aliases
    from .progress import progress_bar

    if scheduler and engine != "dask":
        raise UsageError("A301", "--scheduler", detail="仅在 --engine dask 时可用")
    lists = load_checklists(checklists)
    archiving = Archiving(archive, load_aliases(bodies_file), _say) if archive else None
    overrides = load_overrides(overrides_file, lists)
    memo = MemoSpec(memos, detail, letterhead_from(to, issuer, reviewer, issued, config)) if memos else None
    paths = collect_inputs(inputs, exclude=Path(output))
    if archive:
        from .output import refuse_input_target

        refuse_input_target(Path(archive), paths)  # the archive is written: never over a report
        from .archive import Archive

        Archive(archive, notify=_say).close()  # a bad archive is refused before any report is audited
    if not paths:
        raise UsageError("A305")
    bar = progress_bar(quiet)
    previous = signal.signal(signal.SIGTERM, _terminate_as_interrupt)  # SIGTERM behaves like Ctrl-C
    try:
        result = run_batch(paths, output, lists, kind=kind, fmt=fmt, workers=workers,
                           use_cache=not no_cache, progress=bar, archive=archiving, overrides=overrides,
                           engine=engine, scheduler=scheduler, memo=memo)
    except BatchInterrupted as stop:
        if bar:
            bar.close()
            bar = None
        done = stop.result
        click.echo(f"auditor: 运行被中断：本次完成 {len(done.outcomes)}/{done.checked} 份，"
                   f"结果、缓存和汇总已保存到 {output}", err=True)
        raise click.exceptions.Exit(130) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
        if bar:
            bar.close()
    if not quiet:
        _report(result, Path(output))
    raise click.exceptions.Exit(result.exit_code())


def _say(message: str) -> None:
    click.echo(f"auditor: {message}", err=True)


def _terminate_as_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _report(result, folder: Path) -> None:
    """Failures one per line, then one line of totals (stderr)."""
    for r in result.failed:
        click.echo(f"auditor: {r.error}", err=True)
    for r in result.records:
        for message in r.stale:
            click.echo(f"auditor: 警告：{r.path}: {message}", err=True)
    gaps = sum(1 for r in result.records if r.ok and r.required_open)
    click.echo(
        f"共 {len(result.records)} 份报告：本次审核 {result.checked} 份，沿用缓存 {result.cached} 份，"
        f"无法处理 {len(result.failed)} 份；必备项未全部覆盖 {gaps} 份。"
        f"汇总见 {folder / 'summary.html'}、{folder / 'summary.csv'} 和 {folder / 'summary.xlsx'}",
        err=True,
    )
