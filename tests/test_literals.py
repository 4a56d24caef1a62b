"""The trigger's necessary literals (``match.gate``): a sentence without any of them cannot
match, so only the sentences holding one are searched, and the verdicts do not change."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import ingest, outline
from auditor.cli_options import load_checklists
from auditor.literals import literal_finder, necessary_literals
from auditor.match import prepare, register_terms
from auditor.match.finder import candidates, find, trigger, trigger_literals
from auditor.match.gate import Joined

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("source", "expected"), [
    ("审核率", {"审核率"}),
    ("(文件|发文|公文)(合法性)?审核", {f"{a}{b}审核" for a in ("文件", "发文", "公文") for b in ("", "合法性")}),
    ("法治[^，。]{0,6}?考核", {"考核"}),  # on a tie, the later word (the head word is common)
    ("领导干部[^,，。；;]{0,8}学(?!习近平)", {"领导干部"}),
    ("(?<!备案|报备)(文件|公文)审查(?!备案)", {"文件审查", "公文审查"}),  # assertions consume nothing
    ("任(?:职)?前[^，]{0,6}(?:法律|学法)", {"法律", "学法"}),
    ("任(?:职)?前[^，]{0,6}", {"任前", "任职前"}),
    (r"(\d+)件\1", {"件"}),  # a back-reference holds no literal, the rest still does
    ("(?:习近平)+[^，]*论述", {"习近平"}),
    ("执法证|(?:免罚|不罚)(?!款)", {"执法证", "免罚", "不罚"}),
    ("12\\s*[·•]\\s*4", {"12"}),
    ("第[一二三]次", {"第一次", "第二次", "第三次"}),
])
def test_necessary_literals(source: str, expected: set[str]) -> None:
    assert necessary_literals(source) == expected


@pytest.mark.parametrize("source", [
    "(?i)abc", "(?i:ab)c", "(?:审核){e<=1}", "[[:alpha:]]审核", r"\p{Han}+", "审核\\w?|.+", "a*",
    "[^，。]{1,4}", "(?:考核|)", "", "审核|", "考\n核",
])
def test_no_literals_for_what_cannot_be_read_safely(source: str) -> None:
    assert necessary_literals(source) is None


ATOMS = ["法", "治", "考核", "审", "[法治]", "[^，。]", ".", "\\d", "(?!治)", "(?<=法)", "(?<!审)", "^", "$"]
QUANTIFIERS = ["", "", "?", "*", "+", "{0,2}", "{1,3}", "{2}", "??"]


def _patterns():
    atom = st.builds(lambda a, q: a + q if not a.startswith(("(?", "^", "$")) else a,
                     st.sampled_from(ATOMS), st.sampled_from(QUANTIFIERS))

    def extend(inner):
        return st.one_of(
            st.builds(lambda xs: "".join(xs), st.lists(inner, min_size=1, max_size=4)),
            st.builds(lambda a, b: f"(?:{a}|{b})", inner, inner),
            st.builds(lambda a, q: f"(?:{a}){q}", inner, st.sampled_from(QUANTIFIERS)),
        )
    return st.recursive(atom, extend, max_leaves=8)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_patterns(), st.text(alphabet="法治考核审，。12", max_size=40))
def test_every_match_holds_a_literal(source: str, text: str) -> None:
    """Whatever the pattern and the text: every match holds one of the literals."""
    literals = necessary_literals(source)
    if literals is None:
        return
    for m in regex.finditer(source, text, overlapped=True, flags=regex.VERSION0):
        assert any(s in m.group(0) for s in literals), (source, text, m.group(0), literals)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.text(alphabet="法治考核审", min_size=1, max_size=4), min_size=1, max_size=8),
       st.text(alphabet="法治考核审，", max_size=30))
def test_the_literal_finder_finds_the_first_literal(words: list[str], text: str) -> None:
    m = literal_finder(words).search(text)
    starts = [i for i in range(len(text)) if any(text.startswith(w, i) for w in words)]
    assert (m.start() if m else None) == (starts[0] if starts else None)


def test_the_literal_finder_survives_deeply_nested_words() -> None:
    words = ["审" * k for k in range(1, 600)]
    assert literal_finder(words).search("考核审核").start() == 2


def test_joined_finds_the_sentences_holding_a_literal() -> None:
    texts = ["法治政府建设", "考核", "", "审核率100%", "考", "核考核"]
    joined = Joined(texts)
    assert joined.holding(literal_finder({"考核", "审核"})) == [1, 3, 5]
    assert joined.holding(literal_finder({"核考"})) == [5]
    assert joined.holding(literal_finder({"建设考"})) == []  # never across two sentences


def test_candidates_leave_out_only_sentences_with_nothing_to_find() -> None:
    """For every built-in item, on real drafts: every sentence the trigger matches is a
    candidate, and a candidate the trigger does not match holds nothing ``find`` or a loose
    mention would report (so searching only the candidates changes no verdict)."""
    lists = load_checklists(())
    seg = register_terms(lists)
    for path in (ROOT / "examples" / "complete-county-2024.txt", ROOT / "examples" / "draft-township-2024.txt"):
        units = prepare(outline.build(ingest.load(path)), seg)
        for item in (i for cl in lists for i in cl.items if i.type == "mention"):
            gate = trigger(item)
            assert gate is not None and trigger_literals(item) is not None, item.id
            chosen = candidates(item, units)
            assert [u for u in units if gate.search(u.masked)] == [u for u in chosen if gate.search(u.masked)], item.id
            for u in (u for u in chosen if not gate.search(u.masked)):
                assert find(item, u.masked, u.boundaries, u.text) is None, item.id
                assert not any(rx.search(u.masked) for rx in item.mentions), item.id


def test_a_bounded_pattern_is_not_searched_where_it_cannot_match() -> None:
    from auditor.patterns import compile_bounded

    p = compile_bounded("(?<!备案)审核[^。]{0,6}(规范性文件|红头文件)")
    assert p.literals == {"规范性文件", "红头文件"}
    for text in ("审核规范性文件3件", "备案审核规范性文件", "审核红头", "全年审核文件"):
        assert bool(p.search(text)) == bool(p.compiled.search(text)), text
    assert compile_bounded("(?i)abc").literals is None


def test_warm_compiles_every_item_before_the_first_check() -> None:
    from auditor import match
    from auditor.match import finder

    lists = load_checklists(())
    match.warm(lists)
    items = [i for cl in lists for i in cl.items]
    assert all(finder._TRIGGERS[id(i)][0] is i and finder._LITERALS[id(i)][0] is i for i in items)
