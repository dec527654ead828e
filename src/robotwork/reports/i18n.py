"""The report's way of writing in each language; the words themselves are in `robotwork.locale`.

Officials read the Chinese report; the ministry's foreign partners the English one. `Text` looks
every sentence up in the shared catalog (the dashboard reads the same ids, so a concept reads the
same in both) and adds what only a printed report needs: numbered headings, dates in running text.
"""

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
