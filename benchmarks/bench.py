"""Batch benchmark: start-up, throughput with 1 and 2 workers, memory, segmentation ratio.

Run with ``make bench`` (about a minute on two cores). It builds a corpus in a temporary
folder from examples/ and, when present, ../shared/seeds (200 documents by default: the
text reports copied with one number changed per copy, some rewritten as .md and .html,
the .docx copied), then measures, in this one run:

- start-up: importing and loading the pipeline (segmenter + checklist terms), and the ratio
  (issue 18) of ``auditor check`` of one seed, wall time from process start to exit, to
  ``python -c`` loading pkuseg's model and cutting the same text, in alternation so machine
  noise cancels;
- end-to-end throughput (reports/s, characters/s) of ``run_batch`` with 1 worker
  (in-process) and 2 workers (process pool), counted from the first report started to
  the last one finished, so worker start-up is reported separately;
- peak memory per worker (ru_maxrss as reported by each worker), and the memory of 1 and 2
  batch workers after the same reports (unique and proportional set sizes, psutil), and the
  peak RSS of one ``auditor check`` process;
- Dask (a LocalCluster of 2 workers) against the local engine with 2 workers: throughput,
  wall time and identical outputs;
- pure segmentation of the same texts (the segmenter's ``spans``) and the ratio of
  end-to-end throughput to it;
- one 10,000-character report checked once the pipeline is loaded;
- a cached re-run and the cost of adding ten reports.

Targets (issue 5): end-to-end >= 0.8 of segmentation on one worker, near-linear
1 -> 2 speed-up, 10k characters < 1 s, start-up < 3 s. Issue 18: start-up ratio <= 0.35,
2 workers <= 1.3 x the memory of 1, one process <= 400 MB.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEEDS = ROOT.parent / "shared" / "seeds"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

_NUMBER = re.compile(r"\d+")
STARTUP = (
    "import time; t = time.perf_counter()\n"
    "from auditor import match, nlp\n"
    "from auditor.checklist import resolve\n"
    "lists = resolve([]); nlp.warm(); match.register_terms(lists)\n"
    "print(time.perf_counter() - t)\n"
)
PKUSEG_CUT = "import pkuseg, sys; seg = pkuseg.pkuseg(); seg.cut(open(sys.argv[1], encoding='utf-8').read())"
# VmHWM: this process's own peak RSS (ru_maxrss would inherit the forking benchmark's)
CHECK_PEAK = (
    "import sys\n"
    "from auditor.cli import main\n"
    "try:\n    main()\n"
    "finally:\n"
    "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
    "    print(int(hwm.split()[1]), file=sys.stderr)\n"
)


# -- corpus ------------------------------------------------------------------------------
def sources() -> list[Path]:
    """The example and seed reports the corpus is made from."""
    files = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".docx"))
    if SEEDS.is_dir():
        files += sorted(p for p in SEEDS.iterdir() if p.suffix in (".txt", ".md", ".html", ".docx"))
    return files


def vary(text: str, k: int) -> str:
    """Change the k-th number of the body by k, so every copy has its own content."""
    numbers = list(_NUMBER.finditer(text))
    if not numbers:
        return text + "\n" * (k % 3)
    m = numbers[len(numbers) // 3 + k % max(1, len(numbers) // 2)]
    return text[: m.start()] + str(int(m.group(0)) + k) + text[m.end() :]


def as_html(text: str) -> str:
    """A plain government-site-like page around the report lines."""
    import html

    lines = [ln for ln in text.splitlines() if ln.strip()]
    body = "\n".join(f"<p>{html.escape(ln)}</p>" for ln in lines[1:])
    title = html.escape(lines[0]) if lines else ""
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body><div class='article'><h1>{title}</h1>\n{body}</div></body></html>"


def build_corpus(folder: Path, n: int) -> list[str]:
    """``n`` documents of every supported format, each a small variation of a source."""
    srcs = sources()
    folder.mkdir(parents=True, exist_ok=True)
    out: list[str] = []
    for k in range(n):
        src = srcs[k % len(srcs)]
        stem = f"{k:04d}-{src.stem}"
        if src.suffix == ".docx":
            target = folder / f"{stem}.docx"
            shutil.copyfile(src, target)
        else:
            text = vary(src.read_text(encoding="utf-8"), k)
            if k % 5 == 4:
                target = folder / f"{stem}.html"
                target.write_text(as_html(text), encoding="utf-8")
            else:
                target = folder / f"{stem}{'.md' if k % 7 == 3 else '.txt'}"
                target.write_text(text, encoding="utf-8")
        out.append(str(target))
    return out


def long_report(folder: Path, size: int = 10_000) -> Path:
    """A realistic report of ``size`` characters: the complete example with more results."""
    lines = (EXAMPLES / "complete-county-2024.txt").read_text(encoding="utf-8").split("\n")
    body = [ln for ln in lines[6:59] if len(ln) > 80]
    extra: list[str] = []
    k = 0
    while len("\n".join(lines)) + sum(len(x) + 1 for x in extra) < size:
        extra.append(vary(body[k % len(body)], k))
        k += 1
    text = "\n".join(lines[:59] + extra + lines[59:])
    path = folder / "long-10k.txt"
    path.write_text(text[: max(size, len(text))], encoding="utf-8")
    return path


# -- measuring ---------------------------------------------------------------------------
class Stopwatch:
    """Accumulates the time spent inside wrapped functions (in-process run only)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, module: object, attr: str, label: str) -> Callable[[], None]:
        original = getattr(module, attr)

        def timed(*args, **kwargs):
            t = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - t

        setattr(module, attr, timed)
        return lambda: setattr(module, attr, original)


