"""The report's way of writing in each language; the words themselves are in `robotwork.locale`.

Officials read the Chinese report; the ministry's foreign partners the English one. `Text` looks
every sentence up in the shared catalog (the dashboard reads the same ids, so a concept reads the
same in both) and adds what only a printed report needs: numbered headings, dates in running text.
The ladder explains what a scenario lacks in English sentences (`evidence.ladder`); `missing_text`
turns those sentences into the reader's language by their shape, through the catalog's
``shortfall.*`` messages, and keeps the original when a shape is unknown, so nothing the evidence
says is ever dropped.
"""

import re
from datetime import date, datetime

from robotwork.locale import LANGS, t

NUMERALS_ZH = "一二三四五六七八九十"


class Text:
    """The words of one language: `t("key", name=...)` formats the sentence with the figures."""

    def __init__(self, lang: str) -> None:
        if lang not in LANGS:
            raise ValueError(f"unknown report language {lang!r}")
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def section(self, number: int, key: str) -> str:
        """A numbered heading: 一、… in Chinese official style, 1. … in English."""
        if self.lang == "zh":
            return f"{NUMERALS_ZH[number - 1]}、{self(key)}"
        return f"{number}. {self(key)}"

    def date(self, day: date) -> str:
        """A date in running text (tables keep ISO dates, which both readers sort by eye)."""
        if self.lang == "zh":
            return f"{day.year}年{day.month}月{day.day}日"
        return f"{day.day} {day.strftime('%B')} {day.year}"

    def stamp(self, moment: datetime) -> str:
        """A generation time to the minute, in the program's time zone."""
        return f"{self.date(moment.date())} {moment:%H:%M}"

    def join(self, items: list[str]) -> str:
        """A list in running text."""
        return ("、" if self.lang == "zh" else ", ").join(items)


# The shapes of `evidence.ladder`'s sentences -> the catalog message that says the same, by field.
_SHORTFALLS: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = [
    (
        re.compile(
            r"(\d+) more robot\(s\) in routine operation with a task success rate of at least (\d+)% "
            r"over at least (\d+) tasks \((.*)\)$"
        ),
        "shortfall.stage.verified",
        ("lack", "min_success_rate", "min_tasks", "best"),
    ),
    (
        re.compile(r"(\d+) more robot\(s\) in routine operation \((\d+) of (\d+)\)$"),
        "shortfall.stage.batch",
        ("lack", "have", "need"),
    ),
    (
        re.compile(r"robots in routine operation at (\d+) more site\(s\) \((\d+) of (\d+)\)$"),
        "shortfall.stage.sites",
        ("lack", "have", "need"),
    ),
    (
        re.compile(r"robots in routine operation in (\d+) more city\(ies\) \((\d+) of (\d+)\)$"),
        "shortfall.stage.cities",
        ("lack", "have", "need"),
    ),
]

_BEST = re.compile(r"best: (\S+), (?:no|(\d+)% of) (\d+) tasks$")


def _best(text: str, lang: str) -> str:
    if text == "none in routine operation":
        return t("shortfall.best.none", lang)
    m = _BEST.match(text)
    if m is None:
        return text
    if m[2] is None:
        return t("shortfall.best.no_rate", lang, best_serial=m[1], best_tasks=m[3])
    return t("shortfall.best.rate", lang, best_serial=m[1], best_rate=int(m[2]) / 100, best_tasks=m[3])


def missing_text(sentence: str, lang: str) -> str:
    """One `missing_for_next_stage` sentence in `lang`; an unknown shape stays as the ladder wrote it."""
    if lang == "en":
        return sentence
    for pattern, key, fields in _SHORTFALLS:
        m = pattern.match(sentence)
        if m:
            values: dict[str, object] = dict(zip(fields, m.groups(), strict=True))
            if key == "shortfall.stage.verified":
                values["min_success_rate"] = int(m[2]) / 100
                values["best"] = _best(m[4], lang)
            return t(key, lang, **values)
    return sentence
