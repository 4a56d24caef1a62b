"""click's own words in Chinese: help ("Show this message and exit", "[required]"), usage
lines and usage errors.

click looks its messages up with ``gettext`` through module-level ``_`` and ``ngettext``
names; ``install()`` points those names at the table below (message catalogues would need
.mo files and a locale). A message not in the table stays as click wrote it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import click

MESSAGES: dict[str, str] = {
    "Usage:": "用法：",  # click adds a space after it
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "Try '{command} {option}' for help.": "用“{command} {option}”查看帮助。",
    "Error: {message}": "错误：{message}",
    "Aborted!": "已中止。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option: {name}": "没有选项：{name}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受取值。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Invalid value: {message}": "取值无效：{message}",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean.": "{value!r} 不是有效的布尔值。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是目录。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "integer": "整数",
    "float": "数",
    "unknown error": "未知错误",
    "argument": "参数",
    "option": "选项",
    "parameter": "参数",
}
PLURALS: dict[str, str] = {  # each form of a plural message, singular and plural
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个取值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个取值。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "Did you mean {possibility}?": "是否要用 {possibility}？",
    "(Possible options: {possibilities})": "（可能的选项：{possibilities}）",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，但只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，但给了 {len} 个。",
}
_MODULES = ("click.core", "click.decorators", "click.exceptions", "click.formatting", "click.parser",
            "click.types", "click.termui")


def gettext(message: str) -> str:
    """The Chinese of one of click's messages, else the message."""
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The Chinese of the form click chose (its placeholders differ between the forms)."""
    form = singular if n == 1 else plural
    return PLURALS.get(form, form)


def install() -> None:
    """Point click's ``_``/``ngettext`` at the Chinese table, and end help headings with a
    full-width colon (idempotent)."""
    for name in _MODULES:
        module = importlib.import_module(name)
        patch(module, "_", gettext)
        patch(module, "ngettext", ngettext)
    import click.formatting

    # click has no hook for the colon of a heading; replacing the method is the only way
    click.formatting.HelpFormatter.write_heading = _write_heading  # type: ignore[method-assign]


def _write_heading(self, heading: str) -> None:
    """``选项：`` instead of ``选项:``."""
    self.write(f"{'':>{self.current_indent}}{heading}：\n")


def localise(group: click.Group) -> None:
    """The placeholders of usage lines in Chinese: "[选项]", "命令 [参数]..."."""
    group.options_metavar = "[选项]"
    group.subcommand_metavar = "命令 [参数]..."
    for command in getattr(group, "commands", {}).values():
        command.options_metavar = "[选项]"


def patch(module: object, name: str, func: Callable) -> None:
    """Replace one module-level name, where the module has it."""
    if hasattr(module, name):
        setattr(module, name, func)
