"""Every word robotwork shows, in Chinese and English: one gettext catalog per language.

The catalogs are ``locale/{zh,en}/LC_MESSAGES/robotwork.po``, read with Babel and compiled in
memory on first use, so an install needs no build step and a translator edits plain ``.po``
files. Message ids are symbolic keys (``nav.national``, ``status.compliant``): the dashboard,
the progress reports and the command line look a concept up by the same id, so it reads the same
everywhere. Texts may hold `str.format` fields (``{n}``, ``{rate:.0%}``) that the caller fills.

This package sits below `web`, `reports` and `cli` and imports nothing of robotwork.
"""

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from io import BytesIO
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
DOMAIN = "robotwork"


def catalog_path(lang: str) -> Traversable:
    """The ``.po`` file of `lang` inside the installed package."""
    return resources.files(__name__).joinpath(lang, "LC_MESSAGES", f"{DOMAIN}.po")


@cache
def translations(lang: str) -> Translations:
    """The gettext translations of `lang` (unknown languages read Chinese), compiled once."""
    lang = lang if lang in LANGS else DEFAULT_LANG
    with catalog_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang, domain=DOMAIN)
    mo = BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return Translations(mo, domain=DOMAIN)


def has(key: str, lang: str = DEFAULT_LANG) -> bool:
    """Whether the catalog of `lang` translates `key` (gettext hands an unknown id back as is)."""
    return translations(lang).gettext(key) != key


def t(key: str, lang: str, default: str | None = None, **values: Any) -> str:
    """The text of `key` in `lang` with `values` filled in; an unknown key shows `default`, else
    the key itself, so a gap is visible (and caught by tests/test_i18n.py) but not fatal."""
    text = translations(lang).gettext(key)
    if text == key:
        return default if default is not None else key
    return text.format(**values) if values else text


def display_name(name: str | None, name_zh: str | None, lang: str) -> str:
    """A registry name in the reader's language: the Chinese name for Chinese readers when the
    registry has one, else the (English) name, which every record has."""
    if lang == "zh" and name_zh:
        return name_zh
    return name or name_zh or ""
