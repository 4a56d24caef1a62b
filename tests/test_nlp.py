"""NLP stage: the pkuseg model comes from the pkuseg package, terms of art stay whole tokens."""

from __future__ import annotations

import re

import pytest

from auditor import match, nlp
from auditor.match.finder import find


def test_model_ships_inside_pkuseg_package() -> None:
    model = nlp.pkuseg_model_dir()
    assert model.parts[-3:] == ("pkuseg", "models", "default")
    assert (model / "weights.npz").exists() and (model / "features.pkl").exists()


def test_segmenter_is_opened_once_per_process_without_spacy() -> None:
    import subprocess
    import sys

    assert nlp.get_segmenter() is nlp.get_segmenter()
    code = "import sys; from auditor import nlp; nlp.tokenize('法治政府建设'); print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"  # the memory-mapped model needs neither spaCy nor the pickle


# (text, tokens that must appear whole once the checklist terms are in the user dictionary)
TERM_TABLE = [
    ("全面落实行政执法三项制度，推行执法全过程记录。", ["行政执法三项制度", "执法全过程"]),
    ("严格执行重大行政决策程序。", ["重大行政决策"]),
    ("强化规范性文件备案审查，坚持有件必备。", ["备案审查", "有件必备"]),
    ("依法办理行政应诉案件45件。", ["行政应诉案件"]),
    ("推行首违不罚和包容审慎监管。", ["首违不罚", "包容审慎"]),
    ("全面推行“双随机、一公开”监管。", ["双随机"]),
]


@pytest.mark.parametrize(("text", "whole"), TERM_TABLE)
def test_terms_of_art_stay_whole_tokens(checklists, text: str, whole: list[str]) -> None:
    tokens = nlp.tokenize(text, match.register_terms(checklists))
    for term in whole:
        assert term in tokens, tokens


def test_long_terms_match_even_when_glued_to_a_neighbour(checklists) -> None:
    """pkuseg may glue a term to its neighbour; terms of four characters or more still count."""
    item = next(i for c in checklists for i in c.items if i.id == "disputes.litigation-and-appearance")
    text = "行政机关负责人出庭应诉率达100%。"
    found = find(item, text, frozenset({0, 2, 4, 9, 12, len(text)}))
    assert found is not None and {"负责人出庭", "应诉率"} <= set(found.terms)


def test_sentences_split_on_chinese_punctuation() -> None:
    text = "全年审核文件20件。备案率100%；纠错2件！是否公开？已公开"
    sents = nlp.sentences(text, [(0, len(text))])[0]
    assert [s.text for s in sents] == ["全年审核文件20件。", "备案率100%；", "纠错2件！", "是否公开？", "已公开"]
    assert all(text[s.start : s.end] == s.text for s in sents)
    assert all(0 in s.boundaries for s in sents)


def test_paragraphs_segmented_ahead_have_the_boundaries_they_get_alone() -> None:
    text = ("一、主要举措\n全年审核行政规范性文件20件，备案审查率100%。\n县长履行推进法治建设第一责任人职责。\n"
            + "复议纠错2件；" * 900 + "\n已公开。")
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    lazy = [s for para in nlp.sentences(text, spans) for s in para]
    ahead = [s for para in nlp.sentences(text, spans) for s in para]
    nlp.segment_ahead(s.boundaries for s in ahead[1:])
    assert all(s.boundaries._para._bounds is not None for s in ahead[1:])
    assert ahead[0].boundaries._para._bounds is None  # only those asked for
    assert [sorted(s.boundaries) for s in ahead] == [sorted(s.boundaries) for s in lazy]


def test_a_huge_paragraph_is_segmented_in_bounded_chunks() -> None:
    """A page with no line breaks is one paragraph; pkuseg gets it in pieces of at most
    2,000 characters, cut after a sentence end, and the time limit is checked between them."""
    import time

    from auditor import limits
    from auditor.errors import InputError

    text = "全年办理复议案件审核文件。" * 1000
    spans = nlp.chunks(text)
    assert all(b - a <= nlp.SEGMENT_CHUNK for a, b in spans) and spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(text[b - 1] == "。" for _, b in spans[:-1])
    assert nlp.chunks("短段落。") == [(0, 4)]
    sentence = nlp.sentences(text.replace("。", "，"), [(0, len(text))])[0][0]
    with limits.deadline("long.txt", 0.000001):
        time.sleep(0.01)
        with pytest.raises(InputError, match="A109"):
            len(sentence.boundaries)


