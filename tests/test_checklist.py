"""Checklist loader, shipped checklists, resolution and the ``checklists`` CLI group.

Loader errors must point at the right ``file:line``; the shipped checklists must carry
every register item with the right severity, and each item's own examples are run as
one test id per example (``pytest -k rules.legislation`` runs one item).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from auditor import resources
from auditor.checklist import (
    PARTS,
    Checklist,
    ChecklistProblems,
    Item,
    builtin_checklists,
    builtin_dir,
    effective_severity,
    load_checklist,
    load_checklists,
    resolve,
)
from auditor.cli_checklists import checklists as checklists_group
from auditor.errors import ChecklistError
from auditor.match import mask_cited_titles
from auditor.match.examples import example_terms

REGISTER = Path(__file__).resolve().parents[2] / "shared" / "spec" / "register.yaml"
BUILTIN_IDS = {"report-structure", "outline-2021-2025", "supplement-2024-2026"}

GOOD_ITEM = """\
  - id: local.sample-item
    title: 示例条目
    cite: 某省实施方案 三
    severity: recommended
    requirement: 报告写明示例工作的开展情况。
    advice: 请补充示例工作的具体数据。
    terms: [示例工作]
    examples:
      hit: [全年开展示例工作12次。]
      miss: [下一步将开展示例工作。]
