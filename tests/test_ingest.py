"""Tests for the ingest stage: decoding, normalisation with exact offsets, HTML/.docx
extraction, page-furniture removal, metadata and user-facing input errors."""

from __future__ import annotations

import html as htmllib
import random
import unicodedata
from pathlib import Path

import opencc
import pytest
import yaml

from auditor import ingest
from auditor.errors import InputError
from auditor.model import Document

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold"

SIMPLIFIED = (
    "2023年，我市坚持以习近平法治思想为指导，全面推进依法行政，严格执行重大行政决策程序，"
    "深化“放管服”改革，法治政府建设取得明显成效。现将有关情况报告如下："
)
TRADITIONAL = (
    "一、法治政府建設情況\n"
    "（一）依法全面履行政府職能\n"
    "一是推行“雙隨機一公開”監管。按照國務院和省、市政府簡政放權、放管結合、優化服務相關文件精神，"
    "大力推廣隨機抽查和聯合檢查，逐步實現“一張表格管檢查”，切實解決檢查任性和執法擾民等問題。\n"
    "二是嚴格執行重大行政決策制度，堅持依法決策、科學決策、民主決策。"
)
FURNITURE_WORDS = ("首页", "当前位置", "打印本页", "关闭窗口", "【字体", "分享到", "浏览次数",
                   "索引号", "主题分类", "发布机构", "组配分类", "文件编号", "发布日期", "发布时间",
                   "扫一扫", "版权所有", "网站标识码", "相关链接")

_T2S = opencc.OpenCC("t2s")


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    p = tmp_path / name
    if isinstance(data, str):
        p.write_text(data, encoding="utf-8")
    else:
        p.write_bytes(data)
    return p


def _error(path: Path, **kw: object) -> InputError:
    with pytest.raises(InputError) as info:
        ingest.load(path, **kw)
    return info.value


def _char_ok(orig: str, norm: str) -> bool:
    """Does ``orig`` (one char of ``original``) normalise to ``norm`` (one char of ``text``)?"""
    if orig == "\n":
        return norm == "\n"
    o = ord(orig)
    ch = chr(o - 0xFEE0) if 0xFF01 <= o <= 0xFF5E else orig
    if ch == "\t" or unicodedata.category(ch) == "Zs":
        ch = " "
    return norm in {ch, _T2S.convert(ch)}


def _assert_offsets(doc: Document) -> None:
    assert len(doc.offsets) == len(doc.text) + 1
    assert doc.offsets[-1] == len(doc.original)
    assert all(a < b for a, b in zip(doc.offsets, doc.offsets[1:], strict=False))
    for i, ch in enumerate(doc.text):
        assert _char_ok(doc.original[doc.offsets[i]], ch), (i, ch, doc.original[doc.offsets[i]])


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("text", [SIMPLIFIED, TRADITIONAL, "法治政府建设情况报告", "监管"])
def test_utf8_with_and_without_bom(tmp_path: Path, text: str) -> None:
    plain = ingest.load(_write(tmp_path, "a.txt", text.encode("utf-8")))
    bom = ingest.load(_write(tmp_path, "b.txt", b"\xef\xbb\xbf" + text.encode("utf-8")))
    assert plain.original == bom.original == text
    assert plain.text == bom.text
    assert plain.sha256 != bom.sha256  # hash of the raw bytes


def test_utf16_bom(tmp_path: Path) -> None:
    doc = ingest.load(_write(tmp_path, "a.txt", SIMPLIFIED.encode("utf-16")))
    assert doc.original == SIMPLIFIED


@pytest.mark.parametrize(
    "text", [SIMPLIFIED, TRADITIONAL, "法治政府建设情况报告", "嚴格執行重大行政決策制度", "依法行政"]
)
def test_gb18030_decodes_right(tmp_path: Path, text: str) -> None:
    doc = ingest.load(_write(tmp_path, "gb.txt", text.encode("gb18030")))
    assert doc.original == text


