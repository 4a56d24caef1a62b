"""The characters of written Chinese that ingest tells apart: Han ranges, full-width
punctuation, and the tone vowels of Hanyu Pinyin (pinyin glosses are dropped from the text)."""

from __future__ import annotations

import re

# CJK Unified Ideographs Extension A, the basic block, and the compatibility ideographs.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_CHAR_RE = re.compile(f"[{CJK}]")
# Full-width punctuation counted, with the common characters, when a decoding is judged.
CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】—…·"
# Punctuation that, like a Han character, joins two lines a web page broke in its source.
JOINING_PUNCT = "，。、；：！？”“"
TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙǕǗǙǛ"
