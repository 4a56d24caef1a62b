"""``auditor checklists``: list, show and validate checklists.

A thin click layer over auditor.checklist: commands call the library and let
ChecklistError (a ClickException) surface as one message with exit status 2.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

import click

from .checklist import (
    KIND_LABELS,
    NEEDS_LABELS,
    PART_LABELS,
    SEVERITY_LABELS,
    SUBSTANCE_LABELS,
    TYPE_LABELS,
    Checklist,
    ChecklistProblems,
    Item,
    Problem,
    builtin_checklists,
    builtin_families,
    duplicate_problems,
    find_item,
    load_checklist,
    resolve,
    yaml_files,
)
from .errors import ChecklistError, ExitStatus

F = TypeVar("F", bound=Callable[..., object])


def checklist_option(func: F) -> F:
    """The shared ``--checklist PATH`` option (repeatable)."""
    return click.option(
        "--checklist",
        "extra",
        multiple=True,
        type=click.Path(),
        help="追加用户自定义检查清单（YAML 文件或其所在目录），可重复使用。",
    )(func)


def available(extra: Sequence[str]) -> list[Checklist]:
    """Built-in checklists plus the user's, loaded as one set (ids must stay unique)."""
    if not extra:
        return list(builtin_checklists())
    return resolve([c.id for c in builtin_checklists()] + list(extra))


@click.group("checklists")
def checklists() -> None:
    """查看和校验检查清单。"""


@checklists.command("list")
@click.option("--items", "show_items", is_flag=True, help="同时列出每个清单的条目。")
@checklist_option
def list_command(show_items: bool, extra: tuple[str, ...]) -> None:
    """列出可用的检查清单（ID、版本、条目数、适用年度、适用层级、标题）。"""
    for checklist in available(extra):
        click.echo(f"{checklist.id}\t{checklist.version}\t{len(checklist.items)} 项\t{period_text(checklist)}\t"
                   f"{levels_text(checklist.items)}\t{checklist.title}")
        if show_items:
            for item in checklist.items:
                extra_bits = "".join(f"\t{b}" for b in _item_fit(item, checklist))
                click.echo(f"  {item.id}\t[{SEVERITY_LABELS[item.severity]}]\t{item.title}{extra_bits}")


def years_text(years: tuple[int | None, int | None]) -> str:
    """“2021—2025年度”, “2024年度起”, “各年度”."""
    start, end = years
    if start and end:
        return f"{start}—{end}年度"
    if start:
        return f"{start}年度起"
    if end:
        return f"{end}年度及以前"
    return "各年度"


def period_text(checklist: Checklist) -> str:
    """The checklist's years, and how many items stay in force after its end."""
    text = years_text(checklist.years)
    end = checklist.years[1]
    if end is not None:
        after = sum(i.applies_in(end + 1) for i in checklist.items)
        text += f"（{end + 1}年度起仍适用{after}项）"
    return text


LEVEL_WORDS = {"province": "省", "city": "市", "county": "县", "township": "乡镇", "department": "部门"}


def levels_text(items: Iterable[Item]) -> str:
    """Which levels the checklist's items apply to: “各层级”, or per level how many items."""
    items = list(items)
    limited = [i for i in items if i.applies_to]
    if not limited:
        return "各层级"
    counts = {k: sum(i.applies_to_kind(k) for i in items) for k in LEVEL_WORDS}
    return "层级：" + "、".join(f"{w}{counts[k]}项" for k, w in LEVEL_WORDS.items())


def _item_fit(item: Item, checklist: Checklist) -> list[str]:
    """An item's own years and levels, where they differ from its checklist's."""
    bits = []
    if item.years != checklist.years:
        bits.append(years_text(item.years))
    if item.applies_to:
        bits.append("适用：" + "、".join(KIND_LABELS[k] for k in item.applies_to))
    return bits


@checklists.command("show")
@click.argument("ident", metavar="ID")
@checklist_option
def show_command(ident: str, extra: tuple[str, ...]) -> None:
    """显示一个检查清单或一个条目的详细内容。"""
    loaded = available(extra)
    checklist = next((c for c in loaded if c.id == ident), None)
    if checklist is not None:
        lines = checklist_lines(checklist)
    elif (item := find_item(ident, loaded)) is not None:
        lines = item_lines(item)
    else:
        raise ChecklistError("A203", detail=ident)
    click.echo("\n".join(lines))