@pytest.mark.parametrize(
    "text", [TRADITIONAL, "法治政府建設情況報告", "嚴格執行重大行政決策制度", "依法行政", "監管"]
)
def test_big5_decodes_right(tmp_path: Path, text: str) -> None:
    doc = ingest.load(_write(tmp_path, "big5.txt", text.encode("big5")))
    assert doc.original == text
    assert "\ufffd" not in doc.text


def test_crlf_line_endings(tmp_path: Path) -> None:
    doc = ingest.load(_write(tmp_path, "a.txt", TRADITIONAL.replace("\n", "\r\n").encode("utf-8")))
    assert "\r" not in doc.original
    assert doc.original == TRADITIONAL


def test_undecodable_is_a106(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, "bad.txt", b"report \x81\x20\xff\xfe\xff text \xff"))
    assert err.code == "A106"
    assert err.exit_code == 2
    assert "bad.txt" in err.format_message() and "\n" not in err.format_message()


def test_mojibake_is_refused_not_guessed(tmp_path: Path) -> None:
    # Latin-1 accented text decodes as "Chinese" in GB18030/Big5, but not as common Chinese.
    latin = ("Le rapport annuel présenté à l'assemblée générale évoque les états financiers "
             "détaillés, élaborés après révision." * 3)
    assert _error(_write(tmp_path, "fr.txt", latin.encode("latin-1"))).code == "A106"


# --------------------------------------------------------------------------- normalisation


def test_full_width_and_whitespace() -> None:
    original = "\u3000\u3000（一）加强领导：坚持　依法；行政，ＡＢＣ１２３！\t\t结束 \n\n   \n\u00a0第二行  有  空格"
    doc = ingest.from_text(original)
    assert doc.text == "(一)加强领导:坚持 依法;行政,ABC123! 结束\n第二行 有 空格"
    _assert_offsets(doc)


def test_pinyin_removed_but_ordinary_parentheses_kept() -> None:
    original = ("推行“雙隨機一公開”監(jiān)管，逐步實(shí)現(xiàn)目標，健全監（jiān）督機制，"
                "按照《實施方案（試行）》和《綱要(2021—2025年)》及(一)(二)(PPP)(app)執行。")
    doc = ingest.from_text(original)
    assert "监管" in doc.text and "实现" in doc.text and "监督" in doc.text
    for kept in ("(试行)", "(2021—2025年)", "(一)", "(二)", "(PPP)", "(app)"):
        assert kept in doc.text
    assert "jiān" not in doc.text and "shí" not in doc.text and "xiàn" not in doc.text
    _assert_offsets(doc)


def test_traditional_to_simplified_with_exact_offsets() -> None:
    doc = ingest.from_text(TRADITIONAL)
    assert "法治政府建设情况" in doc.text
    assert "严格执行重大行政决策制度" in doc.text
    assert "监管" in doc.text and "实现" in doc.text
    _assert_offsets(doc)
    a = doc.text.index("严格执行")
    assert doc.quote(a, a + 4) == "嚴格執行"


def test_random_spans_quote_the_original() -> None:
    original = TRADITIONAL.replace("監管", "監(jiān)管").replace("實現", "實(shí)現(xiàn)")
    doc = ingest.from_text("　　" + original.replace("\n", "\n\n　"))
    _assert_offsets(doc)
    rng = random.Random(7)
    line_starts = [0] + [i + 1 for i, c in enumerate(doc.text) if c == "\n"]
    line_ends = [i for i, c in enumerate(doc.text) if c == "\n"] + [len(doc.text)]
    for _ in range(300):
        k = rng.randrange(len(line_starts))
        lo, hi = line_starts[k], line_ends[k]
        a = rng.randrange(lo, hi)
        b = rng.randrange(a + 1, hi + 1)
        quoted = doc.quote(a, b)
        assert quoted == doc.original[doc.offsets[a] : doc.offsets[b - 1] + 1]
        # Normalising the quote again gives back the same span of ``text``.
        assert ingest.from_text(quoted).text == doc.text[a:b].strip(" ")


