"""The memory-mapped segmenter gives exactly the tokens of pkuseg's own loader (issue 18).

The reference is what the auditor ran before: spaCy's Chinese tokenizer with the
``spacy-pkuseg`` segmenter, initialised from the pickled ``default`` model of the ``pkuseg``
package, with the checklist terms in its user dictionary. Every seed, dev-corpus page,
fixture and example is segmented both ways — line by line in the chunks the matcher uses,
and as one whole file (whitespace, line breaks) — and the tokens and their offsets must be
equal; so must random strings of the characters the feature extractor treats specially.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing as mp
import pickle
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import ingest, match, nlp, segmodel
from auditor.segmenter import Segmenter

from .conftest import EXAMPLES, FIXTURES, SHARED, SHARED_REASON

DEVCORPUS = SHARED / "devcorpus" / "pages"
SUFFIXES = (".txt", ".md", ".html", ".docx")


@pytest.fixture(scope="module")
def terms(checklists) -> list[str]:
    """The user dictionary the auditor builds from the checklists."""
    return sorted(match.register_terms(checklists).words)


@pytest.fixture(scope="module")
def reference(terms):
    """spaCy + spacy-pkuseg on the pickled model: the tokenizer the auditor used before."""
    from spacy.lang.zh import Chinese

    ref = Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        ref.tokenizer.initialize(pkuseg_model=str(nlp.pkuseg_model_dir()), pkuseg_user_dict="default")
    ref.tokenizer.pkuseg_update_user_dict(terms)
    return ref


@pytest.fixture(scope="module")
def ours(terms) -> Segmenter:
    return Segmenter(segmodel.load(), terms)


def ref_spans(reference, text: str) -> list[tuple[int, int]]:
    return [(t.idx, t.idx + len(t.text)) for t in reference.make_doc(text)]


def assert_same(reference, ours: Segmenter, text: str, label: str) -> None:
    got, want = ours.spans(text), ref_spans(reference, text)
    if got != want:
        diff = next(i for i, (a, b) in enumerate(zip(got + [None], want + [None], strict=False)) if a != b)
        a = max(0, diff - 3)
        pytest.fail(f"{label}: token {diff} differs: ours {[text[x:y] for x, y in got[a:diff + 3]]} "
                    f"pkuseg {[text[x:y] for x, y in want[a:diff + 3]]}")


def check_file(reference, ours: Segmenter, path: Path) -> int:
    """Both ways on one report: the chunks the matcher segments, and the whole original."""
    doc = ingest.load(path)
    n = 0
    for line in doc.text.split("\n"):
        for a, b in nlp.chunks(line):
            assert_same(reference, ours, line[a:b], f"{path.name} line")
            n += b - a
    assert_same(reference, ours, doc.original, f"{path.name} whole")
    return n + len(doc.original)


def files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.stem.upper() != "README")


def test_fixtures_and_examples_segment_identically(reference, ours) -> None:
    paths = files(FIXTURES / "reports") + files(EXAMPLES)
    assert len(paths) >= 10
    assert sum(check_file(reference, ours, p) for p in paths) > 50_000


def test_seeds_segment_identically(reference, ours) -> None:
    if not (SHARED / "seeds").is_dir():
        pytest.skip(SHARED_REASON)
    paths = files(SHARED / "seeds")
    assert paths and sum(check_file(reference, ours, p) for p in paths) > 10_000


def test_dev_corpus_segments_identically(reference, ours) -> None:
    if not DEVCORPUS.is_dir():
        pytest.skip(SHARED_REASON)
    paths = files(DEVCORPUS)
    assert len(paths) > 100
    for p in paths:
        check_file(reference, ours, p)


def test_many_texts_segmented_together_are_segmented_as_alone(reference, ours) -> None:
    """``spans_many`` (what the matcher uses to segment the paragraphs it needs at once)
    gives each text the tokens it gets alone, hence pkuseg's."""
    lines = [line for p in files(FIXTURES / "reports") + files(EXAMPLES) for line in ingest.load(p).text.split("\n")]
    assert len(lines) > 200
    together = ours.spans_many(lines)
    for line, got in zip(lines, together, strict=True):
        assert got == ours.spans(line) == ref_spans(reference, line), line
    assert ours.spans_many([]) == [] and ours.spans_many(["", " "]) == [[], [(0, 1)]]


# characters the extractor renames or normalises, spaces, user-dictionary words, astral ones
ALPHABET = list("法治政府建设年度报告行政执法三项制度重大决策备案审查") + list("0123456789.％几十万") + \
    list("ＡＢａｂ／・－abcXYZ") + list("-._,|/*:&") + list(" \u3000\t\n") + list("，。；：“”《》（）、") + ["𠀀", "㊣"]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(ALPHABET + ["行政执法三项制度", "重大行政决策", "备案审查"]), max_size=60).map("".join))