def steady(result) -> float:
    """Seconds from the first report started to the last one finished."""
    outs = result.outcomes
    return max(o.finished for o in outs) - min(o.started for o in outs)


def chars(result) -> int:
    return sum(r.chars for r in result.records if r.ok)


def same_outputs(a: Path, b: Path) -> bool:
    """Byte-identical per-report and summary files (the cache file aside)."""
    names = sorted(p.name for p in a.iterdir() if not p.name.startswith("."))
    return names == sorted(p.name for p in b.iterdir() if not p.name.startswith(".")) and all(
        (a / n).read_bytes() == (b / n).read_bytes() for n in names
    )


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem = next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal"))
        ram = f"{int(mem.split()[1]) / 1024 / 1024:.1f} GB RAM"
    except (OSError, StopIteration):
        ram = "RAM unknown"
    return f"{model}, {os.cpu_count()} cores, {ram}, Python {platform.python_version()}"


def cold_startups(runs: int = 3) -> list[float]:
    """Start-up of fresh interpreters: import, load spaCy + pkuseg, register checklist terms."""
    out = []
    for _ in range(runs):
        res = subprocess.run([sys.executable, "-c", STARTUP], capture_output=True, text=True, cwd=ROOT, check=True)
        out.append(float(res.stdout.strip().splitlines()[-1]))
    return sorted(out)


def wall(cmd: list[str]) -> float:
    """Seconds from starting ``cmd`` to its exit."""
    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, cwd=ROOT, check=False)
    return time.perf_counter() - t


def startup_ratio(seed: Path, runs: int = 3) -> tuple[float, float]:
    """Median wall times of ``auditor check SEED`` and of pkuseg loading and cutting it, alternated."""
    auditor = [str(Path(sys.executable).parent / "auditor"), "check", str(seed)]
    ref = [sys.executable, "-c", PKUSEG_CUT, str(seed)]
    ours, theirs = [], []
    for _ in range(runs):
        theirs.append(wall(ref))
        ours.append(wall(auditor))
    return statistics.median(ours), statistics.median(theirs)


def check_peak_mb(seed: Path) -> float:
    """Peak RSS of one ``auditor check`` process."""
    res = subprocess.run([sys.executable, "-c", CHECK_PEAK, "check", str(seed)], capture_output=True, text=True, cwd=ROOT)
    return int(res.stderr.strip().splitlines()[-1]) / 1024


def line(label: str, value: str, target: str = "") -> None:
    print(f"  {label:<46}{value:>16}  {target}")


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


