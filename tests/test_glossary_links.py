"""The glossary linked from wherever its terms are used: on the national, organization, scenario
and robot pages, in both languages, each term's label links to its entry on the concepts page,
with the definition in the page language as the link's title."""

import re

import pytest
from program_app import app, signed_in

from robotwork.read.concepts import TERMS

__all__ = ["app"]  # the module's program, a fixture

USED = {
    "/": {
        "routine_operation",
        "high_value_application",
        "declared_vs_verified",
        "integrity",
        "autonomy_level",
        "worked_day",
    },
    "/org/CN-GD": {"routine_operation", "high_value_application", "declared_vs_verified", "ladder"},
    "/scenario/SC-GD-000": {"ladder", "declared_vs_verified", "routine_operation"},
    "/robot/R-GD-1": {"routine_operation", "worked_day", "autonomy_level", "integrity"},
}
LINK = re.compile(r'<a class="term" href="/concepts#(\w+)" data-term="(\w+)" title="([^"]+)">')


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("url", list(USED))
def test_terms_link_to_their_glossary_entry(app, url: str, lang: str) -> None:
    client = signed_in(app, "min")
    page = client.get(f"{url}?lang={lang}")
    assert page.status_code == 200, url
    links = LINK.findall(page.text)
    assert {anchor for anchor, _, _ in links} >= USED[url], url
    assert all(anchor == key and key in TERMS for anchor, key, _ in links)
    glossary = client.get(f"/concepts?lang={lang}").text
    for anchor, _, title in links:
        assert f'<dt id="{anchor}">' in glossary
        definition = glossary.split(f'<dt id="{anchor}">', 1)[1].split("<dd>", 1)[1].split("</dd>", 1)[0]
        assert title == definition.strip(), anchor  # the same words as on the concepts page
    chinese = re.search(r"[\u4e00-\u9fff]", links[0][2]) is not None
    assert chinese == (lang == "zh")
