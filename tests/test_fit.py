"""Fitting the checklists to a report (issue 14): level, year, not-applicable and overrides.

Level inference is held by a reference table of body names (``tests/data/levels.tsv``) and,
where ``../shared`` is present, by the titles and issuers of the real pages of the dev corpus.
Years and applicability are checked on the project's own example reports, rewritten to other
years in a temporary folder; overrides through the CLI, the batch and the local page.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from auditor.cli import main
from auditor.errors import AuditorError
from auditor.level import level_of_name, resolve
from auditor.model import Metadata

from .conftest import EXAMPLES, SHARED

DATA = Path(__file__).resolve().parent / "data"
DEVCORPUS = SHARED / "devcorpus"
COUNTY = EXAMPLES / "complete-county-2024.txt"
TOWNSHIP = EXAMPLES / "draft-township-2024.txt"


def _names() -> list[tuple[str, str]]:
    lines = [ln for ln in (DATA / "levels.tsv").read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return [(r["name"], r["level"]) for r in csv.DictReader(lines, delimiter="\t")]


# -- level ---------------------------------------------------------------------------------
def test_level_table_has_at_least_forty_real_bodies() -> None:
    assert len(_names()) >= 40 + 20


@pytest.mark.parametrize(("name", "level"), _names())
def test_level_of_a_body_name(name: str, level: str) -> None:
    assert level_of_name(name) == level


@pytest.mark.parametrize(
    ("issuer", "title", "kind", "expected"),
    [
        ("玉环市人民政府", None, None, ("county", "issuer")),
        (None, "临江市白石镇2024年度法治政府建设情况报告", None, ("township", "title")),
        (None, "关于浦东新区司法局2024年度法治政府建设情况的报告", None, ("department", "title")),
        (None, "2024年上海市法治政府建设情况报告", None, ("province", "title")),
        (None, "中共姚安县委 姚安县人民政府2025年度法治政府建设情况报告", None, ("county", "title")),
        (None, "标  题: 江苏省2022年度法治政府建设情况报告", None, ("province", "title")),
        (None, "2024年度法治政府建设情况报告", None, (None, None)),
        ("玉环市人民政府", None, "city", ("city", "option")),
        ("xx市人民政府", None, None, (None, None)),  # anonymised: a 设区的市 or a county-level city
        ("某市司法局", None, None, ("department", "issuer")),
    ],
)
def test_level_resolution_says_where_it_came_from(issuer, title, kind, expected) -> None:
    got = resolve(issuer, title, kind)
    assert (got.level, got.source) == expected


def test_real_titles_and_issuers_of_the_dev_corpus() -> None:
    """Every page whose level can be told is told right, and at least 40 can be told."""
    if not (DEVCORPUS / "index.tsv").is_file():
        pytest.skip(f"dev corpus not present at {DEVCORPUS} (it lives outside the project; CI provides it)")
    from auditor import ingest

    rows = list(csv.DictReader((DEVCORPUS / "index.tsv").read_text(encoding="utf-8").splitlines(), delimiter="\t"))
    told, wrong = 0, []
    for row in rows:
        meta = ingest.load(DEVCORPUS / "pages" / f"{row['id']}.txt").meta
        got = resolve(meta.issuer, meta.title).level
        if got is not None:
            told += 1
            if got != row["level"]:
                wrong.append((row["id"], got, row["level"]))
        body = resolve(row["body"].replace("(inferred)", ""), None).level
        if "anonymized" not in row["body"] and body != row["level"]:
            wrong.append((row["id"], body, row["level"]))
    assert not wrong
    assert told >= 40


# -- running the CLI -------------------------------------------------------------------------
def _run(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return res.exit_code, res.stdout, res.stderr


def _json(path: Path, *args: str) -> dict:
    code, out, err = _run("check", str(path), "--format", "json", *args)
    assert code in (0, 1), err
    return json.loads(out)


def _items(data: dict) -> dict[str, dict]:
    return {it["id"]: it for c in data["checklists"] for it in c["items"]}


def _variant(tmp_path: Path, year: int, drop_xi: bool = False) -> Path:
    """The example county report moved to another year (and without 习近平法治思想)."""
    text = COUNTY.read_text(encoding="utf-8").replace("2025", "\0").replace("2024", str(year))
    text = text.replace("\0", str(year + 1))
    if drop_xi:
        # nothing of the item's vocabulary may remain (the work conference of 2020 names it too)
        text = text.replace("习近平法治思想", "法治理论").replace("全面依法治国工作会议", "法治工作会议")
    path = tmp_path / f"county-{year}.txt"
    path.write_text(text, encoding="utf-8")
    return path


# -- applicability -------------------------------------------------------------------------------
def test_township_is_not_asked_for_reconsideration(tmp_path: Path) -> None:
    data = _json(TOWNSHIP)
    assert (data["source"]["level"], data["source"]["level_from"]) == ("township", "title")
    item = _items(data)["disputes.administrative-reconsideration"]
    assert item["status"] == item["auto_status"] == "not-applicable"
    assert "不是行政复议机关" in item["reason"]
    assert "disputes.administrative-reconsideration" not in data["checklists"][0]["summary"]["required_open"]
    code, memo, _ = _run("memo", str(TOWNSHIP), "--format", "md")
    assert "发挥行政复议化解行政争议主渠道作用" not in memo
    assert "对本报告不适用" in memo
    # As a county the same text is asked for it (required and not covered).
    county = _items(_json(TOWNSHIP, "--kind", "county"))["disputes.administrative-reconsideration"]
    assert county["status"] == "missing" and county["severity"] == "required"


def test_county_without_legislative_power_is_not_asked_for_legislation() -> None:
    data = _json(COUNTY)
    assert data["source"]["level"] == "county"
    assert _items(data)["rules.legislation"]["status"] == "not-applicable"
    assert _items(_json(COUNTY, "--kind", "city"))["rules.legislation"]["status"] != "not-applicable"


def test_not_applicable_is_left_out_of_the_score() -> None:
    data = _json(TOWNSHIP)
    for cl in data["checklists"]:
        s = cl["summary"]
        n = s["covered"] + s["partial"] + s["missing"]
        assert s["not_applicable"] == sum(it["status"] == "not-applicable" for it in cl["items"])
        assert s["score"] == round(100 * (s["covered"] + 0.5 * s["partial"]) / n, 1)


def test_devcorpus_townships_show_reconsideration_as_not_applicable() -> None:
    if not (DEVCORPUS / "index.tsv").is_file():
        pytest.skip(f"dev corpus not present at {DEVCORPUS} (it lives outside the project; CI provides it)")
    from auditor.checklist import resolve as lists
    from auditor.pipeline import check, read_outline

    rows = [r for r in csv.DictReader((DEVCORPUS / "index.tsv").read_text(encoding="utf-8").splitlines(),
                                       delimiter="\t") if r["level"] == "township"]
    inferred = 0
    for row in rows:
        tree = read_outline(DEVCORPUS / "pages" / f"{row['id']}.txt")
        report = check(tree, lists(["outline-2021-2025"]), None if tree.doc.meta.title else "township")
        inferred += report.level_from != "option"
        status = {f.item_id: f.status for c in report.checklists for f in c.findings}
        assert status["disputes.administrative-reconsideration"] == "not-applicable", row["id"]
    assert inferred >= 10


# -- years ------------------------------------------------------------------------------------------
def test_a_2025_report_gets_the_supplement_items_in_force_in_2025(tmp_path: Path) -> None:
    data = _json(_variant(tmp_path, 2025))
    assert data["source"]["year"] == 2025
    items = _items(data)
    assert {"outline-2021-2025", "report-structure", "supplement-2024-2026"} == {c["id"] for c in data["checklists"]}
    assert "supplement.enterprise-inspection-limits" in items  # 国办发〔2024〕54号, from 2025
    assert items["supplement.enterprise-inspection-limits"]["status"] == "covered"
    assert "supplement.enforcement-quality-plan" in items  # 2023–2025
    assert "supplement.enforcement-supervision-regulation" not in items  # in force 2026-02-01
    assert "functions.streamline-services" in items
    assert not any("新纲要" in w for w in data["source"].get("warnings", []))


def test_a_2026_report_is_judged_without_the_ended_outline_s_time_bound_tasks(tmp_path: Path) -> None:
    data = _json(_variant(tmp_path, 2026))
    items = _items(data)
    assert "supplement.enforcement-supervision-regulation" in items
    assert "supplement.enforcement-quality-plan" not in items
    for time_bound in ("functions.streamline-services", "enforcement.system-reform", "digital.platforms"):
        assert time_bound not in items
    assert items["disputes.administrative-reconsideration"]["severity"] == "required"  # still in force
    notes = [w for w in data["source"]["warnings"] if "新纲要" in w]
    assert len(notes) == 1 and "2026年度" in notes[0] and "--checklist" in notes[0]
    code, text, err = _run("check", str(_variant(tmp_path, 2026)))
    assert "新纲要" in text and "新纲要" in err


def test_a_successor_outline_is_a_yaml_file_not_code(tmp_path: Path) -> None:
    """Once a new outline is written as a checklist with its years, 2026 reports use it, and the
    note that there is no successor goes away."""
    successor = tmp_path / "outline-2026-2030.yaml"
    successor.write_text(
        "id: outline-2026-2030\ntitle: 新纲要主要任务\nversion: \"1\"\nbasis: 新纲要\nyears: {from: 2026, to: 2030}\n"
        "items:\n  - id: next.reconsideration\n    title: 行政复议\n    cite: 新纲要\n    severity: required\n"
        "    requirement: 报告行政复议工作。\n    advice: 请补充行政复议数据。\n    terms: [行政复议]\n",
        encoding="utf-8")
    report = _variant(tmp_path, 2026)
    data = _json(report, "--checklist", "outline-2021-2025", "--checklist", "supplement-2024-2026",
                 "--checklist", str(successor))
    assert "outline-2026-2030" in {c["id"] for c in data["checklists"]}
    assert _items(data)["next.reconsideration"]["status"] == "covered"
    assert not any("新纲要" in w for w in data["source"].get("warnings", []))
    earlier = _json(_variant(tmp_path, 2025), "--checklist", str(Path(__file__).resolve().parent.parent / "checklists"), "--checklist", str(successor))
    assert "outline-2026-2030" not in {c["id"] for c in earlier["checklists"]}


def test_a_2019_report_carries_the_warning_and_is_not_asked_for_xi_thought(tmp_path: Path) -> None:
    data = _json(_variant(tmp_path, 2019, drop_xi=True))
    warnings = data["source"]["warnings"]
    assert any("早于所对照的检查清单" in w and "2019年度" in w for w in warnings)
    items = _items(data)
    xi = items["leadership.xi-law-thought-study"]
    assert xi["status"] == "not-applicable" and "2020年11月" in xi["reason"]
    assert not any(i.startswith("supplement.") for i in items)
    assert {c["id"] for c in data["checklists"]} == {"outline-2021-2025", "report-structure"}
    memo = _run("memo", str(_variant(tmp_path, 2019, drop_xi=True)), "--format", "md")[1]
    assert "早于所对照的检查清单" in memo
    # For a 2022 report the same gap is a gap.
    assert _items(_json(_variant(tmp_path, 2022, drop_xi=True)))["leadership.xi-law-thought-study"]["status"] == "missing"


def test_checklists_list_shows_years_and_levels() -> None:
    code, out, _ = _run("checklists", "list")
    assert code == 0
    lines = {ln.split("\t")[0]: ln for ln in out.splitlines()}
    assert "2021—2025年度（2026年度起仍适用" in lines["outline-2021-2025"]
    assert "乡镇" in lines["outline-2021-2025"] and "2023年度起" in lines["supplement-2024-2026"]
    assert "各年度\t各层级" in lines["report-structure"]


def test_every_supplement_item_cites_its_source_and_year(checklists) -> None:
    supplement = next(c for c in checklists if c.id == "supplement-2024-2026")
    assert len(supplement.items) >= 10
    for item in supplement.items:
        assert item.cite and item.years[0] in (2023, 2024, 2025, 2026), item.id
        assert not item.applies_to or item.not_applicable


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ("    applies_to: [township]\n", "applies_to 与 not_applicable"),
        ("    years: {from: 2026, to: 2020}\n", "晚于终止年份"),
        ("    years: {since: 2024}\n", "未知的键“since”"),
        ("    applies_to: [village]\n    not_applicable: 无\n", "取值“village”无效"),
    ],
)
def test_applies_to_and_years_are_validated(tmp_path: Path, snippet: str, message: str) -> None:
    from auditor.checklist import load_checklist

    text = ("id: t\ntitle: 测试\nversion: \"1\"\nbasis: 测试\nitems:\n  - id: a.b\n    title: 测试\n    cite: 测试\n"
            "    severity: recommended\n    requirement: 测试\n    advice: 测试\n    terms: [行政复议]\n" + snippet)
    (tmp_path / "t.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(AuditorError) as info:
        load_checklist(tmp_path / "t.yaml")
    assert message in info.value.format_message()
    assert re.search(r"t\.yaml:\d+: ", info.value.format_message())


def test_unknown_year_is_judged_as_of_the_latest_period(checklists) -> None:
    from auditor.fit import fit_report

    fit = fit_report(Metadata(title="某县法治政府建设情况报告"), None, checklists)
    assert fit.basis_year == 2025 and fit.level.level == "county" and fit.notes


# -- overrides ----------------------------------------------------------------------------------------
def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_overrides(tmp_path: Path, entries: list[dict]) -> Path:
    path = tmp_path / "复核.yaml"
    path.write_text(yaml.safe_dump({"reports": entries}, allow_unicode=True), encoding="utf-8")
    return path


def _gaps(path: Path) -> list[str]:
    return [i for c in _json(path)["checklists"] for i in c["summary"]["required_open"]]


def test_overrides_change_verdict_exit_status_score_and_memo(tmp_path: Path) -> None:
    report = tmp_path / TOWNSHIP.name
    shutil.copy(TOWNSHIP, report)
    gaps = _gaps(report)
    assert gaps and _run("check", str(report))[0] == 1
    decisions = {g: {"status": "covered", "note": "附件已补充", "by": "张三", "date": "2026-03-02"} for g in gaps}
    decisions["leadership.report-on-law"] = {"status": "not-applicable", "note": "本年度未开展述法"}
    ov = _write_overrides(tmp_path, [{"file": report.name, "sha256": _sha(report), "items": decisions}])
    before, after = _json(report), _json(report, "--overrides", str(ov))
    schema = json.loads((Path(__file__).resolve().parent.parent / "auditor/schema/check.schema.json").read_text())
    jsonschema.validate(after, schema)
    item = _items(after)["leadership.report-on-law"]
    assert (item["status"], item["auto_status"]) == ("not-applicable", "missing")
    assert item["override"] == {"by": "", "date": "", "note": "本年度未开展述法"}
    first = _items(after)[gaps[0]]
    assert (first["status"], first["override"]["by"], first["override"]["date"]) == ("covered", "张三", "2026-03-02")
    assert after["checklists"][0]["summary"]["score"] > before["checklists"][0]["summary"]["score"]
    assert _run("check", str(report), "--overrides", str(ov))[0] == 0
    text = _run("check", str(report), "--overrides", str(ov))[1]
    assert "人工复核：不适用（自动判定：缺失；说明：本年度未开展述法）" in text
    memo = _run("memo", str(report), "--format", "md", "--overrides", str(ov))[1]
    assert "经人工复核改定结论" in memo and "“述法（领导干部年终述法、述职述法）”改定为“不适用”" in memo
    assert "述法（领导干部年终述法、述职述法）（建议项" not in memo  # not among the things to add
    assert "必备项" in memo and "缺失0项" in memo
    # A second run with the same file gives the same result (the decision sticks).
    assert _json(report, "--overrides", str(ov))["checklists"] == after["checklists"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"sha256": "0" * 64, "items": {"no.such-item": {"status": "covered"}}}, "未知的条目“no.such-item”"),
        ({"sha256": "0" * 64, "items": {"leadership.report-on-law": {"status": "ok"}}}, "取值“ok”无效"),
        ({"sha256": "xyz", "items": {"leadership.report-on-law": {"status": "covered"}}}, "64 位"),
        ({"sha256": "0" * 64, "items": {"leadership.report-on-law": {"status": "covered", "date": "昨天"}}}, "应为日期"),
        ({"sha256": "0" * 64, "items": {"leadership.report-on-law": {"status": "covered", "who": "x"}}}, "未知的键“who”"),
    ],
)
def test_overrides_are_validated_with_file_and_line(tmp_path: Path, entry: dict, message: str) -> None:
    ov = _write_overrides(tmp_path, [entry])
    code, out, err = _run("check", str(TOWNSHIP), "--overrides", str(ov))
    assert code == 2 and out == ""
    assert "人工复核文件未通过校验" in err and message in err
    assert re.search(r"复核\.yaml:\d+: ", err)


def test_stale_overrides_are_reported_not_applied(tmp_path: Path) -> None:
    report = tmp_path / TOWNSHIP.name
    shutil.copy(TOWNSHIP, report)
    ov = _write_overrides(tmp_path, [{"file": report.name, "sha256": _sha(report),
                                      "items": {"leadership.report-on-law": {"status": "covered"}}}])
    report.write_text(report.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    data = _json(report, "--overrides", str(ov))
    assert _items(data)["leadership.report-on-law"]["status"] == "missing"
    assert any("已过期" in w for w in data["source"]["warnings"])


def test_batch_applies_overrides_and_flags_stale_entries(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    for src in (TOWNSHIP, COUNTY):
        shutil.copy(src, corpus / src.name)
    town, county = corpus / TOWNSHIP.name, corpus / COUNTY.name
    gaps = _gaps(town)
    ov = _write_overrides(tmp_path, [
        {"file": town.name, "sha256": _sha(town), "items": {g: {"status": "covered"} for g in gaps}},
        {"file": county.name, "sha256": "1" * 64, "items": {"leadership.report-on-law": {"status": "missing"}}},
    ])
    out = tmp_path / "out"
    code, _, err = _run("batch", str(corpus), "--output", str(out), "--workers", "1", "--overrides", str(ov))
    rows = {r["文件"]: r for r in csv.DictReader((out / "summary.csv").read_text(encoding="utf-8-sig").splitlines())}
    assert rows[str(town)]["未达标必备项"] == ""
    assert "已过期" in err and county.name in err
    assert "已过期的人工复核意见（1 条" in (out / "summary.html").read_text(encoding="utf-8")
    town_json = json.loads((out / "draft-township-2024.json").read_text(encoding="utf-8"))
    assert all(_items(town_json)[g]["status"] == "covered" for g in gaps)
    # The re-run is served from the cache and gives the same summary and the same warning.
    summary = (out / "summary.csv").read_bytes()
    code2, _, err2 = _run("batch", str(corpus), "--output", str(out), "--workers", "1", "--overrides", str(ov))
    assert (out / "summary.csv").read_bytes() == summary and code2 == code
    assert "沿用缓存 2 份" in err2 and "已过期" in err2


def test_the_page_marks_items_downloads_overrides_and_loads_them_back(checklists) -> None:
    from fastapi.testclient import TestClient

    from auditor.limits import Limits
    from auditor.serve import create_app

    client = TestClient(create_app(checklists, Limits(), max_upload=2_000_000), base_url="http://127.0.0.1:8765")
    raw = TOWNSHIP.read_bytes()
    page = client.post("/", files={"file": (TOWNSHIP.name, raw, "text/plain")})
    assert page.status_code == 200 and "人工复核" in page.text and "乡镇（街道）（推断自报告标题）" in page.text
    form = {"sha256": _sha(TOWNSHIP), "file": TOWNSHIP.name, "by": "李四",
            "mark.leadership.report-on-law": "not-applicable", "note.leadership.report-on-law": "未开展",
            "mark.leadership.annual-report": "confirm", "auto.leadership.annual-report": "covered",
            "mark.rules.normative-docs-cleanup": ""}
    got = client.post("/overrides", data=form)
    assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
    saved = yaml.safe_load(got.text)["reports"][0]
    assert saved["sha256"] == _sha(TOWNSHIP) and saved["items"]["leadership.report-on-law"]["status"] == "not-applicable"
    assert saved["items"]["leadership.annual-report"]["status"] == "covered"
    assert "rules.normative-docs-cleanup" not in saved["items"]
    checked = client.post("/api/check", files=[("file", (TOWNSHIP.name, raw, "text/plain")),
                                                ("overrides", ("复核.yaml", got.content, "application/x-yaml"))])
    items = _items(checked.json())
    assert items["leadership.report-on-law"]["status"] == "not-applicable"
    assert items["leadership.report-on-law"]["override"]["by"] == "李四"
    assert items["leadership.annual-report"]["override"] is not None
    again = client.post("/", files=[("file", (TOWNSHIP.name, raw, "text/plain")),
                                    ("overrides", ("复核.yaml", got.content, "application/x-yaml"))])
    assert 'name="mark.leadership.report-on-law"' in again.text and "人工复核：不适用" in again.text
    bad = client.post("/api/check", files=[("file", (TOWNSHIP.name, raw, "text/plain")),
                                            ("overrides", ("坏.yaml", b"reports: [{sha256: x}]", "application/x-yaml"))])
    assert bad.status_code == 422 and "坏.yaml:1" in bad.json()["error"]
    assert client.post("/overrides", data={"sha256": _sha(TOWNSHIP), "file": "x.txt"}).status_code == 422


def test_override_notes_are_escaped_in_html(tmp_path: Path) -> None:
    report = tmp_path / TOWNSHIP.name
    shutil.copy(TOWNSHIP, report)
    note = "<script>alert(1)</script>"
    ov = _write_overrides(tmp_path, [{"file": "<img src=x onerror=alert(1)>", "sha256": _sha(report),
                                      "items": {"leadership.report-on-law": {"status": "covered", "note": note}}}])
    html = _run("check", str(report), "--format", "html", "--overrides", str(ov))[1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    memo = _run("memo", str(report), "--format", "html", "--overrides", str(ov))[1]
    assert "&lt;script&gt;" in memo and "<script>alert" not in memo
