"""The reporting body's name has one reading, ``level.body_name`` (issue 13).

It replaced three: the summary's ``_org_name`` (archive and compare keys), ``level.title_body``
(the level from the title) and the memo's ``reporting_body`` (the memo's title and header). The
table covers what each handled, and says where the old readings went wrong.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from auditor.bodies import body_key
from auditor.level import body_name, level_of_name, resolve
from auditor.memo.build import memo_title
from auditor.model import Metadata

# (issuer, title, body name)
TABLE = [
    # the issuer found in the report wins, as written (all three)
    ("临江县人民政府", "临江县人民政府关于2024年度法治政府建设情况的报告", "临江县人民政府"),
    ("临江县人民政府", "2024年度法治政府建设情况报告", "临江县人民政府"),
    ("临江市司法局", None, "临江市司法局"),
    # joint issuers keep one space between the names (memo); the summary dropped it (body_key still does)
    ("中共临江县委  临江县人民政府", "关于2024年度临江县法治政府建设工作情况的报告", "中共临江县委 临江县人民政府"),
    ("  ", "白石镇2024年法治政府建设工作报告", "白石镇"),
    # no issuer: the words of the title before 关于 or the year (all three)
    (None, "临江县人民政府关于2024年度法治政府建设情况的报告", "临江县人民政府"),
    (None, "临江市白石镇2024年度法治政府建设情况报告（征求意见稿）", "临江市白石镇"),
    (None, "临江市司法局二〇二四年度法治政府建设情况报告", "临江市司法局"),
    (None, "汀州市南湖区柳岸街道办事处2024年法治政府建设工作情况报告", "汀州市南湖区柳岸街道办事处"),
    (None, "北湖县人民政府 关于2024年度法治政府建设情况的报告", "北湖县人民政府"),
    # a leading 关于, a leading year, a page's “标  题:” label (title_body; the others kept them)
    (None, "关于临江区司法局2024年度法治政府建设情况的报告", "临江区司法局"),
    (None, "2024年江屿省法治政府建设情况报告", "江屿省"),
    (None, "2024年江屿省司法厅法治政府建设情况报告 (2025-03-26)", "江屿省司法厅"),
    (None, "标          题: 江屿省2022年度法治政府建设情况报告 主   题   词:", "江屿省"),
    (None, "- 标题: 桂川市市场监督管理局2024年度法治政府建设报告", "桂川市市场监督管理局"),
    # Traditional characters are read as Simplified (title_body)
    (None, "青島市2024年度法治政府建設情況報告", "青岛市"),
    # names the memo's office-word test refused (a 办, a Party group), which the others kept
    (None, "临江区政府办2025年度法治政府建设工作报告", "临江区政府办"),
    (None, "中共临江县教育局党组2024年度法治政府建设年度报告 - 文号:", "中共临江县教育局党组"),
    # no body named
    (None, "关于2024年法治政府建设情况的报告", None),
    (None, "法治政府建设情况年度报告", None),
    (None, "示例报告", None),
    (None, "市2024年度法治政府建设情况报告", None),
    (None, "很" * 41 + "2024年度法治政府建设情况报告", None),
    (None, None, None),
    ("", "", None),
]


@pytest.mark.parametrize(("issuer", "title", "body"), TABLE)
def test_body_names(issuer: str | None, title: str | None, body: str | None) -> None:
    assert body_name(issuer, title) == body


@pytest.mark.parametrize(("issuer", "title", "body"), [row for row in TABLE if row[2]])
def test_the_memo_title_and_the_level_read_the_same_name(issuer: str | None, title: str | None, body: str) -> None:
    meta = Metadata(title=title, issuer=issuer, year=2024)
    assert memo_title(meta, SimpleNamespace(path="r.txt")) == f"关于{body}2024年度法治政府建设情况报告的审核意见"
    if not (issuer and issuer.strip()):  # the level from the title is the level of that name
        assert resolve(None, title).level == level_of_name(body)


def test_the_key_ignores_how_joint_names_are_spaced() -> None:
    assert body_key(body_name("中共临江县委  临江县人民政府", None)) == body_key("中共临江县委临江县人民政府")