"""


def checklist_text(items: str = GOOD_ITEM, head: str = "") -> str:
    """A complete checklist file around the given items block."""
    return (
        'id: local-list\ntitle: 本地清单\nversion: "2025.1"\nbasis: 某省实施方案\n'
        + head
        + "items:\n"
        + items
    )


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    """The ``path:line: message`` lines of the error raised while loading ``path``."""
    with pytest.raises(ChecklistError) as info:
        load_checklist(path)
    return str(info.value).splitlines()[1:]


def assert_problem(lines: list[str], path: Path, line: int, fragment: str) -> None:
    prefix = f"{path}:{line}: "
    assert any(l.startswith(prefix) and fragment in l for l in lines), lines


# ---------------------------------------------------------------- loader: valid input
def test_valid_file_loads_with_defaults(tmp_path: Path) -> None:
    checklist = load_checklist(write(tmp_path, "a.yaml", checklist_text()))
    assert (checklist.id, checklist.version, len(checklist.items)) == ("local-list", "2025.1", 1)
    item = checklist.items[0]
    assert item.type == "mention"
    assert item.parts == ("measures-and-results", "first-responsible-person", "other")
    assert item.substance == ("count", "rate", "date", "document", "platform", "award", "meeting", "past-action")
    assert item.min_evidence == 1
    assert (item.checklist, item.path, item.line) == ("local-list", str(tmp_path / "a.yaml"), 6)


def test_folded_chinese_prose_loses_folding_spaces(tmp_path: Path) -> None:
    items = GOOD_ITEM.replace(
        "requirement: 报告写明示例工作的开展情况。",
        "requirement: >-\n      报告写明示例工作，\n      并附数据。",
    )
    item = load_checklist(write(tmp_path, "a.yaml", checklist_text(items))).items[0]
    assert item.requirement == "报告写明示例工作，并附数据。"


def test_match_terms_all_of_and_exclude(tmp_path: Path) -> None:
    items = GOOD_ITEM.replace(
        "terms: [示例工作]",
        'terms: [示例工作]\n    all_of: [["规范性文件|红头文件", "审核|审查"]]\n    exclude: [信用社]',
    )
    item = load_checklist(write(tmp_path, "a.yaml", checklist_text(items))).items[0]
    assert example_terms(item, "审核红头文件5件。") == ["审核", "红头文件"]  # the engine's finder: terms in text order
    assert example_terms(item, "审核5件。") == []
    assert example_terms(item, "信用社开展示例工作。") == []


# ---------------------------------------------------------------- loader: errors
def test_unknown_key_points_at_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", checklist_text(GOOD_ITEM.replace("    terms:", "    colour: red\n    terms:")))
    assert_problem(problems(path), path, 12, "未知的键“colour”")


def test_unknown_top_level_key(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", checklist_text(head="author: 某人\n"))
    assert_problem(problems(path), path, 5, "未知的键“author”")


def test_key_of_other_type_is_explained(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", checklist_text(GOOD_ITEM.replace("    terms:", "    needs: [causes]\n    terms:")))
    assert_problem(problems(path), path, 12, "只适用于 type: part")


def test_duplicate_item_id_within_file(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", checklist_text(GOOD_ITEM + GOOD_ITEM))
    assert_problem(problems(path), path, 16, f"重复（已在 {path}:6 定义）")


def test_duplicate_ids_across_files_in_one_load(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", checklist_text())
    second = write(tmp_path, "b.yaml", checklist_text().replace("id: local-list", "id: other-list"))
    with pytest.raises(ChecklistError) as info:
        load_checklists([first, second])
    assert_problem(str(info.value).splitlines()[1:], second, 6, f"local.sample-item”重复（已在 {first}:6")


def test_bad_regex_points_at_the_pattern(tmp_path: Path) -> None:
    items = GOOD_ITEM.replace("terms: [示例工作]", "patterns:\n      - '示例(工作'")
    path = write(tmp_path, "a.yaml", checklist_text(items))
    assert_problem(problems(path), path, 13, "正则表达式“示例(工作”有误")


def test_regex_matching_empty_string_is_refused(tmp_path: Path) -> None:
    items = GOOD_ITEM.replace("terms: [示例工作]", "patterns: ['(示例)?']")
    path = write(tmp_path, "a.yaml", checklist_text(items))
    assert_problem(problems(path), path, 12, "可匹配空字符串")


def test_missing_field_points_at_the_item(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", checklist_text(GOOD_ITEM.replace("    cite: 某省实施方案 三\n", "")))
    assert_problem(problems(path), path, 6, "缺少必填键“cite”")


@pytest.mark.parametrize(
    ("old", "new", "line", "fragment"),
    [
        ("severity: recommended", "severity: mandatory", 9, "severity：取值“mandatory”无效"),
        ("terms: [示例工作]", "terms: [示例工作]\n    parts: [results]", 13, "parts：取值“results”无效"),
        ("terms: [示例工作]", "terms: [示例工作]\n    substance: [money]", 13, "substance：取值“money”无效"),
        ("terms: [示例工作]", "terms: [示例工作]\n    required_for: [nation]", 13, "required_for：取值“nation”无效"),
        ("terms: [示例工作]", "terms: [示例工作]\n    type: check", 13, "type：取值“check”无效"),
        ("terms: [示例工作]", "terms: [示例工作]\n    min_evidence: 0", 13, "不小于 1 的整数"),
    ],
)
def test_bad_enum_and_type_values(tmp_path: Path, old: str, new: str, line: int, fragment: str) -> None:
    path = write(tmp_path, "a.yaml", checklist_text(GOOD_ITEM.replace(old, new)))
    assert_problem(problems(path), path, line, fragment)


def test_part_item_checks_its_own_fields(tmp_path: Path) -> None:
    items = GOOD_ITEM.replace("terms: [示例工作]", "type: part\n    part: ending\n    needs: [reasons]")
    path = write(tmp_path, "a.yaml", checklist_text(items))
    lines = problems(path)
    assert_problem(lines, path, 13, "part：取值“ending”无效")
    assert_problem(lines, path, 14, "needs：取值“reasons”无效")


def test_part_item_requires_part(tmp_path: Path) -> None:
    items = GOOD_ITEM.replace("terms: [示例工作]", "type: part")
    path = write(tmp_path, "a.yaml", checklist_text(items))
    assert_problem(problems(path), path, 6, "缺少必填键“part”")


def test_version_must_be_a_string(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", checklist_text().replace('"2025.1"', "2025.1"))
    assert_problem(problems(path), path, 3, "应为字符串")


def test_mention_item_needs_some_rule(tmp_path: Path) -> None:
    items = GOOD_ITEM.replace("    terms: [示例工作]\n", "").replace(
        "    examples:\n      hit: [全年开展示例工作12次。]\n", "    examples:\n"
    )
    path = write(tmp_path, "a.yaml", checklist_text(items))
    assert_problem(problems(path), path, 6, "至少需要 terms、patterns、all_of 之一")


def test_single_character_term_and_short_all_of_group(tmp_path: Path) -> None:
    items = GOOD_ITEM.replace("terms: [示例工作]", 'terms: [示例工作, 审]\n    all_of: [["备案"]]')
    path = write(tmp_path, "a.yaml", checklist_text(items))
    lines = problems(path)
    assert_problem(lines, path, 12, "检索词“审”只有一个字")
    assert_problem(lines, path, 13, "每组至少需要两个元素")


def test_hit_example_must_fire(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", checklist_text(GOOD_ITEM.replace("全年开展示例工作12次。", "全年开展其他工作12次。")))
    assert_problem(problems(path), path, 14, "hit 示例未被本条目的规则命中")


def test_unknown_example_key(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", checklist_text(GOOD_ITEM.replace("      miss:", "      partial:")))
    assert_problem(problems(path), path, 15, "未知的键“partial”")


def test_duplicate_mapping_key(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", checklist_text(GOOD_ITEM.replace("    cite:", "    title: 又一个标题\n    cite:")))
    assert_problem(problems(path), path, 8, "键“title”重复")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("id: a\ntitle: [unclosed\nversion: x\n", 3),
        ("id: a\n  title: bad indent\n", 2),
        ("id: a\n\ttitle: tab\n", 2),
    ],
)
def test_yaml_syntax_error_is_located(tmp_path: Path, text: str, line: int) -> None:
    path = write(tmp_path, "a.yaml", text)
    lines = problems(path)
    assert len(lines) == 1
    assert_problem(lines, path, line, "YAML 语法错误")


def test_empty_file_and_non_mapping(tmp_path: Path) -> None:
    assert_problem(problems(write(tmp_path, "e.yaml", "")), tmp_path / "e.yaml", 1, "文件为空")
    assert_problem(problems(write(tmp_path, "l.yaml", "- a\n- b\n")), tmp_path / "l.yaml", 1, "应为键值映射")


def test_all_problems_are_collected_in_one_error(tmp_path: Path) -> None:
    items = (
        GOOD_ITEM.replace("severity: recommended", "severity: high")
        .replace("    terms:", "    colour: red\n    terms:")
        .replace("    cite: 某省实施方案 三\n", "")
    )
    path = write(tmp_path, "a.yaml", checklist_text(items, head="author: 某人\n"))
    with pytest.raises(ChecklistProblems) as info:
        load_checklist(path)
    err = info.value
    first, *rest = str(err).splitlines()
    assert first == f"{path}: 检查清单未通过校验，共 4 处问题 [A201]"
    assert len(rest) == len(err.problems) == 4
    assert all(re.match(rf"{re.escape(str(path))}:\d+: \S", line) for line in rest)
    assert err.exit_code == 2


def test_unreadable_encoding_is_a_located_problem(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes(checklist_text().encode("gbk"))
    assert_problem(problems(path), path, 1, "不是 UTF-8 编码")


# ---------------------------------------------------------------- resolution
def test_no_specs_gives_all_builtins() -> None:
    assert {c.id for c in resolve()} == BUILTIN_IDS
    assert {c.id for c in resolve([])} == BUILTIN_IDS


def test_builtin_id_file_and_folder_specs(tmp_path: Path) -> None:
    own = tmp_path / "province"
    own.mkdir()
    write(own, "local.yaml", checklist_text())
    write(own, "notes.txt", "ignored")
    assert [c.id for c in resolve(["report-structure"])] == ["report-structure"]
    assert [c.id for c in resolve([str(own)])] == ["local-list"]
    assert [c.id for c in resolve([str(own / "local.yaml"), "outline-2021-2025"])] == [
        "local-list",
        "outline-2021-2025",
    ]


def test_same_file_named_twice_is_loaded_once(tmp_path: Path) -> None:
    path = write(tmp_path, "local.yaml", checklist_text())
    assert [c.id for c in resolve([str(path), str(tmp_path)])] == ["local-list"]


def test_unknown_spec_is_a202() -> None:
    with pytest.raises(ChecklistError) as info:
        resolve(["no-such-checklist"])
    assert info.value.code == "A202"
    assert "no-such-checklist" in str(info.value)


def test_user_item_clashing_with_builtin(tmp_path: Path) -> None:
    items = GOOD_ITEM.replace("local.sample-item", "rules.legislation")
    path = write(tmp_path, "local.yaml", checklist_text(items))
    with pytest.raises(ChecklistError) as info:
        resolve(["outline-2021-2025", str(path)])
    assert f"{path}:6: 条目 ID“rules.legislation”重复" in str(info.value)


def test_effective_severity() -> None:
    item = next(i for c in builtin_checklists() for i in c.items if i.id == "rules.legislation")
    assert effective_severity(item, None) == "recommended"
    assert effective_severity(item, "county") == "recommended"
    assert effective_severity(item, "province") == "required"
    assert effective_severity(item, "legislative-power") == "required"


def test_builtin_dir_in_source_tree_and_installed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert (builtin_dir() / "outline-2021-2025.yaml").is_file()

    def installed(package: str) -> Path:
        return tmp_path

    monkeypatch.setattr(resources.resources, "files", installed)
    assert resources.checklists_dir() == tmp_path

    def missing(package: str) -> Path:
        raise ModuleNotFoundError(package)

    monkeypatch.setattr(resources.resources, "files", missing)
    assert resources.checklists_dir() == Path(resources.__file__).resolve().parent.parent / "checklists"


# ---------------------------------------------------------------- shipped checklists
SHIPPED: list[Item] = [i for c in builtin_checklists() for i in c.items]

def test_builtin_checklists_load_and_ids_unique() -> None:
    lists = builtin_checklists()
    assert {c.id for c in lists} == BUILTIN_IDS
    ids = [i.id for i in SHIPPED]
    assert len(ids) == len(set(ids))
    assert all(c.version and c.basis and c.title for c in lists)


@pytest.mark.parametrize("item", SHIPPED, ids=lambda i: i.id)
def test_shipped_item_is_complete(item: Item) -> None:
    assert item.cite and item.requirement and item.advice and item.title
    assert item.examples.hit and item.examples.miss
    assert item.id.split(".")[0] != "structure" or item.type == "part"


# A mention item's examples are judged by the whole engine (finder, then the statement
# judgement) in tests/test_match.py::test_item_examples; a part item's by the finder here.
PART_EXAMPLES = [
    pytest.param(item, kind, sentence, id=f"{item.id}-{kind}-{n}")
    for item in SHIPPED
    if item.type == "part"
    for kind, sentences in (("hit", item.examples.hit), ("miss", item.examples.miss))
    for n, sentence in enumerate(sentences)
]


@pytest.mark.parametrize(("item", "kind", "sentence"), PART_EXAMPLES)
def test_shipped_part_example(item: Item, kind: str, sentence: str) -> None:
    """A part item's hit fires the engine's finder outside cited document titles; a miss does not."""
    fired = example_terms(item, mask_cited_titles(sentence))
    assert bool(fired) == (kind == "hit"), f"{item.id}: {kind} example fires {fired}"


# ---------------------------------------------------------------- register meta-tests
@pytest.fixture(scope="module")
def register() -> dict:
    if not REGISTER.is_file():
        pytest.skip(f"item register not found at {REGISTER} (the shared spec is not checked out)")
    return yaml.safe_load(REGISTER.read_text(encoding="utf-8"))


def test_register_checklists_exist(register: dict) -> None:
    by_id = {c.id: c for c in builtin_checklists()}
    for checklist_id, meta in register["checklists"].items():
        assert checklist_id in by_id
        assert by_id[checklist_id].title == meta["title"]


def test_every_register_item_is_shipped_with_matching_severity(register: dict) -> None:
    by_id: dict[str, tuple[Checklist, Item]] = {i.id: (c, i) for c in builtin_checklists() for i in c.items}
    missing = [e["id"] for e in register["items"] if e["id"] not in by_id]
    assert not missing, f"register items missing from the shipped checklists: {missing}"
    for entry in register["items"]:
        checklist, item = by_id[entry["id"]]
        assert checklist.id == entry["checklist"], entry["id"]
        assert item.severity == ("required" if entry["core"] else "recommended"), entry["id"]


def test_register_specific_rules(register: dict) -> None:
    by_id = {i.id: i for i in SHIPPED}
    assert set(by_id["rules.legislation"].required_for) == {"province", "legislative-power"}
    assert by_id["structure.shortcomings"].needs == ("causes",)
    assert by_id["structure.first-responsible-person"].needs == ("dedicated",)
    structure = [e["id"] for e in register["items"] if e["checklist"] == "report-structure"]
    assert all(by_id[i].type == "part" and by_id[i].part in PARTS for i in structure)


# ---------------------------------------------------------------- CLI
@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, args: list[str], code: int) -> str:
    result = runner.invoke(checklists_group, args)
    assert result.exit_code == code, result.output
    return result.output


def test_cli_list(runner: CliRunner) -> None:
    lines = invoke(runner, ["list"], 0).splitlines()
    assert len(lines) == 3
    assert lines[1].split("\t") == ["report-structure", "2025.1", "4 项", "各年度", "各层级", "法治政府建设年度报告结构要求"]


def test_cli_list_items_and_user_checklist(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "local.yaml", checklist_text())
    out = invoke(runner, ["list", "--items", "--checklist", str(path)], 0)
    assert "local-list\t2025.1\t1 项\t各年度\t各层级\t本地清单" in out
    assert "  local.sample-item\t[建议]\t示例条目" in out
    assert "  rules.normative-docs-filing-review\t[必备]\t行政规范性文件备案审查" in out


def test_cli_show_checklist_and_item(runner: CliRunner) -> None:
    out = invoke(runner, ["show", "report-structure"], 0)
    assert "检查清单：report-structure" in out and "条目（4 项）：" in out
    out = invoke(runner, ["show", "rules.legislation"], 0)
    for label in ("条目：rules.legislation", "所属清单：outline-2021-2025", "依据条款：纲要 三", "要求：", "补充建议：", "示例（应命中）："):
        assert label in out
    assert "重要程度：建议；对省级政府（province）、有立法权的地方政府（legislative-power）为必备" in out
    out = invoke(runner, ["show", "supplement.emergency-response-law"], 0)
    assert "书名号内检索的法规名称：突发事件应对法" in out and "示例（仅提及，应判部分满足）：" in out


def test_cli_show_unknown(runner: CliRunner) -> None:
    result = runner.invoke(checklists_group, ["show", "nope.nothing"])
    assert result.exit_code == 2
    assert "[A203]" in result.output


def test_cli_validate_ok_and_bad(runner: CliRunner, tmp_path: Path) -> None:
    good = write(tmp_path, "good.yaml", checklist_text())
    out = invoke(runner, ["validate", str(good)], 0)
    assert out == f"{good}: 通过（1 项）\n"
    bad = write(tmp_path, "bad.yaml", checklist_text(GOOD_ITEM.replace("severity: recommended", "severity: high")))
    out = invoke(runner, ["validate", str(good), str(bad)], 2)
    assert f"{good}: 通过（1 项）" in out
    assert f"{bad}:9: 条目 local.sample-item 的 severity：取值“high”无效" in out


def test_cli_validate_duplicates_across_files(runner: CliRunner, tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", checklist_text())
    second = write(tmp_path, "b.yaml", checklist_text().replace("id: local-list", "id: other-list"))
    out = invoke(runner, ["validate", str(first), str(second)], 2)
    assert f"{second}:6: 条目 ID“local.sample-item”重复" in out


def test_cli_validate_against_added_checklist(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", checklist_text(GOOD_ITEM.replace("local.sample-item", "rules.legislation")))
    invoke(runner, ["validate", str(path)], 0)
    out = invoke(runner, ["validate", str(path), "--checklist", str(builtin_dir())], 2)
    assert f"{path}:6: 条目 ID“rules.legislation”重复" in out


def test_cli_validate_builtins(runner: CliRunner) -> None:
    out = invoke(runner, ["validate", str(builtin_dir())], 0)
    assert out.count("通过") == 3


# ---------------------------------------------------------------- hostile checklists
@pytest.mark.parametrize(
    "pattern, fragment",
    [
        ("'示(例+)+工作'", "嵌套的重复量词"),
        ("'(?:[示例]*\\s?)*完成'", "嵌套的重复量词"),
        ("'(示|示示)+$'", "回溯代价过高"),
        ("'" + "示例" * 300 + "'", "过长（600 个字符，上限 500）"),
        # CJK classes written as \u escapes: no own characters to probe with, yet it backtracked
        # on every ordinary sentence (it used to pass and then time out at run time).
        ("'(?:[\\u4e00-\\u9fff]|[\\u4e00-\\u9fa5])*(?=Z)'", "回溯代价过高"),
    ],
    ids=["nested-plus", "nested-star", "overlapping-alternatives", "too-long", "cjk-classes"],
)
def test_catastrophic_regex_is_refused_at_load(tmp_path: Path, pattern: str, fragment: str) -> None:
    items = GOOD_ITEM.replace("terms: [示例工作]", f"patterns: [{pattern}]")
    path = write(tmp_path, "a.yaml", checklist_text(items))
    assert_problem(problems(path), path, 12, fragment)


def test_linear_repeats_are_allowed(tmp_path: Path) -> None:
    items = GOOD_ITEM.replace("terms: [示例工作]", "patterns: ['(?:示例工作\\d+次[，。]?)+']")
    checklist = load_checklist(write(tmp_path, "a.yaml", checklist_text(items)))
    assert example_terms(checklist.items[0], "全年开展示例工作12次。")


def test_yaml_tags_that_build_objects_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", checklist_text().replace("title: 本地清单", 'title: !!python/object/apply:os.system ["echo pwned"]'))
    assert_problem(problems(path), path, 2, "不允许的 YAML 标签 !!python/object/apply:os.system")


def test_alias_bomb_is_refused_without_expanding(tmp_path: Path) -> None:
    levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=False):
        levels.append(f"{cur}: &{cur} [{','.join(['*' + prev] * 9)}]")
    path = write(tmp_path, "bomb.yaml", "\n".join(levels) + "\n" + checklist_text("  - *i\n"))
    assert_problem(problems(path), path, 1, "不支持 YAML 锚点与别名")


def test_ten_thousand_items_are_refused_by_the_item_limit(tmp_path: Path) -> None:
    block = "".join(GOOD_ITEM.replace("local.sample-item", f"local.item-{k}") for k in range(10_000))
    path = write(tmp_path, "big.yaml", checklist_text(block))
    assert_problem(problems(path), path, 6, "检查清单有 10,000 个条目，超过上限 5,000")


def test_a_list_over_the_cap_is_counted_first_and_other_problems_keep_their_lines(tmp_path: Path) -> None:
    """The items are counted before the full parse (the list is cut), yet every other
    problem of the file is still reported at its own line."""
    from auditor import limits

    block = "".join(GOOD_ITEM.replace("local.sample-item", f"local.item-{k}") for k in range(5))
    text = checklist_text(block, head="author: 某人\n") + "families:\n  Bad: [甲乙]\n"
    path = write(tmp_path, "a.yaml", text)
    with limits.use(limits.Limits(max_items=3)):
        found = problems(path)
    assert found == [
        f"{path}:5: 检查清单：未知的键“author”（可用的键：id、title、version、basis、items、description、families、years）",
        f"{path}:7: 检查清单有 5 个条目，超过上限 3；请拆分为多个清单",
        f"{path}:58: 词族名“Bad”格式无效：应为小写短横线式，如 principal-leaders",
    ]


def test_oversized_checklist_file_is_refused(tmp_path: Path, monkeypatch) -> None:
    from auditor.checklist import parse as module

    monkeypatch.setattr(module, "MAX_CHECKLIST_BYTES", 100)
    path = write(tmp_path, "a.yaml", checklist_text())
    assert_problem(problems(path), path, 1, "文件过大")


def test_directory_given_as_checklist(tmp_path: Path) -> None:
    (tmp_path / "dir.yaml").mkdir()
    assert_problem(problems(tmp_path / "dir.yaml"), tmp_path / "dir.yaml", 1, "是目录")


def test_a_search_that_runs_out_of_time_is_no_match_and_a_warning(tmp_path: Path) -> None:
    from auditor import limits, pipeline
    from auditor.ingest import from_text
    from auditor.outline import build

    items = GOOD_ITEM.replace("terms: [示例工作]", "patterns: ['示例工作[^。]{0,30}完成']").replace(
        "hit: [全年开展示例工作12次。]", "hit: [全年开展示例工作12次并全部完成。]")
    checklist = load_checklist(write(tmp_path, "a.yaml", checklist_text(items)))
    tree = build(from_text("一、主要工作\n" + "全年开展示例工作并全部完成。" * 200 + "\n", path="r.txt"))
    with limits.use(limits.Limits(regex_timeout=1e-9)):
        report = pipeline.check(tree, [checklist])
    assert report.checklists[0].findings[0].status == "missing"
    assert any("超时，已按未命中处理" in w for w in tree.doc.warnings)
    ok = pipeline.check(build(from_text("一、主要工作\n全年开展示例工作并全部完成。\n", path="r.txt")), [checklist])
    assert ok.checklists[0].findings[0].status != "missing"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("id: x\nitems: " + "[" * 50_000 + "]" * 50_000 + "\n", 2),  # crashed libyaml (exit 139)
        ("id: x\nitems:\n" + "- " * 50_000 + "a\n", 3),
        ("id: x\nitems:\n" + "".join(" " * (2 * i) + f"k{i}:\n" for i in range(1, 300)), 67),
    ],
    ids=["flow", "compact-sequence", "indentation"],
)
def test_deeply_nested_checklist_is_refused_with_its_line(tmp_path: Path, text: str, line: int) -> None:
    """Nesting is bounded before parsing: one located line, exit 2, no crash (run in a
    subprocess, as the crash took the whole process down)."""
    import subprocess
    import sys

    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "auditor.cli", "checklists", "validate", str(path)],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 2, (res.returncode, res.stderr[-300:])
    assert f"{path}:{line}: 嵌套层级过深" in res.stdout + res.stderr