def test_check_imports_only_what_it_needs() -> None:
    """``auditor check`` of a text report loads neither spaCy, the pickled model, the web
    server nor python-docx (issue 18: start-up)."""
    import subprocess
    import sys

    from .conftest import EXAMPLES

    code = ("import sys\nfrom auditor.cli import main\ntry:\n    main(['check', sys.argv[1], '--format', 'json'])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in ('spacy', 'spacy_pkuseg', 'pkuseg', 'fastapi', 'uvicorn', 'docx', 'dask') if m in sys.modules),"
            " file=sys.stderr)")
    res = subprocess.run([sys.executable, "-c", code, str(EXAMPLES / "complete-county-2024.txt")],
                         capture_output=True, text=True, check=True)
    assert '"schema_version"' in res.stdout
    assert res.stderr.strip().splitlines()[-1] == "[]"


# -- one segmenter per checklist set (issue 13) ------------------------------------------------
SET_TEXT = "全面落实行政执法三项制度，持续推进依法行政，法治政府建设取得新成效。"
LOCAL_LIST = """\
id: local-list
title: 本地清单
version: "2025.1"
basis: 某省实施方案
items:
  - id: local.rule-of-law
    title: 推进依法行政
    cite: 某省实施方案 三
    severity: recommended
    requirement: 报告写明推进依法行政的情况。
    advice: 请补充具体数据。
    terms: [推进依法, 政府建设, 执法]
    examples:
      hit: [全年推进依法工作12次。]
      miss: [下一步将开展示例工作。]
"""


def fingerprint(specs: list[str]) -> dict:
    """What the checklist set ``specs`` (built-ins when empty) makes of a text and a report: the
    tokens, every token boundary the matcher sees, and every finding with its evidence."""
    import hashlib

    from auditor.checklist import resolve
    from auditor.pipeline import read_outline

    from .conftest import EXAMPLES

    lists = resolve(specs)
    seg = match.register_terms(lists)
    outline = read_outline(str(EXAMPLES / "draft-township-2024.txt"))
    bounds = [sorted(u.boundaries) for u in match.prepare(outline, seg)]
    report = match.check(outline, lists)
    return {"tokens": nlp.tokenize(SET_TEXT, seg),
            "boundaries": hashlib.sha256(repr(bounds).encode()).hexdigest(),
            "findings": [[f.item_id, f.status, [[e.start, e.end] for e in f.evidence]]
                         for cl in report.checklists for f in cl.findings]}


def fresh_fingerprint(specs: list[str]) -> dict:
    """The same, in a fresh process that only ever sees that set."""
    import json
    import subprocess
    import sys

    from .conftest import ROOT

    code = "import json, sys; from tests.test_nlp import fingerprint; print(json.dumps(fingerprint(sys.argv[1:])))"
    out = subprocess.run([sys.executable, "-c", code, *specs], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout)


def test_each_checklist_set_segments_as_a_fresh_process_would(tmp_path) -> None:
    local = tmp_path / "local.yaml"
    local.write_text(LOCAL_LIST, encoding="utf-8")
    builtin, own = [], [str(local)]
    first, second, again = fingerprint(builtin), fingerprint(own), fingerprint(builtin)
    assert first == again == fresh_fingerprint(builtin)
    assert second == fresh_fingerprint(own)
    # the sets segment differently, and their union differently again: one dictionary shared
    # by both sets (what the process-wide dictionary did) would fail the equalities above
    from auditor.checklist import resolve

    union = nlp.get_segmenter(match.register_terms(resolve(builtin)).words | match.register_terms(resolve(own)).words)
    assert len({tuple(first["tokens"]), tuple(second["tokens"]), tuple(nlp.tokenize(SET_TEXT, union))}) == 3
    assert "行政执法三项制度" in first["tokens"] and "推进依法" in second["tokens"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a page typed with half-width punctuation ends its sentences with "."
        ("全年办理复议案件46件.纠错率12%.下一步将继续推进.", ["全年办理复议案件46件.", "纠错率12%.", "下一步将继续推进."]),
        # a point between digits, or in a web address, ends nothing
        ("增长1.5万元,访问www.gov.cn。", ["增长1.5万元,访问www.gov.cn。"]),
    ],
)
def test_half_width_full_stops_end_sentences(text: str, expected: list[str]) -> None:
    assert [s.text for s in nlp.sentences(text, [(0, len(text))])[0]] == expected
