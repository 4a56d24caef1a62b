"""The characters of written Chinese that ingest tells apart: Han ranges, full-width
punctuation, and the tone vowels of Hanyu Pinyin (pinyin glosses are dropped from the text).

Character-class bodies (for ``[...]``), compiled where they are used.
"""

from __future__ import annotations

# CJK Unified Ideographs Extension A, the basic block, and the compatibility ideographs.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Han, CJK symbols, full-width forms and the typographic quotes a PDF's Chinese text uses:
# what the page layout treats as a Chinese character (no space between two of them).
CJK_LAYOUT = "\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’—…·"
# Full-width punctuation counted, with the common characters, when a decoding is judged.
CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】—…·"
# Punctuation that, like a Han character, joins two lines a web page broke in its source.
JOINING_PUNCT = "，。、；：！？”“"
TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙǕǗǙǛ"