def test_empty_span_and_multiline_quote() -> None:
    doc = ingest.from_text("第一行\n\n第二行")
    assert doc.text == "第一行\n第二行"
    assert doc.quote(0, len(doc.text)) == "第一行\n\n第二行"
    assert doc.quote(2, 2) == ""


def test_markdown_heading_markers(tmp_path: Path) -> None:
    md = "# 示例县2023年度法治政府建设情况报告\n\n## 一、主要举措\n\n" + SIMPLIFIED + "\n"
    doc = ingest.load(_write(tmp_path, "r.md", md))
    assert doc.format == "md"
    assert "#" not in doc.text
    assert [doc.text[a:b] for a, b, _ in doc.headings] == ["示例县2023年度法治政府建设情况报告", "一、主要举措"]
    assert [lvl for _, _, lvl in doc.headings] == [1, 2]
    assert doc.meta.title == "示例县2023年度法治政府建设情况报告"


# --------------------------------------------------------------------------- furniture & metadata


SCRAPED = """首页 > 政府信息公开>法定主动公开内容>行政执法
|
示例区2023年度法治政府建设情况报告
发布日期:2024-01-20 09:30 来源: 区司法局 【字体:大 中 小】 打印本页
中共示例区委
示例区人民政府
示例区2023年度法治政府建设情况报告
2023年,示例区坚持以习近平法治思想为指导,全面推进依法行政。现将示例区2023年度法治政府建设情况报告如下:
一、加强党的领导
区政府依法推进信息公开,对每条政务信息核实来源,确保来源可靠;发布机构调整后及时更新公开目录。
群众通过扫一扫二维码即可查询办事进度,相关链接已在政务服务网公布,今年共办理事项1200件。
(一)推行“扫一扫”执法监督
加强版权保护,维护版权所有者合法权益。
二、下一步工作安排
继续深化法治政府建设。
示例区人民政府
2024年1月18日
扫一扫在手机打开当前页
打印本页 关闭窗口"""


def test_furniture_dropped_body_kept() -> None:
    doc = ingest.from_text(SCRAPED)
    lines = doc.text.split("\n")
    assert lines[0] == "示例区2023年度法治政府建设情况报告"
    for word in ("首页", "打印本页", "关闭窗口", "【字体", "发布日期", "扫一扫在手机"):
        assert word not in doc.text
    assert "|" not in lines
    assert "2024年1月18日" not in doc.text  # trailing date line after the signature
    assert lines[-1] == "示例区人民政府"
    # Body sentences that merely mention furniture words stay.
    assert any(ln.startswith("区政府依法推进信息公开") for ln in lines)
    assert any(ln.startswith("群众通过扫一扫") for ln in lines)
    assert "(一)推行“扫一扫”执法监督" in lines
    assert "加强版权保护,维护版权所有者合法权益。" in lines
    assert doc.text[doc.body_start:].startswith("2023年,示例区坚持")
    assert "首页 >" in doc.original  # furniture stays in the original
    _assert_offsets(doc)


def test_metadata_from_header() -> None:
    meta = ingest.from_text(SCRAPED).meta
    assert meta.title == "示例区2023年度法治政府建设情况报告"
    assert meta.issuer == "中共示例区委、示例区人民政府"
    assert meta.year == 2023
    assert meta.published == "2024-01-20"


def test_metadata_issuer_from_title_and_preamble_year() -> None:
    doc = ingest.from_text("示例市人民政府关于2022年度法治政府建设情况的报告\n" + SIMPLIFIED)
    assert doc.meta.issuer == "示例市人民政府"
    assert doc.meta.year == 2022
    doc = ingest.from_text("法治政府建设工作总结\n现将本市2021年度法治政府建设情况报告如下:\n一、主要工作")
    assert doc.meta.year == 2021


