"""auditor compare: the project's own fixture pairs (county, township, department), the same
report twice, the JSON contract, the formats, body names, the indicator list, and the real
multi-year openings of ../shared/devcorpus (skipped where it is absent)."""

from __future__ import annotations

import json

import jsonschema
import pytest
from click.testing import CliRunner

from auditor import compare as C
from auditor import tiling as T
from auditor.bodies import body_key, load_aliases, same_body
from auditor.cli import main
from auditor.errors import AuditorError
from auditor.indicators import load as load_indicators
from auditor.pipeline import audit

from .conftest import FIXTURES, ROOT, SHARED

PAIRS = FIXTURES / "pairs"
SCHEMA = json.loads((ROOT / "auditor" / "schema" / "compare.schema.json").read_text(encoding="utf-8"))
DEV = SHARED / "devcorpus"


@pytest.fixture(scope="module")
def indicators():
    return load_indicators()


@pytest.fixture(scope="module")
def pair(checklists, indicators):
    cache: dict[str, C.Comparison] = {}

    def get(name: str) -> C.Comparison:
        if name not in cache:
            old = audit(PAIRS / f"{name}-2023.txt", checklists)
            new = audit(PAIRS / f"{name}-2024.txt", checklists)
            cache[name] = C.compare(old, new, checklists, indicators)
        return cache[name]
    return get


def statuses(c: C.Comparison) -> list[str]:
    return [p.status for p in c.plan]


def indicator_values(c: C.Comparison) -> dict[str, tuple[float, float, float]]:
    return {i.name: (i.old.value, i.new.value, i.change) for i in c.indicators}


def test_county_pair(pair):
    c = pair("county")
    assert c.warnings == []
    # plan: two points done, the reception centre only begun, two not reported
    assert statuses(c) == ["done", "done", "partial", "not-reported", "not-reported"]
    assert "会前学法12次" in c.plan[0].evidence.text
    assert "接待中心选址" in c.plan[2].evidence.text
    assert c.plan[3].evidence is None
    assert "disputes.administrative-reconsideration" in c.plan[2].items
    assert c.plan_rate == 0.5
    # two shortcomings restated in other words, in another order
    assert [(r.old_quote.text[:2], r.new_quote.text[:2]) for r in c.repeated] == [("一是", "一是"), ("三是", "二是")]
    assert all(r.similarity >= C.REPEATED for r in c.repeated)
    # the opening and most of the results are last year's text; figures changed inside
    co = c.carried_over
    assert 0.55 < co.share < 0.75 and co.flagged and co.results_share > co.share
    assert all(p.chars >= T.MIN_PASSAGE for p in co.passages)
    figures = [f for p in co.passages for f in p.figures]
    assert ("52", "61") in figures and ("12.5%", "10.3%") in figures and ("87", "95") in figures
    vals = indicator_values(c)
    assert vals["行政复议案件数"] == (52, 61, 9)
    assert vals["行政复议纠错率"] == (12.5, 10.3, -2.2)
    assert vals["负责人出庭应诉率"] == (85, 92, 7)
    assert vals["执法人员持证率"] == (91.5, 98.2, 6.7)
    assert vals["重大行政决策事项数"] == (5, 7, 2)
    changes = {x.item: x.change for x in c.coverage}
    assert changes["capacity.leaders-law-study"] == "newly-covered"
    assert changes["rules.normative-docs-cleanup"] == "no-longer-covered"  # 2024 dropped the clean-up


def test_township_pair(pair):
    c = pair("township")
    assert c.warnings == []  # 临江市白石镇 and 白石镇人民政府 are one body
    assert statuses(c) == ["done", "done", "not-reported", "not-reported"]
    assert "村级法律顾问全覆盖" in c.plan[0].evidence.text
    assert len(c.repeated) == 2
    resolved = [r.old_quote.text for r in c.resolved]
    assert any("村级法律顾问" in t for t in resolved)  # reported fixed in 2024
    assert c.carried_over.passages and c.carried_over.share > 0.5
    assert indicator_values(c)["调解成功率"] == (96.5, 97.2, 0.7)


def test_department_pair(pair):
    c = pair("department")
    assert statuses(c) == ["done", "not-reported", "done"]
    assert "辅助人员8名" in c.plan[0].evidence.text
    assert len(c.repeated) == 2
    assert indicator_values(c)["行政复议案件数"] == (318, 402, 84)
    p = max(c.carried_over.passages, key=lambda p: p.chars)
    assert ("318", "402") in p.figures


