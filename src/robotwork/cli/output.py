"""Everything a command prints goes through here, so every command follows the same rules.

- ``--json``: plain JSON on stdout (every row, whatever ``--limit`` says), nothing else there.
- A table fits the terminal (``COLUMNS``, else the terminal, else 80): one line per row, the
  columns that matter first; text too long is cut with an ellipsis, and a column that does not
  fit is left out, with a note naming ``--wide``. ``--wide`` shows every column at full length.
- A list shows its first ``--limit`` rows (20 unless told), then a line with the count and the
  command that prints the rest.
- Messages for the person at the terminal (progress, "saved") go to stderr, one line each.
- ``--lang zh`` (``ROBOTWORK_LANG``) words headers, statuses and notes from the catalog
  (`robotwork.locale`) in Chinese, by the ids the dashboard uses; English keeps the command
  line's own short words; ``--json`` is the same in every language.
"""

import json
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)

DEFAULT_LIMIT = 20
_FLEX_MIN = 10  # a text column shorter than this is not worth showing: leave it out instead
_SEPARATOR = 3  # between two columns: a space of padding each side of the (blank) rule
_PASSWORD = re.compile(r"(://[^:/@]+:)[^@]+@")

LANGS = ("en", "zh")
_lang: ContextVar[str] = ContextVar("robotwork_cli_lang", default="en")

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (every row).")]
WideOption = Annotated[
    bool, typer.Option("--wide", help="Every column at full length (lines may pass the terminal's edge).")
]
LimitOption = Annotated[
    int, typer.Option(min=0, help="Rows of the table to show (0: all; --json always prints all).")
]


def use_language(lang: str) -> None:
    """Word what follows in `lang` (the global ``--lang``; one of `LANGS`)."""
    _lang.set(lang)


def t(key: str, english: str, **values: Any) -> str:
    """The command line's word for a concept: in English its own `english` text (short, and what
    people and scripts have read so far), in another language the catalog's message `key` (the
    dashboard's id for the concept), `values` filled in either way. The catalog is imported only
    here, so ``--help`` does not load it."""
    language = _lang.get()
    if language == "en":
        return english.format(**values) if values else english
    from robotwork.locale import t as catalog

    return catalog(key, language, default=english.format(**values) if values else english, **values)


def word(prefix: str) -> Callable[[Any], str]:
    """A formatter wording a code (a stage, a status, a control mode) as the dashboard does: the
    catalog's message `prefix` + code in another language, the code itself in English."""
    return lambda value: "-" if value is None else t(f"{prefix}{value}", str(value))


def lang() -> str:
    """The language words are printed in (``--lang``)."""
    return _lang.get()


@dataclass(frozen=True)
class Col:
    """One column of a table: the row key it shows and how.

    ``rank`` orders what is left out when the terminal is too narrow (the highest rank first);
    ``flex`` text (names, titles, prose) is cut to the room left but kept only with `least`
    characters or more; ``wide`` columns only show with ``--wide``; `term` is the catalog's id
    of the header's concept (see `t`), the `header` its English."""

    key: str
    header: str
    rank: int = 0
    flex: bool = False
    wide: bool = False
    right: bool = False
    least: int = _FLEX_MIN
    fmt: Callable[[Any], str] | None = None
    term: str | None = None

    def heading(self) -> str:
        """The header in the language of the output."""
        return t(self.term, self.header) if self.term else self.header

    def text(self, row: Mapping[str, Any]) -> str:
        """The cell of `row` in this column."""
        value = row.get(self.key)
        return self.fmt(value) if self.fmt else cell(value)


def cell(value: Any) -> str:
    """A value as a person reads it: numbers with thousands separators, yes/no, lists joined."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return t("common.yes", "yes") if value else t("common.no", "no")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, Mapping):
        return ", ".join(f"{str(k).replace('_', ' ')} {cell(v)}" for k, v in value.items()) or "-"
    if isinstance(value, list | tuple | set):
        return "; ".join(cell(v) for v in value) or "-"
    return " ".join(str(value).split())  # one line per row: no newline inside a cell


def percent(value: float | None) -> str:
    """A share in 0..1 as a percentage (``-`` when there is none)."""
    return "-" if value is None else f"{value:.0%}"


def short(length: int) -> Callable[[Any], str]:
    """A formatter keeping the first `length` characters (ids and hashes stay recognizable)."""
    return lambda value: "-" if value is None else str(value)[:length]


def print_json(data: Any) -> None:
    """Machine-readable output: plain JSON on stdout, nothing else on that stream."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def print_json_line(data: Any) -> None:
    """One compact JSON object on its own line (JSON Lines: one result per input)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


def say(message: str) -> None:
    """A one-line message for the person at the terminal, on stderr."""
    stderr.print(message, markup=False, soft_wrap=True)


def width() -> int:
    """The width tables must fit: ``COLUMNS`` when set, else the terminal's, else 80 (read at
    each call: a test or a resized terminal may change it)."""
    return Console().width


def print_lines(*lines: str) -> None:
    """Sentences under a table, on stdout, wrapped at the terminal's width."""
    out = Console(highlight=False)
    for line in lines:
        out.print(line, markup=False)