@pytest.mark.parametrize(
    "label",
    ["- [ 发布机构 ] 示例县示例乡人民政府", "- 发布机构: 示例县示例乡人民政府", "【发文机关】示例县示例乡人民政府"],
)
def test_issuer_under_a_site_label_is_read_without_it(label: str) -> None:
    """A government site's index block names the issuer under a label; the label is page
    furniture, the value is the issuer (memo titles and body keys read it)."""
    text = f"- [ 索引号 ] 0001/2025-00003\n{label}\n- [ 成文日期 ] 2025-02-12\n示例乡2024年法治政府建设情况报告\n" + SIMPLIFIED
    assert ingest.from_text(text).meta.issuer == "示例县示例乡人民政府"


def test_year_in_chinese_numerals() -> None:
    doc = ingest.from_text("二〇二三年度法治政府建设情况报告\n" + SIMPLIFIED)
    assert doc.meta.year == 2023


def test_title_quoted_as_written_in_traditional() -> None:
    doc = ingest.from_text("示例縣2023年度法治政府建設情況報告\n" + TRADITIONAL)
    assert doc.meta.title == "示例縣2023年度法治政府建設情況報告"
    assert doc.meta.year == 2023
    assert doc.body_start == doc.text.index("一、法治政府建设情况")


def test_no_header_means_no_metadata() -> None:
    doc = ingest.from_text(TRADITIONAL)
    assert doc.body_start == 0
    assert doc.meta.title is None and doc.meta.year is None
    assert doc.meta.issuer is None and doc.meta.published is None


# --------------------------------------------------------------------------- HTML


def test_html_page_extraction() -> None:
    doc = ingest.load(FIXTURES / "gov_report_page.html")
    assert doc.format == "html"
    for word in FURNITURE_WORDS + ("无障碍", "政务服务", "统计脚本", "微信", "_hmt", "text-indent"):
        assert word not in doc.text, word
    assert doc.meta.published == "2024-03-15"
    assert doc.meta.title == "示例县人民政府关于2023年度法治政府建设情况的报告"
    assert doc.meta.year == 2023
    body = doc.text[doc.body_start :].split("\n")
    expected = [
        "2023年,示例县坚持",
        "一、2023年度推进法治政府建设的主要举措和成效",
        "(一)加强党对法治政府建设的领导。",
        "(二)深化政务公开。",
        "(三)规范公开要素。逐项明确主动公开事项的公开方式、公开范围和公开时限",
        "二、存在的不足和原因",
        "一是行政执法人员",
        "三、2024年度推进法治政府建设的主要安排",
        "2024年,我县将继续",
        "指标 2022年 2023年",
        "行政复议案件 35件 41件",
    ]
    assert len(body) >= len(expected)
    for line, start in zip(body, expected, strict=False):
        assert line.startswith(start), (line, start)
    # Source line breaks inside a <p> vanish between Chinese characters.
    assert "(2021—2025年)》,全面推进依法行政" in doc.text
    assert "信息来源" in doc.text  # body mention survives
    assert "行政复议案件\t35件\t41件" in doc.original
    headings = [(doc.text[a:b], lvl) for a, b, lvl in doc.headings]
    assert headings == [
        ("一、2023年度推进法治政府建设的主要举措和成效", 2),
        ("二、存在的不足和原因", 2),
        ("三、2024年度推进法治政府建设的主要安排", 2),
    ]
    _assert_offsets(doc)


def test_html_gbk_declared_charset(tmp_path: Path) -> None:
    page = (FIXTURES / "gov_report_page.html").read_text(encoding="utf-8")
    page = page.replace("charset=utf-8", "charset=gb2312")
    p = _write(tmp_path, "page.htm", page.encode("gb18030"))
    assert ingest.load(p).text == ingest.load(FIXTURES / "gov_report_page.html").text


