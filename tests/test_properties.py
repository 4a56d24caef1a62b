"""Property-based tests (hypothesis) and fuzz targets over ingest, outline and match.

Properties, for any text:
- the offset map is total and monotone, and each normalised line re-normalises from the
  original text it points at (normalisation -> offset map round-trips);
- the outline's sections lie in the document, nest inside their parents and tile it in
  order: siblings never overlap and follow each other;
- every evidence quote equals the original text at its offsets.

Fuzz targets (``-m fuzz``): arbitrary bytes as every supported format either give a
Document whose outline builds, or an ``InputError``; never anything else. ``make test``
runs a bounded, derandomised number of examples; ``make fuzz`` runs many more, randomly.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor import ingest, outline
from auditor.errors import InputError

from .hostile_inputs import HOSTILE_HTML, REPORT, docx_bytes

LONG = os.environ.get("AUDITOR_FUZZ") == "long"
settings.register_profile("bounded", max_examples=60, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
PROFILE = "long" if LONG else "bounded"
FUZZ_EXAMPLES = 4000 if LONG else 150

# -- strategies: real-looking report lines, damaged the way copied web text is ----------
NUMBERS = ("一、", "二、", "十、", "（一）", "(二)", "1.", "2、", "（3）", "第一部分", "①", "一是", "")
PHRASES = ("法治政府建设", "规范性文件", "备案审查", "行政执法", "第一责任人", "述法", "公示制度",
           "全年审核", "12件", "100%", "2024年", "存在的不足", "下一步", "工作安排", "原因",
           "監(jiān)管", "執法", "ＡＢＣ１２３", "　", "\t", " ", "，", "。", "；", "“", "”", "《条例》",
           "XX市", "<b>", "&amp;", "\u200b", "\ufeff", "首页 > 政务公开", "发布日期：2024-03-01")
line = st.builds(
    lambda n, parts: n + "".join(parts),
    st.sampled_from(NUMBERS),
    st.lists(st.sampled_from(PHRASES), max_size=12),
)
newline = st.sampled_from(["\n", "\r\n", "\r", "\n\n"])
report_text = st.builds(
    lambda lines, nls: "".join(ln + nls[k % len(nls)] for k, ln in enumerate(lines)),
    st.lists(line, min_size=1, max_size=40),
    st.lists(newline, min_size=1, max_size=4),
)
any_text = st.one_of(report_text, st.text(max_size=400), st.text(alphabet=st.sampled_from("一二（）、.1 \n年法治"), max_size=300))


def _doc(text: str):
    return ingest.from_text(text.replace("\r\n", "\n").replace("\r", "\n"), path="p.txt")


# -- properties --------------------------------------------------------------------------
@settings(settings.get_profile(PROFILE))
@given(any_text)
def test_offset_map_is_total_and_monotone(text: str) -> None:
    doc = _doc(text)
    n = len(doc.original)
    assert len(doc.offsets) == len(doc.text) + 1
    assert doc.offsets[-1] == n
    assert all(0 <= o < n for o in doc.offsets[:-1])
    assert all(a <= b for a, b in zip(doc.offsets, doc.offsets[1:], strict=False))
    assert 0 <= doc.body_start <= len(doc.text)


@settings(settings.get_profile(PROFILE))
@given(any_text)
def test_each_line_renormalises_from_its_original(text: str) -> None:
    doc = _doc(text)
    pos = 0
    for line_text in doc.text.split("\n"):
        if line_text:
            a, b = doc.orig_span(pos, pos + len(line_text))
            source = doc.original[a:b]
            assert "\n" not in source
            assert ingest._normalise_line(0, source, 0, "txt").text == line_text
        pos += len(line_text) + 1


@settings(settings.get_profile(PROFILE))
@given(any_text)
def test_sections_nest_and_tile_in_order(text: str) -> None:
    doc = _doc(text)
    tree = outline.build(doc)
    by_id = {s.id: s for s in tree.sections}
    n, tn = len(doc.original), len(doc.text)
    for s in tree.sections:
        assert 0 <= s.start < s.end <= n, s
        assert 0 <= s.t_start < s.t_end <= tn, s
        assert s.t_start <= s.t_title_start <= s.t_title_end <= s.t_end, s
        a, z = doc.orig_span(s.t_start, s.t_end)  # the same place, trailing blanks trimmed
        assert (s.start, s.end) == (a, a + len(doc.original[a:z].rstrip("\r\n \t")))
        if s.parent is not None:
            parent = by_id[s.parent]
            assert parent.t_start <= s.t_start and s.t_end <= parent.t_end, (parent, s)
            assert s.id in parent.children
    siblings: dict[str | None, list] = {}
    for s in tree.sections:
        siblings.setdefault(s.parent, []).append(s)
    for group in siblings.values():
        for a, b in zip(group, group[1:], strict=False):
            assert a.t_end <= b.t_start, (a, b)  # in order, never overlapping


@pytest.fixture(scope="module")
def lists():
    from auditor.checklist import resolve

    return resolve([])


@settings(settings.get_profile(PROFILE), max_examples=25 if not LONG else 300)
@given(report_text)
def test_every_evidence_quote_is_the_original_text(lists, text: str) -> None:
    from auditor import pipeline

    doc = _doc(REPORT + text)
    report = pipeline.check(outline.build(doc), lists)
    for cl in report.checklists:
        for f in cl.findings:
            for ev in f.evidence:
                assert 0 <= ev.start <= ev.end <= len(doc.original)
                assert doc.original[ev.start:ev.end] == ev.quote, ev


# -- fuzz targets ------------------------------------------------------------------------
SEEDS = {
    "txt": [REPORT.encode("utf-8"), REPORT.encode("gb18030"), REPORT.encode("utf-16")],
    "md": [("# 标题\n\n" + REPORT).encode("utf-8")],
    "html": [HOSTILE_HTML.encode("utf-8"), b"<html><body><p>\xe4\xb8\x80\xe3\x80\x81x</p>"],
    "docx": [docx_bytes()],
    "pdf": [(Path(__file__).resolve().parent.parent / "examples" / "draft-township-2024.pdf").read_bytes()],
}


def _mutate(data: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    """Overwrite, insert or delete bytes at positions chosen by hypothesis."""
    buf = bytearray(data)
    for pos, value, op in edits:
        if not buf:
            buf.append(value)
            continue
        k = pos % len(buf)
        if op == 0:
            buf[k] = value
        elif op == 1:
            buf.insert(k, value)
        else:
            del buf[k : k + 1 + value % 64]
    return bytes(buf)


def _survives(raw: bytes, fmt: str) -> None:
    """The fuzz contract: a Document whose outline builds, or an InputError."""
    try:
        doc = ingest.load_bytes(raw, f"fuzz.{fmt}")
    except InputError as exc:
        assert exc.code.startswith("A1"), exc
        return
    outline.build(doc)


edits = st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255), st.integers(0, 2)), max_size=12)


@pytest.mark.fuzz
@pytest.mark.parametrize("fmt", sorted(SEEDS))
def test_fuzz_mutated_reports(fmt: str) -> None:
    # a PDF costs ~0.2 s a run (five pages through PDFium and the layout): fewer of them
    @settings(settings.get_profile(PROFILE), max_examples=FUZZ_EXAMPLES if fmt != "pdf" else max(5, FUZZ_EXAMPLES // 5))
    @given(st.integers(0, len(SEEDS[fmt]) - 1), edits)
    def target(k: int, e: list[tuple[int, int, int]]) -> None:  # an index keeps failure reports short
        _survives(_mutate(SEEDS[fmt][k], e), fmt)

    target()


@pytest.mark.fuzz
@pytest.mark.parametrize("fmt", ["txt", "html", "docx", "pdf"])
def test_fuzz_arbitrary_bytes(fmt: str) -> None:
    @settings(settings.get_profile(PROFILE), max_examples=FUZZ_EXAMPLES)
    @given(st.binary(max_size=2000))
    def target(raw: bytes) -> None:
        _survives(raw, fmt)

    target()


@pytest.mark.fuzz
def test_fuzz_docx_members() -> None:
    """A real package whose document.xml is replaced by arbitrary (often broken) XML."""

    @settings(settings.get_profile(PROFILE), max_examples=FUZZ_EXAMPLES // 3)
    @given(st.text(alphabet=st.sampled_from('<>/="w:p t r 一 &;#x0'), max_size=300))
    def target(xml: str) -> None:
        src = zipfile.ZipFile(io.BytesIO(docx_bytes()))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for info in src.infolist():
                data = src.read(info)
                if info.filename == "word/document.xml":
                    data = data.replace(b"</w:body>", xml.encode("utf-8") + b"</w:body>")
                zf.writestr(info, data)
        _survives(buf.getvalue(), "docx")

    target()