def print_table(
    rows: Sequence[Mapping[str, Any]],
    cols: Sequence[Col],
    *,
    title: str | None = None,
    wide: bool = False,
    limit: int = 0,
    more: str | None = None,
    empty: str | None = None,
) -> None:
    """Print `rows` as a table that fits the terminal (see the module's rules); with `limit`, only
    the first rows and a line saying how many there are and that `more` prints them all."""
    if title:
        print_lines(title)
    if not rows:
        print_lines(f"({empty or t('cli.nothing', 'nothing to show')})")
        return
    shown = rows[:limit] if limit else rows
    cols = [c for c in cols if wide or not c.wide]
    texts = [[c.text(r) for c in cols] for r in shown]
    widths = _layout(texts, cols, width(), wide)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    for c, w in zip(cols, widths, strict=True):
        if w:
            justify = "right" if c.right else "left"
            table.add_column(c.heading(), width=w, no_wrap=True, overflow="ellipsis", justify=justify)
    for line in texts:
        table.add_row(*(text for text, w in zip(line, widths, strict=True) if w))
    Console(highlight=False, width=100_000 if wide else None).print(table, markup=False, crop=not wide)
    hidden = [c.heading() for c, w in zip(cols, widths, strict=True) if not w]
    notes = []
    if len(shown) < len(rows):
        rest = t("cli.all_of_them", "; all of them: {more} (or --json)", more=more) if more else ""
        notes.append(
            t("cli.showing", "showing {n} of {total}", n=f"{len(shown):,}", total=f"{len(rows):,}") + rest
        )
    if hidden:
        notes.append(
            t("cli.left_out", "left out to fit: {cols} (--wide for every column)", cols=", ".join(hidden))
        )
    print_lines(*notes)


def print_fields(pairs: Sequence[tuple[str, Any]], *, title: str | None = None) -> None:
    """One record as lines of ``name  value`` (a record has too many fields for a row); long
    values are cut at the terminal's edge."""
    if title:
        print_lines(title)
    cols = [Col("field", ""), Col("value", "", flex=True, least=1)]
    texts = [[name, cell(value)] for name, value in pairs]
    widths = _layout(texts, cols, width(), False)
    table = Table(box=box.SIMPLE_HEAD, show_header=False, show_edge=False, pad_edge=False)
    for w in widths:
        table.add_column(width=w, no_wrap=True, overflow="ellipsis")
    for t in texts:
        table.add_row(*t)
    Console(highlight=False).print(table, markup=False, crop=True)


def rerun(ctx: typer.Context, **options: Any) -> str:
    """The command line that ran `ctx`'s command, with `options` set (``limit=0`` for the whole
    list), to tell the person how to get the rest; only options given on the command line are
    repeated, global ones (``--home``) too."""
    words: list[str] = []
    chain: list[typer.Context] = []
    node: Any = ctx
    while node is not None:
        chain.append(node)
        node = node.parent
    for level in reversed(chain):
        words.append("robotwork" if level.parent is None else str(level.info_name))
        changes = options if level is ctx else {}
        words += _given(level, changes)
    return " ".join(words)


def _given(ctx: typer.Context, changes: Mapping[str, Any]) -> list[str]:
    """The options and arguments of one command level as typed, with `changes` applied."""
    from typer._click.core import ParameterSource  # typer vendors click

    words: list[str] = []
    arguments: list[str] = []
    for param in ctx.command.params:
        name = param.name or ""
        if name == "version":
            continue
        if name in changes:
            value = changes[name]
        elif ctx.get_parameter_source(name) == ParameterSource.COMMANDLINE:
            value = ctx.params.get(name)
        else:
            continue
        if not param.opts or not param.opts[0].startswith("-"):
            arguments += [_word(v) for v in (value if isinstance(value, list | tuple) else [value])]
        elif getattr(param, "is_flag", False):
            words += [param.opts[0]] if value else []
        else:
            words += [param.opts[0], _word(value)]
    return words + arguments


def _word(value: Any) -> str:
    """A value as it would be typed: quoted when it holds a space, a --db password hidden."""
    text = _PASSWORD.sub(r"\1***@", str(getattr(value, "value", value)))
    return text if text and " " not in text else json.dumps(text)


def _layout(texts: Sequence[Sequence[str]], cols: Sequence[Col], room: int, wide: bool) -> list[int]:
    """Each column's width in `room` characters, 0 for a column left out: fixed columns at their
    longest cell, flex columns sharing what is left (at least their `least` each); columns of the
    highest rank are left out until the rest fit. With `wide`, every column at full length."""
    natural = [max([cell_len(c.heading())] + [cell_len(row[i]) for row in texts]) for i, c in enumerate(cols)]
    if wide:
        return natural
    chosen = list(range(len(cols)))
    while len(chosen) > 1:
        need = sum(min(natural[i], cols[i].least) if cols[i].flex else natural[i] for i in chosen)
        if need + _SEPARATOR * (len(chosen) - 1) <= room:
            break
        chosen.remove(max(reversed(chosen), key=lambda i: cols[i].rank))
    widths = [natural[i] if i in chosen and not cols[i].flex else 0 for i in range(len(cols))]
    left = room - _SEPARATOR * (len(chosen) - 1) - sum(widths)
    flex = sorted((i for i in chosen if cols[i].flex), key=lambda i: natural[i])
    for n, i in enumerate(flex):  # the shortest first: what one does not need, the others get
        widths[i] = max(1, min(natural[i], left // (len(flex) - n)))
        left -= widths[i]
    if len(chosen) == 1:  # a lone column too long for the terminal is cut at its edge
        widths[chosen[0]] = max(1, min(widths[chosen[0]], room))
    return widths