def test_html_without_paragraph_tags(tmp_path: Path) -> None:
    page = ("<html><head><title>关于2023年度法治政府建设情况的报告 - 示例镇政府网</title></head><body>"
            "<div class='menu'><a href='/'>首页</a> <a href='/x'>新闻</a></div>"
            "<div id='content'>" + SIMPLIFIED + "<br>一、主要举措<br>" + SIMPLIFIED + "</div>"
            "<div class='foot'>版权所有：示例镇政府</div></body></html>")
    doc = ingest.load(_write(tmp_path, "p.html", page))
    assert doc.meta.title == "关于2023年度法治政府建设情况的报告"
    assert doc.text[doc.body_start :].split("\n")[1] == "一、主要举措"
    assert "版权所有" not in doc.text and "新闻" not in doc.text


# --------------------------------------------------------------------------- .docx


def _build_docx(path: Path) -> None:
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    d = docx.Document()
    d.add_heading("示例县2023年度法治政府建设情况报告", 0)  # Title style
    d.add_paragraph(SIMPLIFIED)
    d.add_heading("一、主要举措和成效", level=1)
    d.add_paragraph("全年办理行政复议案件41件，见下表。")
    table = d.add_table(rows=2, cols=3)
    for r, row in enumerate([("指标", "2022年", "2023年"), ("行政复议案件", "35件", "41件")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_heading("（一）加强组织领导", level=2)
    d.add_paragraph("县政府常务会议专题研究法治政府建设工作4次。")
    cn = d.styles.add_style("标题 1", WD_STYLE_TYPE.PARAGRAPH)
    d.add_paragraph("二、存在的不足", style=cn)
    d.add_paragraph("行政执法人员专业素质有待提升。")
    d.save(str(path))


def test_docx_order_tables_and_headings(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    _build_docx(path)
    doc = ingest.load(path)
    assert doc.format == "docx"
    assert doc.text.split("\n") == [
        "示例县2023年度法治政府建设情况报告",
        ingest.from_text(SIMPLIFIED).text,
        "一、主要举措和成效",
        "全年办理行政复议案件41件,见下表。",
        "指标 2022年 2023年",
        "行政复议案件 35件 41件",
        "(一)加强组织领导",
        "县政府常务会议专题研究法治政府建设工作4次。",
        "二、存在的不足",
        "行政执法人员专业素质有待提升。",
    ]
    assert "指标\t2022年\t2023年" in doc.original
    assert [(doc.text[a:b], lvl) for a, b, lvl in doc.headings] == [
        ("一、主要举措和成效", 1),
        ("(一)加强组织领导", 2),
        ("二、存在的不足", 1),
    ]
    assert doc.meta.title == "示例县2023年度法治政府建设情况报告"
    assert doc.meta.year == 2023
    assert doc.body_start == len("示例县2023年度法治政府建设情况报告") + 1
    _assert_offsets(doc)


# --------------------------------------------------------------------------- errors


def test_missing_file_is_a101(tmp_path: Path) -> None:
    err = _error(tmp_path / "nope.txt")
    assert err.code == "A101" and "nope.txt" in err.format_message()
    assert _error(tmp_path).code == "A101"  # a directory


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n  "])
def test_empty_is_a102(tmp_path: Path, data: bytes) -> None:
    assert _error(_write(tmp_path, "empty.txt", data)).code == "A102"


def test_empty_docx_and_html_are_a102(tmp_path: Path) -> None:
    assert _error(_write(tmp_path, "e.docx", b"")).code == "A102"
    assert _error(_write(tmp_path, "e.html", b"\n")).code == "A102"


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", bytes(range(1, 32)) * 20 + "报告".encode()],
)
def test_binary_is_a103(tmp_path: Path, data: bytes) -> None:
    assert _error(_write(tmp_path, "bin.txt", data)).code == "A103"


@pytest.mark.parametrize("name", ["report.xlsx", "report.odt", "report"])
def test_unsupported_suffix_is_a104(tmp_path: Path, name: str) -> None:
    err = _error(_write(tmp_path, name, SIMPLIFIED))
    assert err.code == "A104" and name in err.format_message()


def test_oversized_is_a105(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, "big.txt", SIMPLIFIED), max_bytes=10)
    assert err.code == "A105"
    assert "上限" in err.format_message()


@pytest.mark.parametrize("data", [SIMPLIFIED.encode("utf-8"), b"PK\x03\x04 broken zip"])
def test_corrupt_docx_is_a107(tmp_path: Path, data: bytes) -> None:
    assert _error(_write(tmp_path, "bad.docx", data)).code == "A107"


def test_zip_that_is_not_a_docx_is_a107(tmp_path: Path) -> None:
    import zipfile

    p = tmp_path / "x.docx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("hello.txt", "not a word document")
    assert _error(p).code == "A107"


def test_furniture_only_is_a108(tmp_path: Path) -> None:
    text = "首页 > 政务公开\n索引号: 123\n发布日期: 2024-01-01\n打印本页 关闭窗口\n"
    assert _error(_write(tmp_path, "f.txt", text)).code == "A108"
    page = "<html><body><nav>首页 新闻</nav><script>var a='正文';</script></body></html>"
    assert _error(_write(tmp_path, "f.html", page)).code == "A108"


def test_error_message_is_one_line(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, "x.xlsx", "abc"))
    msg = err.format_message()
    assert msg.count("\n") == 0 and msg.endswith("[A104]") and "x.xlsx" in msg