def test_random_strings_segment_identically(reference, ours, text: str) -> None:
    assert_same(reference, ours, text, repr(text))


def test_user_dictionary_words_stay_whole(ours) -> None:
    assert "行政执法三项制度" in ours.tokens("全面落实行政执法三项制度，推行执法全过程记录。")


# -- the cache ----------------------------------------------------------------------------------
def tiny_model(folder: Path) -> dict[str, Path]:
    """A small model in pkuseg's file formats (features.pkl, weights.npz, dictionary pickle)."""
    folder.mkdir(parents=True, exist_ok=True)
    feats = ["$$", "c.法", "c.治", "c-1.法", "c1.治", "cc1.法.治", "c-1c.法.治", "w1.法治", "w-1.法治",
             "ww.l.法治*政府", "c.**Num", "c-1.-"]
    data = {"unigram": ["", "法治", "政府"], "bigram": [], "tag_to_idx": {"B": 0, "B_single": 1, "I": 2, "I_end": 3, "I_first": 4},
            "feature_to_idx": {f: i for i, f in enumerate(feats)}}
    (folder / "features.pkl").write_bytes(pickle.dumps(data))
    rng = np.random.default_rng(7)
    np.savez(folder / "weights.npz", sizes=np.array([5, len(feats)]), w=rng.normal(size=5 * (len(feats) + 5)))
    (folder / "post.pkl").write_bytes(pickle.dumps("法治政府\n建设"))
    return {"features": folder / "features.pkl", "weights": folder / "weights.npz", "post": folder / "post.pkl"}


def _load_and_cut(args: tuple[dict[str, Path], Path]) -> tuple[str, list[str]]:
    sources, root = args
    model = segmodel.load(sources, root)
    return model.source.split(":")[0], Segmenter(model).cut("法治政府建设2024年法治")


def test_concurrent_first_use_builds_one_cache(tmp_path: Path) -> None:
    sources = tiny_model(tmp_path / "model")
    root = tmp_path / "cache"
    with mp.get_context("spawn").Pool(4) as pool:
        results = pool.map(_load_and_cut, [(sources, root)] * 4)
    assert {kind for kind, _ in results} == {"mmap"}
    assert len({tuple(words) for _, words in results}) == 1
    assert [p.name for p in root.iterdir()] == [f"pkuseg-{segmodel.source_key(sources)}"]  # no temporary left
    manifest = (root / f"pkuseg-{segmodel.source_key(sources)}" / "manifest.json").read_text()
    assert '"features_dropped": 1' in manifest  # "c-1.-": a renamed character never reaches the extractor


def test_cache_follows_xdg_and_falls_back_to_memory(tmp_path: Path, monkeypatch) -> None:
    sources = tiny_model(tmp_path / "model")
    monkeypatch.delenv("AUDITOR_MODEL_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert segmodel.cache_root() == tmp_path / "xdg" / "auditor"
    assert segmodel.load(sources).source.startswith(f"mmap:{tmp_path / 'xdg' / 'auditor'}")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    model = segmodel.load(sources, blocked / "cache")
    assert model.source == "memory"
    assert Segmenter(model).cut("法治政府") == Segmenter(segmodel.load(sources)).cut("法治政府")


def test_a_changed_model_gets_a_new_cache(tmp_path: Path) -> None:
    sources = tiny_model(tmp_path / "model")
    before = segmodel.source_key(sources)
    np.savez(sources["weights"], sizes=np.array([5, 12]), w=np.zeros(5 * 17))
    assert segmodel.source_key(sources) != before


def test_unknown_feature_shapes_are_refused(tmp_path: Path) -> None:
    sources = tiny_model(tmp_path / "model")
    data = pickle.loads(sources["features"].read_bytes())
    data["feature_to_idx"]["zz.unknown"] = data["feature_to_idx"].pop("c.**Num")
    sources["features"].write_bytes(pickle.dumps(data))
    with pytest.raises(segmodel.ModelError):
        segmodel.convert(sources)


def test_a_damaged_cache_is_converted_again(tmp_path: Path) -> None:
    sources = tiny_model(tmp_path / "model")
    root = tmp_path / "cache"
    good = Segmenter(segmodel.load(sources, root)).cut("法治政府建设")
    folder = root / f"pkuseg-{segmodel.source_key(sources)}"
    (folder / "weights.npy").write_bytes(b"\x93NUMPY truncated")
    model = segmodel.load(sources, root)
    assert model.source == f"mmap:{folder}" and Segmenter(model).cut("法治政府建设") == good
