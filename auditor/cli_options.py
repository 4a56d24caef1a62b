"""Options and helpers shared by every command module (no commands live here).

Kept apart from ``cli.py`` so command modules can import them without importing the
command group that registers them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # the overrides module is loaded only when a file is given
    from .overrides import Overrides

FORMATS = ("text", "json", "md", "html")
EXTENSIONS = {"text": "txt", "json": "json", "md": "md", "html": "html"}
KINDS = ("province", "city", "county", "township", "department")


def checklist_option(f: Callable) -> Callable:
    """``--checklist ID|PATH``, repeatable; default: every built-in checklist."""
    return click.option(
        "--checklist",
        "checklists",
        multiple=True,
        metavar="ID|PATH",
        help="检查清单 ID，或用户自备清单文件/目录（可重复）；默认使用全部内置清单。",
    )(f)


def kind_option(f: Callable) -> Callable:
    """``--kind``: the reporting level, which makes some items required."""
    return click.option(
        "--kind",
        type=click.Choice(KINDS),
        default=None,
        help="报告主体层级（省/市/县/乡镇/部门）；默认由发布机关或标题推断。决定条目是否适用、是否为必备项。",
    )(f)


def overrides_option(f: Callable) -> Callable:
    """``--overrides FILE``: a supervisor's decisions (人工复核) that set chosen verdicts."""
    return click.option(
        "--overrides",
        "overrides_file",
        metavar="FILE",
        default=None,
        help="人工复核文件（YAML）：按报告的 sha256 改定指定条目的结论，输出中注明“人工复核”。",
    )(f)


def load_overrides(path: str | None, checklists: list) -> Overrides | None:
    """The validated overrides file, or None (unknown items are an error naming file:line)."""
    if not path:
        return None
    from .overrides import load

    return load(path, (i.id for c in checklists for i in c.items))


def format_option(default: str, choices: tuple[str, ...] = FORMATS) -> Callable:
    """``--format`` from a closed list."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True, help="输出格式。")


def load_checklists(specs: tuple[str, ...]) -> list:
    """Resolve checklist specs (built-in ids, files, folders)."""
    from .checklist import resolve

    return resolve(list(specs))


def emit(text: str | bytes, output: str | None, protect: list[str]) -> None:
    """Write to a file atomically, or to stdout."""
    from .output import write_atomic

    if output:
        write_atomic(output, text, protect=protect)
    elif isinstance(text, bytes):
        sys.stdout.buffer.write(text)
    else:
        click.echo(text, nl=False)


def echo_warnings(doc: object) -> None:
    """What ingest or matching had to guess or drop, one ``auditor: 警告：`` line each on stderr."""
    for message in getattr(doc, "warnings", ()):
        click.echo(f"auditor: 警告：{getattr(doc, 'path', '')}: {message}", err=True)
