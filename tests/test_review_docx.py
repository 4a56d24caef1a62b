"""`auditor review draft.docx --format docx`: the author's own document with Word comments at
the text concerned, and nothing else changed."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from lxml import etree

from auditor.cli import main

from .conftest import EXAMPLES
from .formats import convert, need_tools

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DRAFT = EXAMPLES / "draft-township-2024.docx"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def review_docx(src: Path, out: Path) -> Path:
    res = run("review", str(src), "--format", "docx", "--output", str(out))
    assert res.exit_code == 1, res.output  # the draft has gaps
    return out


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory) -> Path:
    return review_docx(DRAFT, tmp_path_factory.mktemp("review") / "draft-审核.docx")


def anchored(path: Path) -> dict[str, str]:
    """Comment id -> the document text between its range markers."""
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    open_ids: list[str] = []
    texts: dict[str, str] = {}
    for el in root.iter():
        tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if tag == "commentRangeStart":
            open_ids.append(el.get(f"{{{W}}}id"))
            texts[open_ids[-1]] = ""
        elif tag == "commentRangeEnd":
            open_ids.remove(el.get(f"{{{W}}}id"))
        elif tag == "t":
            for cid in open_ids:
                texts[cid] += el.text or ""
    return texts


def comments(path: Path) -> dict[str, str]:
    return {str(c.comment_id): c.text for c in docx.Document(str(path)).comments}


def test_comments_sit_at_the_text_they_concern(reviewed: Path) -> None:
    said = comments(reviewed)
    where = anchored(reviewed)
    assert len(said) >= 20 and set(said) == set(where)

    def at(needle: str) -> str:
        return next(where[cid] for cid, text in said.items() if needle in text)

    assert at("“*次”") == "*次"  # a placeholder at its place
    assert at("【待补充】") == "【待补充】"
    assert "坚持依法决策" in at("空泛表述")  # a slogan at its sentence
    assert at("存在的不足和原因（必备，缺失）") == "临江市白石镇2024年度法治政府建设情况报告（征求意见稿）"  # a missing part: the title
    assert at("行政规范性文件备案审查（必备，缺失）") == "一、2024年法治政府建设主要举措和成效"  # nothing written: the results heading
    assert "镇党委书记、镇长认真履行推进法治建设第一责任人职责" in at("第一责任人职责（必备，部分覆盖）")  # at its evidence
    assert all("建议" in text for text in said.values())  # each says what to add
    assert {c.author for c in docx.Document(str(reviewed)).comments} == {"auditor 自查"}


def _normalised_body(raw: bytes) -> bytes:
    """document.xml without comment markers, with neighbouring runs of equal formatting merged."""
    root = etree.fromstring(raw)
    for el in list(root.iter(f"{{{W}}}commentRangeStart", f"{{{W}}}commentRangeEnd")):
        el.getparent().remove(el)
    for ref in list(root.iter(f"{{{W}}}commentReference")):
        run = ref.getparent()
        run.getparent().remove(run)
    for parent in list(root.iter()):
        runs = [r for r in parent if r.tag == f"{{{W}}}r"]
        for left, right in zip(runs, runs[1:], strict=False):
            if left.getnext() is not right or right.getparent() is None:
                continue
            lt, rt = left.findall(f"{{{W}}}t"), right.findall(f"{{{W}}}t")
            same = etree.tostring(left.find(f"{{{W}}}rPr") if left.find(f"{{{W}}}rPr") is not None else etree.Element("x")) == \
                etree.tostring(right.find(f"{{{W}}}rPr") if right.find(f"{{{W}}}rPr") is not None else etree.Element("x"))
            if same and len(lt) == 1 and len(rt) == 1 and len(left) == len(right):
                rt[0].text = (lt[0].text or "") + (rt[0].text or "")
                parent.remove(left)
    for t in root.iter(f"{{{W}}}t"):
        t.attrib.pop("{http://www.w3.org/XML/1998/namespace}space", None)
    return etree.tostring(root, method="c14n")


def _c14n(raw: bytes) -> bytes:
    return etree.tostring(etree.fromstring(raw), method="c14n")


def test_nothing_else_changes(reviewed: Path) -> None:
    """Every part of the original comes back equal (as XML), comments aside."""
    with zipfile.ZipFile(DRAFT) as a, zipfile.ZipFile(reviewed) as b:
        before, after = {n: a.read(n) for n in a.namelist()}, {n: b.read(n) for n in b.namelist()}
    assert set(before) <= set(after) and set(after) - set(before) == {"word/comments.xml"}
    assert _normalised_body(after["word/document.xml"]) == _normalised_body(before["word/document.xml"])
    for name in before:
        if name == "word/document.xml" or not name.endswith((".xml", ".rels")):
            if not name.endswith((".xml", ".rels")):
                assert after[name] == before[name], name
            continue
        old, new = etree.fromstring(before[name]), etree.fromstring(after[name])
        for el in list(new):
            if "comments" in (el.get("Type", "") + el.get("PartName", "") + el.get("ContentType", "")):
                new.remove(el)
        assert etree.tostring(new, method="c14n") == _c14n(before[name]) or \
            sorted(etree.tostring(e, method="c14n") for e in new) == sorted(etree.tostring(e, method="c14n") for e in old), name


def test_existing_comments_survive(tmp_path: Path) -> None:
    document = docx.Document(str(DRAFT))
    first = next(p for p in document.paragraphs if p.text.strip())
    document.add_comment(first.runs, text="请核对标题。", author="科员甲", initials="甲")
    src = tmp_path / "draft-with-comment.docx"
    document.save(str(src))
    out = review_docx(src, tmp_path / "out.docx")
    said = list(docx.Document(str(out)).comments)
    assert [c.text for c in said if c.author == "科员甲"] == ["请核对标题。"]
    assert sum(c.author == "auditor 自查" for c in said) >= 20
    ids = [c.comment_id for c in said]
    assert len(ids) == len(set(ids))


def test_libreoffice_opens_the_commented_draft(reviewed: Path, tmp_path: Path) -> None:
    need_tools("soffice")
    (odt,) = convert([reviewed], "odt", tmp_path)
    with zipfile.ZipFile(odt) as zf:
        content = zf.read("content.xml").decode("utf-8")
    assert content.count("<office:annotation") >= 20  # the comments came through as annotations
    assert "临江市白石镇" in content


def test_docx_review_needs_a_docx_and_an_output(tmp_path: Path) -> None:
    res = run("review", str(EXAMPLES / "draft-township-2024.txt"), "--format", "docx", "--output", str(tmp_path / "x.docx"))
    assert res.exit_code == 2 and "[A301]" in res.stderr and ".docx" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    res = run("review", str(DRAFT), "--format", "docx")
    assert res.exit_code == 2 and "--output" in res.stderr
    res = run("review", str(DRAFT), "--format", "docx", "--output", str(DRAFT))
    assert res.exit_code == 2 and "A302" in res.stderr
    assert not (tmp_path / "x.docx").exists()


def test_commented_bytes_read_back(reviewed: Path) -> None:
    """The output is a valid package python-docx reads whole (paragraph text unchanged)."""
    before = [p.text for p in docx.Document(str(DRAFT)).paragraphs]
    after = [p.text for p in docx.Document(io.BytesIO(reviewed.read_bytes())).paragraphs]
    assert before == after


def test_the_page_offers_the_commented_draft_for_a_docx(checklists) -> None:
    import base64

    from fastapi.testclient import TestClient

    from auditor.limits import Limits
    from auditor.serve import create_app

    client = TestClient(create_app(checklists, Limits(), max_upload=2_000_000), base_url="http://127.0.0.1:8765")
    res = client.post("/", files={"file": ("草稿.docx", DRAFT.read_bytes())})
    assert res.status_code == 200
    import lxml.html

    links = {a.get("download"): a.get("href") for a in lxml.html.document_fromstring(res.text).xpath("//a[@download]")}
    data = base64.b64decode(links["草稿-审核.docx"].split(",", 1)[1])
    said = list(docx.Document(io.BytesIO(data)).comments)
    assert len(said) >= 20 and all(c.author == "auditor 自查" for c in said)
    res = client.post("/", files={"file": ("草稿.txt", (EXAMPLES / "draft-township-2024.txt").read_bytes())})
    assert res.status_code == 200 and "-审核.docx" not in res.text  # a text draft has no Word file to return
    res = client.post("/api/check", files={"file": ("旧稿.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)})
    assert res.status_code == 415 and "另存为 .docx" in res.json()["error"]