def test_same_report_is_all_carried_over_and_unchanged(checklists, indicators):
    r = audit(PAIRS / "county-2024.txt", checklists)
    c = C.compare(r, audit(PAIRS / "county-2024.txt", checklists), checklists, indicators)
    assert c.carried_over.share == 1.0 and c.carried_over.flagged
    assert {x.change for x in c.coverage} <= {"unchanged", "still-missing"}
    assert c.indicators and all(i.change == 0 for i in c.indicators)
    assert all(r.similarity == 1.0 for r in c.repeated) and len(c.repeated) == 3
    assert any("年度顺序" in w for w in c.warnings)  # 2024 -> 2024


def test_different_bodies_warn(checklists, indicators):
    c = C.compare(audit(PAIRS / "county-2023.txt", checklists), audit(PAIRS / "department-2024.txt", checklists),
                  checklists, indicators)
    assert any("发布主体似乎不同" in w for w in c.warnings)


def test_tile_finds_maximal_runs():
    a = "甲" * 5 + "法治政府建设" * 10 + "乙乙乙" + "依法行政全面推进" * 6
    b = "依法行政全面推进" * 6 + "丙" + "法治政府建设" * 10
    runs = T.tile(a, b, min_len=40)
    assert [(b_start, length) for _, b_start, length in runs] == [(0, 48), (49, 60)]
    assert all(a[x : x + n] == b[y : y + n] for x, y, n in runs)
    assert T.tile(a, "完全不同的文字" * 10) == []