# --------------------------------------------------------------------------- seeds


def _seeds() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def _need_seeds() -> None:
    if not SEEDS.is_dir() or not GOLD.is_dir():
        pytest.skip(f"shared seeds/gold not found at {SHARED} (they live outside the repo)")


@pytest.fixture(params=_seeds() or [None], ids=lambda p: p.stem[:3] if p else "none")
def seed(request: pytest.FixtureRequest) -> Path:
    _need_seeds()
    if request.param is None:
        pytest.skip(f"no seed reports in {SEEDS}")
    return request.param


def test_seed_metadata_matches_gold(seed: Path) -> None:
    gold = yaml.safe_load((GOLD / f"{seed.stem}.yaml").read_text(encoding="utf-8"))
    meta = ingest.load(seed).meta
    assert meta.title == gold["title"]
    assert meta.year == gold["year"]
    assert meta.published == (str(gold["published"]) if gold["published"] else None)


def test_seed_furniture_gone(seed: Path) -> None:
    doc = ingest.load(seed)
    for word in FURNITURE_WORDS:
        assert word not in doc.text, word
    lines = doc.text.split("\n")
    assert "|" not in lines and "" not in lines
    assert not any(ln.isdigit() for ln in lines[-3:])  # garbled trailing date like "2023223"
    assert doc.body_start == 0 or doc.text[doc.body_start - 1] == "\n"
    _assert_offsets(doc)


def test_seed_body_start(seed: Path) -> None:
    doc = ingest.load(seed)
    first = doc.text[doc.body_start :].split("\n", 1)[0]
    head = doc.text[: doc.body_start]
    assert "。" in first or first.startswith("一、")
    assert "。" not in head


def test_seed_traditional_is_simplified_without_pinyin() -> None:
    _need_seeds()
    matches = sorted(SEEDS.glob("002_*.txt"))
    if not matches:
        pytest.skip("seed 002 not present")
    doc = ingest.load(matches[0])
    assert "监管" in doc.text and "严格执行" in doc.text
    assert "監" not in doc.text and "執" not in doc.text
    assert not any(v in doc.text for v in "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ")
    assert doc.body_start == 0


