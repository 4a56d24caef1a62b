"""The memo and the summary workbook as an office opens them: LibreOffice converts the memo
of a real seed to PDF (page numbers, 主送 and 落款, at most 3 pages) and the workbook too.

LibreOffice (``soffice``) and poppler's ``pdfinfo``/``pdftotext`` come from Debian. Where
they are absent the tests skip with the reason, except where ``AUDITOR_REQUIRE_TOOLS=1``
(set by ``.ci/run``, which installs them), where their absence is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document as Docx

from auditor.cli import main

from .conftest import EXAMPLES, SEEDS, seed_names, seed_params

SEED = "004_91e0d0777a8f95a6"
TOOLS = {"soffice": "libreoffice-writer libreoffice-calc", "pdfinfo": "poppler-utils", "pdftotext": "poppler-utils"}


def need_tools() -> None:
    """Skip (or fail under AUDITOR_REQUIRE_TOOLS=1) when LibreOffice or poppler is missing."""
    missing = [name for name in TOOLS if shutil.which(name) is None]
    if not missing:
        return
    packages = " ".join(sorted({TOOLS[m] for m in missing}))
    reason = f"{'、'.join(missing)} not installed (apt-get install {packages}); .ci/run installs them"
    if os.environ.get("AUDITOR_REQUIRE_TOOLS") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def to_pdf(sources: list[Path], out: Path) -> dict[str, Path]:
    """LibreOffice headless conversion of several files in one run (each run costs seconds),
    with a profile of our own (not the user's); PDF by source stem."""
    profile = out / "lo-profile"
    cmd = ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
           "--convert-to", "pdf", "--outdir", str(out), *map(str, sources)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    pdfs = {src.stem: out / (src.stem + ".pdf") for src in sources}
    for stem, pdf in pdfs.items():
        assert pdf.is_file(), f"LibreOffice wrote no PDF for {stem}"
    return pdfs


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, Path]:
    """The memo of every seed (where ../shared is present) and the summary workbook of the
    examples, written by the CLI and converted to PDF by LibreOffice in one run."""
    need_tools()
    tmp = tmp_path_factory.mktemp("office")
    sources = []
    for seed in seed_names():
        memo = tmp / f"{seed}.docx"
        args = ["memo", str(SEEDS / f"{seed}.txt"), "-o", str(memo), "--to", "台州市司法局",
                "--from", "台州市人民政府办公室", "--date", "2023-03-10"]
        res = CliRunner().invoke(main, [*args, "--kind", "county"] if seed == SEED else args)
        assert res.exit_code in (0, 1), res.stderr
        sources.append(memo)
    res = CliRunner().invoke(main, ["batch", str(EXAMPLES), "--output", str(tmp / "out"), "--workers", "1", "--quiet"])
    assert res.exit_code == 1, res.output
    sources.append(tmp / "out" / "summary.xlsx")
    return {**to_pdf(sources, tmp), **{f"{p.stem}.docx": p for p in sources if p.suffix == ".docx"}}


@pytest.mark.parametrize("seed", seed_params())
def test_memo_of_a_seed_as_pdf(seed: str, converted: dict[str, Path]) -> None:
    doc = Docx(str(converted[f"{seed}.docx"]))
    assert doc.styles["Title"].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "方正小标宋简体"
    pdf = converted[seed]
    pages = pdf_pages(pdf)
    assert 1 <= pages <= 3, f"the brief memo of {seed} runs to {pages} pages"
    texts = page_texts(pdf)
    assert len(texts) == pages
    squeeze = ["".join(t.split()) for t in texts]
    for k, text in enumerate(squeeze, 1):
        assert f"—{k}—" in text, f"no page number on page {k}"
    assert re.match(r"关于.+的审核意见台州市司法局：", squeeze[0])
    assert "台州市人民政府办公室2023年3月10日" in squeeze[-1]
    assert "（审核人：" in squeeze[-1]
    if seed == SEED:
        assert squeeze[0].startswith("关于玉环市人民政府2022年度法治政府建设情况报告的审核意见台州市司法局：")


def test_summary_workbook_converts(converted: dict[str, Path]) -> None:
    pdf = converted["summary"]
    assert pdf_pages(pdf) >= 3  # the summary, one grid per checklist, the findings
    text = "".join("".join(page_texts(pdf)).split())
    assert "审核结论" in text and "青川县人民政府" in text and "深入学习贯彻习近平法治思想" in text