def test_cli_formats_and_schema(tmp_path):
    args = ["compare", str(PAIRS / "township-2023.txt"), str(PAIRS / "township-2024.txt")]
    res = CliRunner().invoke(main, [*args, "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    jsonschema.validate(data, SCHEMA)
    assert data["old"]["year"] == 2023 and data["new"]["year"] == 2024
    assert {p["status"] for p in data["plan"]} == {"done", "not-reported"}
    text = CliRunner().invoke(main, args).stdout
    assert "计划落实" in text and "问题连续出现" in text and "文字重复" in text and "指标对比" in text
    assert "[已落实]" in text and "[未见报告]" in text
    out = tmp_path / "c.html"
    res = CliRunner().invoke(main, [*args, "--format", "html", "--output", str(out)])
    assert res.exit_code == 0 and "<h2>二、计划落实</h2>" in out.read_text(encoding="utf-8")
    md = CliRunner().invoke(main, [*args, "--format", "md"]).stdout
    assert md.startswith("# 年度对比") and "| 已落实 |" not in md.splitlines()[0]


def test_html_escapes_report_text(tmp_path, checklists, indicators):
    from auditor.compare_render import render_comparison

    bad = PAIRS.joinpath("county-2023.txt").read_text(encoding="utf-8").replace(
        "开设“临江普法”微信公众号", "开设<script>alert(1)</script>公众号")
    (tmp_path / "old.txt").write_text(bad, encoding="utf-8")
    c = C.compare(audit(tmp_path / "old.txt", checklists), audit(tmp_path / "old.txt", checklists), checklists, indicators)
    html = render_comparison(c, "html")
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_cli_missing_file_is_one_line():
    res = CliRunner().invoke(main, ["compare", "nope.txt", str(PAIRS / "county-2024.txt")])
    assert res.exit_code == 2 and "A101" in res.output and "Traceback" not in res.output


def test_body_names():
    assert body_key("上海市浦东新区人民政府") == "上海市浦东新区"
    assert same_body(body_key("浦东新区政府"), body_key("上海市浦东新区人民政府"))
    assert same_body(body_key("临江市白石镇"), body_key("白石镇人民政府"))
    assert same_body(body_key("宜城街道办事处"), body_key("宜兴市宜城街道"))
    assert body_key("西安市雁塔区人民政府办公室") == "西安市雁塔区人民政府办公室"  # a department
    assert not same_body(body_key("市司法局"), body_key("武汉市司法局"))  # any city's bureau
    assert not same_body(body_key("临江县"), body_key("临江市"))


def test_alias_file(tmp_path):
    f = tmp_path / "bodies.yaml"
    f.write_text("aliases:\n  临江经开区管委会: 临江经济技术开发区管理委员会\n", encoding="utf-8")
    aliases = load_aliases(f)
    assert body_key("临江经开区管委会", aliases) == body_key("临江经济技术开发区管理委员会", aliases)
    f.write_text("aliases: [a, b]\n", encoding="utf-8")
    with pytest.raises(AuditorError, match="bodies.yaml:1"):
        load_aliases(f)


def test_indicator_list_is_validated(tmp_path):
    f = tmp_path / "ind.yaml"
    f.write_text("indicators:\n  - id: x\n    name: 某指标\n    unit: 件\n    patterns: ['某指标(\\d+)件']\n", encoding="utf-8")
    with pytest.raises(AuditorError, match=r"ind.yaml:2: .*value"):
        load_indicators(f)
    f.write_text("indicators:\n  - id: x\n    name: 某指标\n    unit: 件\n    patterns: ['(?P<value>(a+)+)']\n", encoding="utf-8")
    with pytest.raises(AuditorError, match="嵌套"):
        load_indicators(f)
    f.write_text("indicators:\n  - id: x\n    name: 听证会\n    unit: 场\n    patterns: ['听证会(?P<value>\\d+)场']\n", encoding="utf-8")
    assert load_indicators(f).indicators[0].name == "听证会"


# -- the real openings of ../shared/devcorpus (one body in several years) -----------------------
SERIES = [("112", "113"), ("138", "136"), ("143", "142"), ("144", "143"), ("145", "144"), ("162", "161"),
          ("178", "177"), ("164", "163")]
# Measured carried-over shares (0-1 of NEW's characters): openings of consecutive years share
# their framing sentences at most; 136 and 137 are one report (Simplified, Traditional).
EXPECTED = {("112", "113"): 0.241, ("138", "136"): 0.355, ("162", "161"): 0.101, ("136", "137"): 0.995}


@pytest.mark.skipif(not (DEV / "index.tsv").is_file(), reason=f"dev corpus not present at {DEV} (it lives outside the project)")
def test_devcorpus_series(checklists, indicators):
    rows = [ln.split("\t") for ln in (DEV / "index.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    body = {r[0]: r[4] for r in rows}
    assert body["142"] == body["143"] == body["144"] == body["145"]  # the four-year series
    reports = {i: audit(DEV / "pages" / f"{i}.txt", checklists) for pair in SERIES + [("136", "137")] for i in pair}
    shares = {}
    for o, n in SERIES + [("136", "137")]:
        assert body[o] == body[n]
        c = C.compare(reports[o], reports[n], checklists, indicators)
        assert 0.0 <= c.carried_over.share <= 1.0
        assert not any("主体" in w for w in c.warnings)
        shares[(o, n)] = c.carried_over.share
    print("carried-over shares:", shares)
    for key, want in EXPECTED.items():
        assert shares[key] == pytest.approx(want, abs=0.05), key


def test_near_copies_join_across_small_changes():
    a = "县政府常务会议专题研究法治政府建设工作三次制定印发年度工作要点明确年度重点任务并逐项分解到责任单位全面落实年度考核"
    b = "县政府常务会议专题研究法治政府建设工作五次制定印发年度工作要点明确年度重点任务并逐项分解到各责任单位全面落实年度考核"
    runs = T.near_copies(a, b)
    assert len(runs) == 1 and runs[0].b_start == 0 and runs[0].b_end == len(b)
    assert runs[0].chars == len(b) - 2  # 五 and 各 are not repeated
    assert T.near_copies(a, "完全不同的文字" * 10) == []


def test_quotes_are_the_original_at_their_offsets(pair):
    for name in ("county", "township", "department"):
        c = pair(name)
        old, new = c.old.doc.original, c.new.doc.original
        for p in c.plan:
            assert old[p.point.start : p.point.end] == p.point.text
            if p.evidence:
                assert new[p.evidence.start : p.evidence.end] == p.evidence.text
        for r in c.repeated:
            assert old[r.old_quote.start : r.old_quote.end] == r.old_quote.text
            assert new[r.new_quote.start : r.new_quote.end] == r.new_quote.text
        for p in c.carried_over.passages:
            assert new[p.new_start : p.new_end] == p.text
        for i in c.indicators:
            assert old[i.old.start : i.old.end] == i.old.sentence