def test_seed_other_encodings_and_html_give_same_body(seed: Path, tmp_path: Path) -> None:
    ref = ingest.load(seed)
    original = seed.read_text(encoding="utf-8")
    gb = ingest.load(_write(tmp_path, "gb.txt", original.encode("gb18030")))
    assert gb.text == ref.text and gb.body_start == ref.body_start
    paragraphs = "".join(f"<p>{htmllib.escape(line)}</p>\n" for line in original.split("\n"))
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>政府网站</title>"
        "<script>var x = '首页';</script></head><body>"
        "<div class='nav'><ul><li><a href='/'>首页</a></li>"
        "<li><a href='/zwgk'>政务公开</a></li></ul></div>"
        f"<div class='main'><div class='content'>\n{paragraphs}</div></div>"
        "<div class='footer'>版权所有:示例政府 网站标识码:123</div></body></html>"
    )
    wrapped = ingest.load(_write(tmp_path, "page.html", page))
    assert wrapped.text[wrapped.body_start :] == ref.text[ref.body_start :]
    assert wrapped.meta.title == ref.meta.title


# -- one line splitter ------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "\n", "a", "a\n", "\n\nb", "一、标题\n\n  \n正文。\n（一）小标题", "x\n \n\ty\n"])
def test_line_spans_split_like_str_split_and_skip_blank_lines(text: str) -> None:
    """The one line splitter (ingest, outline and defects use it) cuts where str.split does."""
    assert [text[a:b] for a, b in ingest.line_spans(text)] == text.split("\n")
    spans = list(ingest.nonblank_line_spans(text))
    assert [text[a:b] for a, b in spans] == [s for s in text.split("\n") if s.strip()]
    assert all(a == 0 or text[a - 1] == "\n" for a, _ in spans)


def test_line_spans_start_at_an_offset() -> None:
    text = "标题\n\n正文第一段。\n正文第二段。"
    start = text.index("正文")
    assert [text[a:b] for a, b in ingest.nonblank_line_spans(text, start)] == ["正文第一段。", "正文第二段。"]
    assert list(ingest.nonblank_line_spans(text, len(text))) == []


def test_the_former_module_paths_still_import() -> None:
    """Other modules and branches import these names from the paths used before the split."""
    from auditor.ingest import (  # noqa: F401
        _bounded,
        _docx_blocks,
        _load_docx,
        _normalise_line,
        _read_bytes,
        _t2s,
        from_text,
        load,
        load_bytes,
        read_file,
    )
    from auditor.ingest.formats import EXTRA_FORMATS, ocr_note  # noqa: F401
    from auditor.ingest.ocr import missing_engine  # noqa: F401

    assert ingest.SUFFIX_FORMATS[".pdf"] == EXTRA_FORMATS[".pdf"] == "pdf"


# --------------------------------------------------------------------------- hard-wrapped text
def _wrapped(text: str, width: int) -> str:
    return "\n".join(line[i : i + width] if line else "" for line in text.split("\n") for i in range(0, max(len(line), 1), width))


@pytest.mark.parametrize("width", [30, 45])
def test_hard_wrapped_text_reads_as_the_paragraphs_it_was_cut_from(width: int) -> None:
    """Text cut at a fixed width (copied from a PDF viewer) gives the same verdicts as the
    text it was cut from: a wrapped line is joined to the one it continues."""
    from auditor import match
    from auditor.checklist import builtin_checklists
    from auditor.outline import build

    source = (Path(__file__).resolve().parents[1] / "examples" / "complete-county-2024.txt").read_text(encoding="utf-8")

    def verdicts(text: str) -> dict[str, str]:
        report = match.check(build(ingest.from_text(text, "t.txt", "txt")), builtin_checklists())
        return {f.item_id: f.status for c in report.checklists for f in c.findings}

    wrapped = ingest.from_text(_wrapped(source, width), "w.txt", "txt")
    assert len(wrapped.text.split("\n")) < len(_wrapped(source, width).split("\n")) / 2
    assert verdicts(_wrapped(source, width)) == verdicts(source)


