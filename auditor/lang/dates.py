"""How dates and years are written in report headers and trailers (patterns, compiled by ingest).

Matched on normalised text: half-width digits and punctuation, Simplified characters.
"""

from __future__ import annotations

from .numerals import CN_DIGITS, CN_YEAR

# A full date in figures, capturing year, month and day: 2024年3月5日, 2024-03-05, 2024.3.5.
DATE = r"((?:19|20)\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})"
# A line that is only a date, including the garbled "2023223" and a date in characters.
DATE_ONLY = (
    r"(?:19|20)\d{2}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}\s*日?"
    r"|(?:19|20)\d{4,6}"
    rf"|{CN_YEAR}年[{CN_DIGITS}]{{1,3}}月[{CN_DIGITS}]{{1,3}}日"
)
# A year, in figures or characters, capturing the year: 2024年, 二〇二四年.
YEAR = rf"((?:19|20)\d{{2}}|{CN_YEAR})\s*年"
