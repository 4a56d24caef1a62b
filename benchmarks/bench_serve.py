"""Local page benchmark: sixteen authors upload a 10,000-character draft at once.

Starts the real ``auditor serve`` (uvicorn on a free loopback port) in a subprocess, waits
until it answers, then measures:

- start-up: from launching the command to the first answer;
- one page (``POST /``) and one API check (``POST /api/check``) for a 10,000-character
  draft, once the server is up;
- 16 concurrent page uploads and 16 concurrent API uploads, each of a *different* draft
  (the same 10,000-character draft with its own sentence and figures, so no answer can be
  reused for another): every answer must be correct — the API's JSON equal to what a direct
  ``auditor check --format json`` prints for the same text (run once, beforehand, on all
  the variants), the page's verdict for every item equal to that JSON's; the latency of
  each is reported, median and slowest, with the CPU time the burst cost the server, its
  workers and this client (all on the same machine);
- the server's memory (the server and its check workers: RSS and unique set size, psutil)
  after warm-up and after 500 more API requests (the variants in turn, each answer checked),
  which must stay flat.

The client keeps one connection per concurrent upload (``httpx.Client``), as 16 browsers
would, instead of building a new client, with its TLS context, for every request.

Targets (issues 7 and 18): 16 at once all correct, median under 1 s; memory flat over 500
requests (growth under 10 %).
Run with ``make bench`` (after the batch benchmark) or ``python benchmarks/bench_serve.py``.
"""

from __future__ import annotations

import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

try:  # the client pinned in requirements-dev.txt (Starlette's test client uses it too)
    import httpx2 as httpx
except ImportError:  # pragma: no cover - older environments
    import httpx

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "examples" / "complete-county-2024.txt"
CHARS = 10_000
CONCURRENT = 16
TARGET_MEDIAN = 1.0
SOAK = 500


def draft_text(chars: int = CHARS, variant: int | None = None) -> str:
    """A ~10,000-character draft: the complete example, its measures repeated to length.
    A ``variant`` gets a sentence of its own, with its own figures, at the top of the
    measures: each variant is a different draft."""
    text = SOURCE.read_text(encoding="utf-8")
    head, _, rest = text.partition("二、")
    body = "二、" + rest
    if variant is not None:
        head += (f"全年共收到行政复议申请{40 + variant}件，依法受理{30 + variant % 9}件，"
                 f"纠正违法或不当行政行为{variant % 7}件，组织法治专题培训{variant % 5 + 2}次。\n")
    out = head
    while len(out) + len(body) < chars:
        out += body
    return out + body[: max(0, chars - len(out))]


def variants(n: int) -> dict[str, bytes]:
    """``n`` different drafts by upload name."""
    return {f"draft-{k:02d}.txt": draft_text(variant=k).encode("utf-8") for k in range(n)}


def expected_answers(drafts: dict[str, bytes]) -> dict[str, dict]:
    """What ``auditor check --format json`` prints for each draft (one run of the command over
    all of them, in a temporary folder, so ``source.path`` is the upload's name)."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in drafts.items():
            Path(tmp, name).write_bytes(data)
        subprocess.run([sys.executable, "-m", "auditor.cli", "check", *drafts, "--format", "json",
                        "--output", "out/", "--nofail"], cwd=tmp, check=True, capture_output=True)
        return {name: json.loads(Path(tmp, "out", Path(name).stem + ".json").read_text(encoding="utf-8"))
                for name in drafts}


def verdicts(answer: dict) -> dict[str, str]:
    """Item id -> status of a check JSON."""
    return {i["id"]: i["status"] for c in answer["checklists"] for i in c["items"]}


_PAGE_ITEM = re.compile(r'class="item item-([a-z-]+)" data-item="([^"]+)"')


def page_verdicts(html: str) -> dict[str, str]:
    """Item id -> status of the result page's checklist panel."""
    return {item: status for status, item in _PAGE_ITEM.findall(html)}


def free_port() -> int:
    """A port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> tuple[subprocess.Popen, float]:
    """Launch ``auditor serve`` and wait for its first answer; (process, seconds)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "auditor.cli", "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = t0 + 120
    while time.perf_counter() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return proc, time.perf_counter() - t0
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"server did not start: {proc.stderr.read().decode('utf-8', 'replace') if proc.stderr else ''}")


def upload(client: httpx.Client, url: str, name: str, data: bytes) -> tuple[float, httpx.Response]:
    """One upload of a draft as a .txt file; (seconds, response)."""
    t0 = time.perf_counter()
    res = client.post(url, files={"file": (name, data, "text/plain")}, timeout=60)
    return time.perf_counter() - t0, res


def burst(client: httpx.Client, url: str, drafts: dict[str, bytes],
          check: Callable[[str, httpx.Response], None]) -> list[float]:
    """Every draft uploaded at once (started together); each answer must pass ``check``;
    their latencies."""
    start = threading.Barrier(len(drafts))

    def one(item: tuple[str, bytes]) -> tuple[float, httpx.Response]:
        start.wait()
        return upload(client, url, *item)

    with ThreadPoolExecutor(len(drafts)) as pool:
        results = list(pool.map(one, drafts.items()))
    for name, (_, res) in zip(drafts, results, strict=True):
        check(name, res)
    return [t for t, _ in results]


