"""Local page benchmark: sixteen authors upload a 10,000-character draft at once.

Starts the real ``auditor serve`` (uvicorn on a free loopback port) in a subprocess, waits
until it answers, then measures:

- start-up: from launching the command to the first answer;
- one page (``POST /``) and one API check (``POST /api/check``) for a 10,000-character
  draft, once the server is up;
- 16 concurrent page uploads and 16 concurrent API uploads of that draft: every answer must
  be correct (200; the JSON equal to the single-request JSON; the page holding the result);
  the latency of each is reported, with the slowest;
- the server's memory (the server and its check workers: RSS and unique set size, psutil)
  after warm-up and after 500 more API requests, which must stay flat.

Targets (issues 7 and 18): 16 at once all correct, median under 1 s; memory flat over 500
requests (growth under 10 %).
Run with ``make bench`` (after the batch benchmark) or ``python benchmarks/bench_serve.py``.
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import time
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


def draft_text(chars: int = CHARS) -> str:
    """A ~10,000-character draft: the complete example, its measures repeated to length."""
    text = SOURCE.read_text(encoding="utf-8")
    head, _, rest = text.partition("二、")
    body = "二、" + rest
    out = head
    while len(out) + len(body) < chars:
        out += body
    return out + body[: max(0, chars - len(out))]


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


def upload(url: str, data: bytes) -> tuple[float, httpx.Response]:
    """One upload of the draft as a .txt file; (seconds, response)."""
    t0 = time.perf_counter()
    res = httpx.post(url, files={"file": ("draft-10k.txt", data, "text/plain")}, timeout=60)
    return time.perf_counter() - t0, res


def burst(url: str, data: bytes, check) -> list[float]:
    """``CONCURRENT`` uploads at once; every answer must pass ``check``; their latencies."""
    with ThreadPoolExecutor(CONCURRENT) as pool:
        results = list(pool.map(lambda _: upload(url, data), range(CONCURRENT)))
    for _, res in results:
        check(res)
    return [t for t, _ in results]


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


def soak(url: str, data: bytes, check, n: int = SOAK) -> None:
    """``n`` more API uploads, 8 at a time, every answer checked."""
    with ThreadPoolExecutor(8) as pool:
        for _, res in pool.map(lambda _: upload(url, data), range(n)):
            check(res)


def line(label: str, times: list[float]) -> str:
    """Median and slowest of a set of latencies."""
    return f"{label:<34} median {statistics.median(times):.2f} s   slowest {max(times):.2f} s"


def main() -> None:
    """Run the benchmark and print the figures."""
    data = draft_text().encode("utf-8")
    port = free_port()
    proc, startup = start_server(port)
    base = f"http://127.0.0.1:{port}"
    try:
        upload(base + "/api/check", data)  # the first request pays for lazy imports
        t_api, ref = upload(base + "/api/check", data)
        t_page, page = upload(base + "/", data)
        assert ref.status_code == 200 and page.status_code == 200 and 'id="result"' in page.text
        expected = ref.json()

        def same_json(res: httpx.Response) -> None:
            assert res.status_code == 200 and res.json() == expected, res.text[:200]

        def page_ok(res: httpx.Response) -> None:
            assert res.status_code == 200 and 'id="result"' in res.text and "对照检查清单共" in res.text

        pages = burst(base + "/", data, page_ok)
        apis = burst(base + "/api/check", data, same_json)
        mem_before = server_memory(proc.pid)
        t = time.perf_counter()
        soak(base + "/api/check", data, same_json)
        soak_s = time.perf_counter() - t
        mem_after = server_memory(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"draft: {len(data.decode('utf-8')):,} characters; {CONCURRENT} concurrent uploads; "
          f"target: median < {TARGET_MEDIAN} s, all correct")
    print(f"{'start-up (command to first answer)':<34} {startup:.2f} s")
    print(f"{'one page, server up':<34} {t_page:.2f} s")
    print(f"{'one API check, server up':<34} {t_api:.2f} s")
    print(line(f"{CONCURRENT} pages at once (all correct)", pages))
    print(line(f"{CONCURRENT} API checks at once (all equal)", apis))
    worst = max(statistics.median(pages), statistics.median(apis))
    print(f"median under {TARGET_MEDIAN} s with {CONCURRENT} at once: {'yes' if worst < TARGET_MEDIAN else 'NO'} "
          f"(pages {statistics.median(pages):.2f} s, API {statistics.median(apis):.2f} s)")
    growth = mem_after[0] / mem_before[0] - 1
    print(f"{f'{SOAK} more API checks (all equal)':<34} {soak_s:.1f} s, {SOAK / soak_s:.1f} requests/s")
    print(f"{'server memory (server + workers)':<34} RSS {mem_before[0] / 2**20:.0f} MB -> {mem_after[0] / 2**20:.0f} MB, "
          f"USS {mem_before[1] / 2**20:.0f} MB -> {mem_after[1] / 2**20:.0f} MB over {SOAK} requests: "
          f"{'flat' if growth < 0.10 else 'GROWING'} ({growth:+.1%})")


if __name__ == "__main__":
    main()
