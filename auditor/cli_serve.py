"""``auditor serve``: the local self-review page for report authors."""

from __future__ import annotations

import socket

import click

from . import limits
from .cli_options import checklist_option, load_checklists, load_overrides, overrides_option
from .errors import UsageError


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址；默认只允许本机访问。")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True, help="监听端口。")
@click.option("--max-upload", metavar="SIZE", help="上传文稿的大小上限，如 10MB（默认同 --max-size，20MB）。")
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="同时检查文稿的进程数；默认为 CPU 核数（至多 4）。")
@checklist_option
@overrides_option
def serve(host: str, port: int, max_upload: str | None, workers: int | None, checklists: tuple[str, ...],
          overrides_file: str | None) -> None:
    """启动本地自查页面：在浏览器中上传或粘贴文稿，查看自查结果（供报告起草人使用）。"""
    import uvicorn

    from .serve import create_app, hosts_for, loopback
    from .serve.pool import default_workers

    cap = _size(max_upload)
    _check_port(host, port)
    click.echo("正在加载分词模型和检查清单……", err=True)
    lists = load_checklists(checklists)
    app = create_app(lists, limits.current(), cap, allowed_hosts=hosts_for(host),
                     overrides=load_overrides(overrides_file, lists), workers=workers or default_workers())
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"自查页面已启动：http://{shown}:{port}/　（按 Ctrl+C 停止）", err=True)
    if not loopback(host):
        click.echo(f"注意：服务监听在 {host}，本机以外的计算机也可以访问。", err=True)
    # Request headers must arrive within 10 s, idle connections close after 5 s and at most 32
    # are served at once (more get 503); a stalled upload is cut off by the app (408).
    from .serve.connection import HeaderDeadline

    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, server_header=False,
                timeout_keep_alive=5, limit_concurrency=32, http=HeaderDeadline)


def _size(text: str | None) -> int | None:
    """``--max-upload`` in bytes, or None for the general limit."""
    if text is None:
        return None
    try:
        return limits.parse_size(text)
    except ValueError:
        raise UsageError("A301", "--max-upload", detail=f"无法理解的大小“{text}”（示例：20MB、500KB）") from None


def _check_port(host: str, port: int) -> None:
    """Fail in one line, before loading anything, when the address cannot be bound."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise UsageError("A301", f"{host}:{port}", detail=f"无法监听该地址（{exc.strerror or exc}）") from None