def cpu_seconds(pid: int) -> dict[str, float]:
    """CPU time (user + system) so far of the server, of its workers, and of this client."""
    import psutil

    server = psutil.Process(pid)
    workers = 0.0
    for child in server.children(recursive=True):
        try:
            workers += sum(child.cpu_times()[:2])
        except psutil.Error:
            continue
    return {"server": sum(server.cpu_times()[:2]), "workers": workers,
            "client": sum(psutil.Process().cpu_times()[:2])}


def server_memory(pid: int) -> tuple[int, int]:
    """(RSS, USS) summed over the server process and its children (the check workers)."""
    import psutil

    procs = [psutil.Process(pid)]
    procs += procs[0].children(recursive=True)
    rss = uss = 0
    for p in procs:
        try:
            info = p.memory_full_info()
        except psutil.Error:
            continue
        rss, uss = rss + info.rss, uss + info.uss
    return rss, uss


def soak(client: httpx.Client, url: str, drafts: dict[str, bytes],
         check: Callable[[str, httpx.Response], None], n: int = SOAK) -> None:
    """``n`` more API uploads, 8 at a time, the drafts in turn, every answer checked."""
    names = [list(drafts)[k % len(drafts)] for k in range(n)]
    with ThreadPoolExecutor(8) as pool:
        for name, (_, res) in zip(names, pool.map(lambda nm: upload(client, url, nm, drafts[nm]), names), strict=True):
            check(name, res)


def line(label: str, times: list[float]) -> str:
    """Median and slowest of a set of latencies."""
    return f"{label:<34} median {statistics.median(times):.2f} s   slowest {max(times):.2f} s"


def main() -> None:
    """Run the benchmark and print the figures."""
    drafts = variants(2 * CONCURRENT + 1)
    expected = expected_answers(drafts)
    names = list(drafts)
    page_drafts = {n: drafts[n] for n in names[:CONCURRENT]}
    api_drafts = {n: drafts[n] for n in names[CONCURRENT: 2 * CONCURRENT]}
    first = names[-1]  # the single requests' draft

    def same_json(name: str, res: httpx.Response) -> None:
        assert res.status_code == 200 and res.json() == expected[name], (name, res.text[:200])

    def page_ok(name: str, res: httpx.Response) -> None:
        assert res.status_code == 200 and 'id="result"' in res.text, (name, res.text[:200])
        assert page_verdicts(res.text) == verdicts(expected[name]), name

    port = free_port()
    proc, startup = start_server(port)
    base = f"http://127.0.0.1:{port}"
    limits = httpx.Limits(max_connections=2 * CONCURRENT, max_keepalive_connections=2 * CONCURRENT)
    try:
        with httpx.Client(limits=limits) as client:
            t_first, res = upload(client, base + "/api/check", first, drafts[first])  # the first request after start-up
            same_json(first, res)
            t_api, res = upload(client, base + "/api/check", first, drafts[first])
            same_json(first, res)
            t_page, res = upload(client, base + "/", first, drafts[first])
            page_ok(first, res)
            cpu0 = cpu_seconds(proc.pid)
            pages = burst(client, base + "/", page_drafts, page_ok)
            cpu1 = cpu_seconds(proc.pid)
            apis = burst(client, base + "/api/check", api_drafts, same_json)
            cpu2 = cpu_seconds(proc.pid)
            mem_before = server_memory(proc.pid)
            t = time.perf_counter()
            soak(client, base + "/api/check", drafts, same_json)
            soak_s = time.perf_counter() - t
            mem_after = server_memory(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"draft: {len(drafts[first].decode('utf-8')):,} characters; {CONCURRENT} concurrent uploads, each a "
          f"different draft; target: median < {TARGET_MEDIAN} s, all correct")
    print(f"{'start-up (command to first answer)':<34} {startup:.2f} s")
    print(f"{'first API check after start-up':<34} {t_first:.2f} s")
    print(f"{'one API check, server up':<34} {t_api:.2f} s")
    print(f"{'one page, server up':<34} {t_page:.2f} s")
    print(line(f"{CONCURRENT} pages at once (all correct)", pages))
    print(cpu_line(cpu0, cpu1))
    print(line(f"{CONCURRENT} API checks at once (all equal)", apis))
    print(cpu_line(cpu1, cpu2))
    worst = max(statistics.median(pages), statistics.median(apis))
    print(f"median under {TARGET_MEDIAN} s with {CONCURRENT} at once: {'yes' if worst < TARGET_MEDIAN else 'NO'} "
          f"(pages {statistics.median(pages):.2f} s, API {statistics.median(apis):.2f} s; "
          f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores)")
    growth = mem_after[0] / mem_before[0] - 1
    print(f"{f'{SOAK} more API checks (all equal)':<34} {soak_s:.1f} s, {SOAK / soak_s:.1f} requests/s")
    print(f"{'server memory (server + workers)':<34} RSS {mem_before[0] / 2**20:.0f} MB -> {mem_after[0] / 2**20:.0f} MB, "
          f"USS {mem_before[1] / 2**20:.0f} MB -> {mem_after[1] / 2**20:.0f} MB over {SOAK} requests: "
          f"{'flat' if growth < 0.10 else 'GROWING'} ({growth:+.1%})")


def cpu_line(before: dict[str, float], after: dict[str, float]) -> str:
    """The CPU time a burst cost, per upload, by process."""
    per = {k: (after[k] - before[k]) / CONCURRENT * 1000 for k in before}
    return (f"{'  CPU per upload':<34} workers {per['workers']:.0f} ms, server {per['server']:.0f} ms, "
            f"client {per['client']:.0f} ms")


if __name__ == "__main__":
    main()
