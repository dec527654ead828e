"""Glossary links in the pages: `term(key, label)` in a template writes the label as a link to
the term's entry on the concepts page (``/concepts#key``), its definition in the page language
as the link's title, so a reader can look up any defined word where it is used.

Registered as a template global by `install`; the definitions come from `read.concepts`, so a
page's links and the concepts page cannot disagree on which terms exist.
"""

from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from robotwork.policy import Policy
from robotwork.read.concepts import TERMS, Concept, concepts


def _glossary(policy: Policy, lang: str) -> dict[str, Concept]:
    """The entries by key (a few string formats: cheap enough to make for every link)."""
    return {c.key: c for c in concepts(policy, lang)}


@pass_context
def term(context: Context, key: str, label: Any = None) -> Markup:
    """`label` (else the term's own name) linked to the glossary entry `key`; an unknown key is
    a template error, so a renamed term cannot leave a dead link behind."""
    if key not in TERMS:
        raise KeyError(f"glossary term {key!r}: not one of {', '.join(TERMS)}")
    entry = _glossary(context["policy"], context["lang"])[key]
    href = f"{context['page'].link('/concepts')}#{key}"
    text = entry.term if label is None else label
    return Markup(
        f'<a class="term" href="{escape(href)}" data-term="{key}" title="{escape(entry.definition)}">'
        f"{escape(text)}</a>"
    )


def install(env: Environment) -> None:
    """Make `term` available to every template of `env`."""
    env.globals["term"] = term
