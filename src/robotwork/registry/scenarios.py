"""Which nominated scenarios count toward a quota: one rule shared by compliance and evidence."""

import re
from datetime import date

from robotwork.registry.models import Scenario, Site


def _title_key(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip().casefold()


def counted_scenarios(
    scenarios: list[Scenario], sites: dict[str, Site], nominator_kind: str, as_of: date
) -> tuple[list[Scenario], int]:
    """The scenarios that count toward a quota, and how many duplicates were left out.

    A scenario counts when nominated on or before `as_of`, not withdrawn, with a domain, a user,
    a site with a city (in the nominator's province, for a province) and at least one task. The
    same user + site + title nominated twice counts once (the earliest nomination).
    """
    seen: set[tuple[str, str, str]] = set()
    counted: list[Scenario] = []
    duplicates = 0
    for s in sorted(scenarios, key=lambda s: (s.nominated_on, s.scenario_id)):
        site = sites.get(s.site_id)
        if s.nominated_on > as_of or s.status == "withdrawn" or not s.tasks or site is None:
            continue
        if not site.city or (nominator_kind == "province" and site.province != s.nominated_by):
            continue
        key = (s.user_org, s.site_id, _title_key(s.title))
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        counted.append(s)
    return counted, duplicates