@checklists.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@checklist_option
@click.pass_context
def validate_command(ctx: click.Context, files: tuple[str, ...], extra: tuple[str, ...]) -> None:
    """校验检查清单文件；全部通过时退出码为 0，否则为 2。

    各文件之间（以及与 --checklist 追加的清单之间）的条目 ID 也须互不重复。
    """
    loaded: list[Checklist] = []
    failed = False
    try:  # families of the shipped lists are usable everywhere (unless those are broken)
        shared = builtin_families()
    except ChecklistProblems:
        shared = {}
    for path in expand(files):
        try:
            checklist = load_checklist(path, shared)
            shared.update(checklist.families)
        except ChecklistProblems as exc:
            failed = True
            echo_problems(exc.problems)
            continue
        loaded.append(checklist)
        click.echo(f"{path}: 通过（{len(checklist.items)} 项）")
    # NOTE: the extras go first, so a clash is reported on the file being validated.
    paths = {c.path for c in loaded}
    others = [c for c in (resolve(list(extra)) if extra else []) if c.path not in paths]
    clashes = [p for p in duplicate_problems(others + loaded) if p.path in paths]
    if clashes:
        failed = True
        echo_problems(clashes)
    if failed:
        ctx.exit(ExitStatus.ERROR)


# ---------------------------------------------------------------- helpers
def expand(paths: Iterable[str]) -> list[Path]:
    """Files as given, folders replaced by their YAML files."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        out.extend(yaml_files(path) if path.is_dir() else [path])
    return out


def echo_problems(problems: Iterable[Problem]) -> None:
    """One ``path:line: message`` line per problem."""
    for problem in problems:
        click.echo(str(problem))


def checklist_lines(checklist: Checklist) -> list[str]:
    """A checklist's fields under Chinese labels, then its items."""
    lines = [
        f"检查清单：{checklist.id}",
        f"标题：{checklist.title}",
        f"版本：{checklist.version}",
        f"依据：{checklist.basis}",
    ]
    if checklist.description:
        lines.append(f"说明：{checklist.description}")
    lines += [f"文件：{checklist.path}", f"条目（{len(checklist.items)} 项）："]
    lines += [f"  {i.id}\t[{SEVERITY_LABELS[i.severity]}]\t{i.title}" for i in checklist.items]
    return lines


def _join(values: Iterable[str], labels: dict[str, str] | None = None) -> str:
    return "、".join(f"{labels[v]}（{v}）" if labels else v for v in values)


def item_lines(item: Item) -> list[str]:
    """An item's fields under Chinese labels (empty optional fields are left out)."""
    severity = SEVERITY_LABELS[item.severity]
    if item.required_for:
        severity += f"；对{_join(item.required_for, KIND_LABELS)}为必备"
    lines = [
        f"条目：{item.id}",
        f"所属清单：{item.checklist}",
        f"标题：{item.title}",
        f"依据条款：{item.cite}",
        f"重要程度：{severity}",
        f"适用年度：{years_text(item.years)}",
        f"适用层级：{'、'.join(KIND_LABELS[k] for k in item.applies_to) if item.applies_to else '各层级'}",
        *([f"不适用的理由：{item.not_applicable}"] if item.not_applicable else []),
        f"类型：{TYPE_LABELS[item.type]}（{item.type}）",
        f"要求：{item.requirement}",
        f"补充建议：{item.advice}",
    ]
    optional = [
        ("判断部分", _join([item.part], PART_LABELS) if item.part else ""),
        ("附加要求", _join(item.needs, NEEDS_LABELS)),
        ("检索词", _join(item.terms)),
        ("书名号内检索的法规名称", _join(item.titles)),
        ("正则表达式", _join(p.pattern for p in item.patterns)),
        ("组合条件", "；".join(" + ".join("|".join(e) for e in g) for g in item.all_of)),
        ("排除", _join(p.pattern for p in item.exclude)),
    ]
    if item.type == "mention":
        optional += [
            ("计入部分", _join(item.parts, PART_LABELS)),
            ("实质信号", _join(item.substance, SUBSTANCE_LABELS)),
            ("最少证据数", str(item.min_evidence)),
        ]
    lines += [f"{label}：{value}" for label, value in optional if value]
    for label, examples in (("示例（应命中）", item.examples.hit), ("示例（仅提及，应判部分满足）", item.examples.named),
                            ("示例（不应命中）", item.examples.miss)):
        if examples:
            lines.append(f"{label}：")
            lines += [f"  - {e}" for e in examples]
    lines.append(f"文件：{item.path}:{item.line}")
    return lines

