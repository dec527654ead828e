"""Filtered lists behind the counts on the pages: robots and scenarios, as the metrics rows.

A count on a page links here with the filters that reproduce it, e.g. the national "robots in
routine operation" links to ``robot_list(routine=True)``, an organization's to the same with
``org``: the list filters the very rows the count was summed from.
"""

from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.evidence.metrics import Evidence, gather, robot_level, scenario_level
from robotwork.policy import Policy
from robotwork.registry.models import Deployment


def _counted_ids(ev: Evidence, org: str | None) -> set[str]:
    """Scenarios that count toward a quota (of one nominator, or of all), as the org figures use."""
    return {s.scenario_id for o in ev.orgs if org in (None, o.code) for s in ev.counted(o)}


def robot_list(
    engine: Engine,
    policy: Policy,
    as_of: date,
    *,
    org: str | None = None,
    scenario: str | None = None,
    routine: bool | None = None,
    level: str | None = None,
    flagged: bool | None = None,
) -> dict[str, Any]:
    """Robot rows filtered; `org` keeps robots on the organization's counted scenarios."""
    ev = gather(engine, policy, as_of)
    keep = _counted_ids(ev, org) if org else None
    rows = [
        r
        for r in robot_level(ev)
        if (keep is None or r["scenario_id"] in keep)
        and scenario in (None, r["scenario_id"])
        and routine in (None, r["in_routine_operation"])
        and level in (None, r["autonomy_level"])
        and flagged in (None, r["flagged"])
    ]
    filters = {"org": org, "scenario": scenario, "routine": routine, "level": level, "flagged": flagged}
    return {"as_of": as_of.isoformat(), "filters": filters, "rows": rows}


def scenario_list(
    engine: Engine,
    policy: Policy,
    as_of: date,
    *,
    org: str | None = None,
    domain: str | None = None,
    stage: str | None = None,
    high_value: bool | None = None,
    counted: bool | None = None,
    site: str | None = None,
) -> dict[str, Any]:
    """Scenario rows filtered; `counted` keeps those that count toward a quota (the national and
    organization figures are summed over those), `site` those nominated or deployed at a site."""
    ev = gather(engine, policy, as_of)
    quota = _counted_ids(ev, None)
    at_site: set[str] | None = None
    if site:
        with Session(engine) as session:
            deployed = session.scalars(select(Deployment.scenario_id).where(Deployment.site_id == site))
            at_site = set(deployed) | {s.scenario_id for s in ev.scenarios if s.site_id == site}
    rows = [
        dict(r, counted=r["scenario_id"] in quota)
        for r in scenario_level(ev)
        if org in (None, r["nominated_by"])
        and domain in (None, r["domain"])
        and stage in (None, r["stage"])
        and high_value in (None, r["high_value"])
        and counted in (None, r["scenario_id"] in quota)
        and (at_site is None or r["scenario_id"] in at_site)
    ]
    filters = {
        "org": org,
        "domain": domain,
        "stage": stage,
        "high_value": high_value,
        "counted": counted,
        "site": site,
    }
    return {"as_of": as_of.isoformat(), "filters": filters, "rows": rows}