# -- the benchmark -----------------------------------------------------------------------
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=200, help="corpus size (default 200)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()

    t0 = time.perf_counter()
    from auditor import match, nlp
    from auditor.checklist import resolve

    lists = resolve([])
    t1 = time.perf_counter()
    nlp.warm()
    match.register_terms(lists)
    startup = time.perf_counter() - t0
    load_only = time.perf_counter() - t1

    from auditor import batch, ingest, pipeline, render

    tmp = Path(tempfile.mkdtemp(prefix="auditor-bench-"))
    try:
        paths = build_corpus(tmp / "corpus", args.docs)
        print(f"auditor batch benchmark — {machine()}")
        print(f"corpus: {len(paths)} documents from {len(sources())} sources in {tmp}")
        load = os.getloadavg()[0]
        print(f"load average at start: {load:.2f}" + ("  (other processes are busy: figures will be noisy)" if load > 0.5 else ""))
        print()

        # 1 worker, in-process, with a breakdown of where the time goes
        watch = Stopwatch()
        undo = [
            watch.wrap(pipeline, "read_outline", "ingest + outline"),
            watch.wrap(match, "check", "check (match incl. segmentation)"),
            watch.wrap(nlp, "segment_paragraphs", "  of which segmentation (pkuseg)"),
            watch.wrap(render, "render_report", "render JSON + human format"),
        ]
        r1 = batch.run_batch(paths, tmp / "out1", lists, workers=1, use_cache=False)
        for u in undo:
            u()
        s1 = steady(r1)
        rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        # pure segmentation of the same (normalised) texts, same process, same dictionary
        docs = [ingest.load(p) for p in paths]
        tokenizer = match.register_terms(lists).spans
        t = time.perf_counter()
        for d in docs:
            tokenizer(d.text)
        seg = time.perf_counter() - t

        # 2 workers (fresh worker processes: each loads the pipeline itself)
        r2 = batch.run_batch(paths, tmp / "out2", lists, workers=2, use_cache=False)
        s2 = steady(r2)
        peaks = defaultdict(int)
        inits = {}
        for o in r2.outcomes:
            peaks[o.pid] = max(peaks[o.pid], o.peak_rss_kb)
            inits[o.pid] = o.init_seconds
        identical = same_outputs(tmp / "out1", tmp / "out2")

        # Dask: a LocalCluster of 2 workers (cluster start-up included in the wall time)
        rd = batch.run_batch(paths, tmp / "outd", lists, workers=2, use_cache=False, engine="dask")
        sd = steady(rd)
        dask_same = same_outputs(tmp / "out1", tmp / "outd")

        # memory of 1 and 2 batch workers after the same reports, and of one check process
        from memshare import measure

        sample = paths[:40]
        mem1, mem2 = measure(sample, 1), measure(sample, 2)
        seed = next(iter(sorted(SEEDS.glob("*.txt"))), None) if SEEDS.is_dir() else None
        seed = seed or EXAMPLES / "complete-county-2024.txt"
        check_mb = check_peak_mb(seed)

        # cache: unchanged re-run, then ten new reports
        t = time.perf_counter()
        r3 = batch.run_batch(paths, tmp / "out2", lists, workers=2)
        rerun = time.perf_counter() - t
        more = build_corpus(tmp / "more", args.docs + 10)[-10:]
        t = time.perf_counter()
        r4 = batch.run_batch(paths + more, tmp / "out2", lists, workers=2)
        add10 = time.perf_counter() - t

        # one 10,000-character report, pipeline loaded
        big = long_report(tmp)
        t = time.perf_counter()
        report = match.check(pipeline.read_outline(big), lists)
        check10k = time.perf_counter() - t
        render.render_report(report, "json")
        render.render_report(report, "html")
        full10k = time.perf_counter() - t
        n10k = len(report.doc.original)

        n, c = len(r1.records), chars(r1)
        seg_rate, e2e_rate = c / seg, c / s1
        colds = cold_startups()
        cold = statistics.median(colds)
        ours, theirs = startup_ratio(seed)
        print("start-up")
        line(f"auditor check {seed.name}, process start to exit", f"{ours:.2f} s", "median of 3")
        line("python -c: pkuseg loads its model, cuts the text", f"{theirs:.2f} s", "median of 3, alternated")
        line("start-up ratio (auditor check / pkuseg)", f"{ours / theirs:.2f}", f"target <= 0.35: {verdict(ours / theirs <= 0.35)}")
        line("fresh process: import + load pipeline", f"{cold:.2f} s", f"median of {len(colds)} (min {colds[0]:.2f}); target < 3 s: {verdict(cold < 3)}")
        line("this process: import + load pipeline", f"{startup:.2f} s", f"of which spaCy + pkuseg + terms {load_only:.2f} s")
        line("pool start-up, 2 workers (to first report)", f"{min(o.started for o in r2.outcomes) - r2.began:.2f} s")
        print("throughput (first report started -> last finished)")
        line("1 worker", f"{n / s1:.1f} rep/s", f"{e2e_rate:,.0f} chars/s, {s1:.1f} s")
        line("2 workers", f"{n / s2:.1f} rep/s", f"{c / s2:,.0f} chars/s, {s2:.1f} s")
        line("speed-up 1 -> 2 workers", f"{s1 / s2:.2f} x", f"target ~2 (near-linear): {verdict(s1 / s2 >= 1.7)}")
        cpu1, cpu2 = (sum(o.cpu_seconds for o in r.outcomes) / len(r.outcomes) for r in (r1, r2))
        line("CPU time per report, 1 / 2 workers", f"{1000 * cpu1:.0f} / {1000 * cpu2:.0f} ms",
             f"{1 / cpu1:.1f} reports per core-second; 50,000 reports = {50_000 * cpu1 / 3600:.1f} core-hours")
        line("wall clock, 2 workers, incl. start-up", f"{r2.wall:.1f} s")
        line("pure pkuseg segmentation, same texts", f"{seg_rate:,.0f} chars/s", f"{seg:.1f} s")
        line("end-to-end / segmentation (1 worker)", f"{e2e_rate / seg_rate:.2f}", f"target >= 0.8: {verdict(e2e_rate / seg_rate >= 0.8)}")
        print("where the time goes (1 worker)")
        for label in ("ingest + outline", "check (match incl. segmentation)",
                      "  of which segmentation (pkuseg)", "render JSON + human format"):
            secs = watch.seconds[label]
            line(label, f"{secs:.2f} s", f"{100 * secs / s1:.0f} %")
        print("memory")
        line("peak RSS per worker (2 workers)", " / ".join(f"{kb / 1024:.0f} MB" for kb in peaks.values()))
        line("peak RSS, 1 worker in-process (whole bench)", f"{rss1 / 1024:.0f} MB")
        from memshare import batch_memory

        mb = 2 ** 20
        b1, b2 = batch_memory(mem1), batch_memory(mem2)
        line("1 worker after 40 reports: own + model", f"{mem1[0].own / mb:.0f} + {mem1[0].model_rss / mb:.0f} MB",
             f"USS {mem1[0].uss / mb:.0f} MB, RSS {mem1[0].rss / mb:.0f} MB")
        line("2 workers after 40 reports: own + model", " + ".join(f"{m.own / mb:.0f}" for m in mem2) + f" + {max(m.model_rss for m in mem2) / mb:.0f} MB",
             "USS " + " / ".join(f"{m.uss / mb:.0f}" for m in mem2) + ", RSS " + " / ".join(f"{m.rss / mb:.0f}" for m in mem2) + " MB")
        line("memory, 2 workers / 1 worker", f"{b2 / b1:.2f} x", f"{b2 / mb:.0f} / {b1 / mb:.0f} MB; target <= 1.3: {verdict(b2 <= 1.3 * b1)}")
        copied = sum(m.model_private_dirty for m in mem1 + mem2)
        line("model pages copied by any worker", f"{copied / mb:.0f} MB", "0: the map is shared")
        biggest = max([m.rss / mb for m in mem1 + mem2] + [check_mb])
        line("peak RSS of one auditor check process", f"{check_mb:.0f} MB",
             f"largest process {biggest:.0f} MB; target <= 400 MB: {verdict(biggest <= 400)}")
        print("Dask engine (LocalCluster, 2 workers) vs local engine (2 workers)")
        line("Dask, 2 workers", f"{n / sd:.1f} rep/s", f"{c / sd:,.0f} chars/s; wall incl. cluster start {rd.wall:.1f} s")
        line("local, 2 workers", f"{n / s2:.1f} rep/s", f"wall incl. pool start {r2.wall:.1f} s")
        line("Dask / local throughput", f"{s2 / sd:.2f}", "outputs identical: " + ("yes" if dask_same else "NO"))
        cpud = sum(o.cpu_seconds for o in rd.outcomes) / len(rd.outcomes)
        line("CPU time per report on a Dask worker", f"{1000 * cpud:.0f} ms", f"local {1000 * cpu2:.0f} ms")
        print("single report")
        line(f"{n10k:,}-character report: check", f"{check10k:.3f} s", f"target < 1 s: {verdict(check10k < 1)}")
        line(f"{n10k:,}-character report: check + render", f"{full10k:.3f} s")
        print("cache")
        line("re-run, nothing changed", f"{rerun:.2f} s", f"{r3.cached} cached, {r3.checked} checked")
        line("re-run after adding 10 reports", f"{add10:.2f} s", f"{r4.cached} cached, {r4.checked} checked")
        print(f"load average at end: {os.getloadavg()[0]:.2f}")
        print("determinism")
        line("1-worker and 2-worker outputs identical", "yes" if identical else "NO")
        return 0
    finally:
        if args.keep:
            print(f"\nkept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