def test_unwrapping_keeps_offsets_and_headings() -> None:
    line = "全年办理行政复议案件四十六件，纠错率百分之十二，调解和解结案十二件，化解行政争议成效明显，群众满意度持续提升。"
    text = "一、主要举措和成效\n" + _wrapped(line * 3, 20) + "\n二、存在的不足和原因\n" + _wrapped(line * 2, 20) + "\n"
    doc = ingest.from_text(text, "w.txt", "txt")
    paras = [doc.quote(a, b).replace("\n", "") for a, b in ingest.nonblank_line_spans(doc.text)]
    assert paras == ["一、主要举措和成效", line * 3, "二、存在的不足和原因", line * 2]
    start = doc.text.index("纠错率")
    a, b = doc.orig_span(start, start + 3)
    assert doc.original[a:b] == "纠错率"


def test_text_that_is_not_wrapped_is_left_alone() -> None:
    text = "一、主要举措和成效\n全年办理行政复议案件46件\n二、存在的不足\n人员不足\n"
    doc = ingest.from_text(text, "t.txt", "txt")
    assert doc.text.split("\n") == ["一、主要举措和成效", "全年办理行政复议案件46件", "二、存在的不足", "人员不足"]


def test_headings_of_one_length_are_no_wrap_width() -> None:
    """Five headings of about the same length, none ending a sentence, look like lines cut at
    one width; they are headings, and the paragraph under each stays its own line."""
    heads = ["一、坚持党建引领，健全法治工作机制", "二、坚持精确执法，规范税务执法行为", "三、坚持精细服务，优化税收营商环境",
             "四、坚持精准监管，防范税收风险隐患", "五、坚持精诚共治，凝聚法治建设合力"]
    body = "局党组专题研究法治建设工作4次，全年办理行政处罚案件32件"
    doc = ingest.from_text("\n".join(f"{h}\n{body}" for h in heads), "t.txt", "txt")
    assert [doc.quote(a, b) for a, b in ingest.nonblank_line_spans(doc.text)][:2] == [heads[0], body]


def test_a_letter_spaced_line_is_read_without_its_spaces() -> None:
    """Justified web text and some PDFs space every character or break a word with a space;
    a line without a full stop keeps its spaces (headers separate fields and joint issuers so)."""
    doc = ingest.from_text("中共某某区委 某某区人民政府\n全 年 办 理 复 议 案 件 4 6 件 。\n全年办理行\u3000政复议案件46件。\n")
    assert doc.text.split("\n")[-2:] == ["全年办理复议案件46件。", "全年办理行政复议案件46件。"]
    assert "中共某某区委 某某区人民政府" in doc.text
    _assert_offsets(doc)


def test_an_emphasised_numbered_heading_opens_the_body() -> None:
    """**一、主要举措和成效** on the first line is the first heading, not the title."""
    doc = ingest.from_text("**一、主要举措和成效**\n全年办理行政复议案件46件。\n")
    assert doc.meta.title is None and doc.body_start == 0


@pytest.mark.parametrize(
    ("text", "year"),
    [
        # no title: the opening paragraph begins with the year it covers
        ("市委全面依法治市委员会：\n2025年，中村乡法治政府建设工作在市委的正确领导下取得新成效。\n一、工作总体情况\n", 2025),
        # no title, no dated opening: the first part heading names the year
        ("我局高度重视法治政府建设。\n一、2024年度推进法治政府建设主要举措和成效\n全年办理案件46件。\n", 2024),
        # "…年是…之年" opens a report too, unless it goes on to a plan
        ("2023年是全面贯彻党的二十大精神的开局之年，全市公安机关认真落实决策部署。\n", 2023),
        ("2025年是收官之年，我局将继续推进。\n", None),
    ],
)
def test_the_year_covered_without_a_title(text: str, year: int | None) -> None:
    assert ingest.from_text(text).meta.year == year
