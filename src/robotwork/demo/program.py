"""A deterministic, believable national program: the demo data and a fixture for downstream tests.

One call returns one import document in the template's JSON form (registry.md). The mix is
deliberate, so that every rule of policy.md has cases on both sides: most provinces meet the
quota while some fall short by count or by domains, a few implementation plans are late or
missing, declared robot numbers run ahead of the deployed ones, a few nominations are withdrawn
or duplicated, a few consortia lack a role, and robots are spread so that scenarios can reach
every stage of "verify one, deploy a batch, drive a region" once operating data arrives.
"""

import csv
import math
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import cast

from robotwork.demo import catalogue as cat
from robotwork.registry.reference import ReferenceOrg, central_soes, provinces

Row = dict[str, object]
Document = dict[str, list[Row]]

SHEETS = (
    "organizations",
    "sites",
    "scenarios",
    "consortia",
    "consortium_members",
    "robots",
    "deployments",
    "submissions",
)
DOMAINS = ("factory_warehouse", "service", "specialized")
_DOMAIN_WEIGHTS = (5, 4, 2)
_ROLES = ("user", "integrator", "algorithm_team")
_NOMINATING_SOES = 25
_DEPLOYABLE_UNTIL = "2026-09-15"  # later nominations have had no time to get robots


@dataclass(frozen=True)
class City:
    """A city (a district, in a municipality) where demo sites stand."""

    province: str
    name: str
    name_zh: str

    @property
    def short_zh(self) -> str:
        """The Chinese name without its 市/区 suffix, as firms put it in their own names."""
        for suffix in ("新区", "市", "区"):
            if self.name_zh.endswith(suffix):
                return self.name_zh[: -len(suffix)]
        return self.name_zh


@cache
def cities() -> dict[str, tuple[City, ...]]:
    """The demo cities of each province (``cities.csv``), keyed by province code."""
    text = resources.files("robotwork.demo").joinpath("cities.csv").read_text("utf-8")
    out: dict[str, list[City]] = {}
    for r in csv.DictReader(text.splitlines()):
        out.setdefault(r["province"], []).append(City(r["province"], r["city"], r["city_zh"]))
    return {code: tuple(found) for code, found in out.items()}


Combo = tuple[cat.Archetype, cat.Work, City]


@dataclass
class _Nominator:
    """A province or central SOE while it nominates: the work it may still nominate, unused.

    Combos are drawn without replacement, so the only repeated user + site + title in the
    document are the duplicates planted on purpose.
    """

    org: ReferenceOrg
    tag: str
    combos: list[Combo]
    soe: cat.SoeProfile | None = None
    scenarios: int = 0
    users: int = 0


def _day(rng: random.Random, first: str, last: str) -> str:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return (start + timedelta(days=rng.randint(0, (end - start).days))).isoformat()


def _after(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def _allowed(arch: cat.Archetype, province: str) -> bool:
    return not arch.provinces or province in arch.provinces


def _mixed_domains(rng: random.Random, count: int, *, two_only: bool) -> list[str]:
    """``count`` domains drawn by weight, always at least two different ones."""
    pool, weights = list(DOMAINS), list(_DOMAIN_WEIGHTS)
    if two_only:
        drop = rng.randrange(len(pool))
        del pool[drop], weights[drop]
    domains = rng.choices(pool, weights, k=count)
    domains[:2] = rng.sample(pool, 2)
    return domains


def _province_plan(rng: random.Random, codes: list[str]) -> tuple[dict[str, list[str]], str]:
    """The domain of every counted nomination per province, and the province left at 19.

    About 22-24 provinces meet the quota, 2-3 reach the count in one domain only, the rest fall
    short by count; one of those stops at 19, where a duplicate nomination would tip a naive count.
    """
    order = list(codes)
    rng.shuffle(order)
    meet, one_domain = rng.randint(22, 24), rng.randint(2, 3)
    plan: dict[str, list[str]] = {}
    for i, code in enumerate(order):
        if i < meet:
            plan[code] = _mixed_domains(rng, rng.randint(20, 30), two_only=rng.random() < 0.3)
        elif i < meet + one_domain:
            plan[code] = [rng.choice(DOMAINS[:2])] * rng.randint(20, 24)
        else:
            count = 19 if i == meet + one_domain else rng.randint(14, 18)
            plan[code] = _mixed_domains(rng, count, two_only=False)
    return plan, order[meet + one_domain]


def _fleet_sizes(rng: random.Random, scenarios: int) -> list[tuple[int, int]]:
    """(robots, sites) per deployed scenario: a few regional fleets, batches, pairs, singles.

    Totals are nudged into 300-400 robots by growing or shrinking the regional and batch fleets.
    """
    region, batch, few = rng.randint(6, 9), rng.randint(14, 18), rng.randint(18, 24)
    sizes = (
        [(rng.randint(10, 20), rng.randint(3, 4)) for _ in range(region)]
        + [(rng.randint(5, 12), 1) for _ in range(batch)]
        + [(rng.randint(2, 4), 1) for _ in range(few)]
        + [(1, 1)] * (scenarios - region - batch - few)
    )
    big = range(region + batch)
    while (total := sum(n for n, _ in sizes)) < 300:
        i = rng.choice(big)
        sizes[i] = (sizes[i][0] + 1, sizes[i][1])
    while total > 400:
        i = rng.choice([i for i in big if sizes[i][0] > (10 if i < region else 5)])
        sizes[i] = (sizes[i][0] - 1, sizes[i][1])
        total -= 1
    return sizes


class _Program:
    """The document under construction, with the indexes needed to keep it consistent."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.rows: Document = {sheet: [] for sheet in SHEETS}
        self.names: dict[str, str] = {}
        self.integrators: dict[str, list[str]] = {}
        self.user_integrator: dict[str, str] = {}
        self.undeployable: set[str] = set()
        self._users: dict[tuple[str, str], str] = {}
        self._sites: dict[tuple[str, str], str] = {}
        self._site_place: dict[str, tuple[City, str]] = {}
        self._site_counts: Counter[str] = Counter()
        self._serials: dict[str, int] = {}

    def add_org(self, code: str, name: str, name_zh: str, kind: str, province: str) -> None:
        self.names[code] = name
        self.rows["organizations"].append(
            {"code": code, "name": name, "name_zh": name_zh, "kind": kind, "province": province}
        )

    def add_fixed_orgs(self) -> None:
        """Makers, research teams, and two integrators in each province."""
        for org in cat.MANUFACTURERS:
            self.add_org(org.code, org.name, org.name_zh, "manufacturer", org.province)
        for org in cat.ALGORITHM_TEAMS:
            self.add_org(org.code, org.name, org.name_zh, "algorithm_team", org.province)
        for prov in provinces():
            names = self.rng.sample(cat.INTEGRATOR_NAMES, 2)
            places = cities()[prov.code][:2]
            for i, ((en, zh), city) in enumerate(zip(names, places, strict=True), start=1):
                code = f"INT-{prov.code[3:]}-{i}"
                self.add_org(
                    code, en.format(city=city.name), zh.format(zh=city.short_zh), "integrator", prov.code
                )
                self.integrators.setdefault(prov.code, []).append(code)

    # -- nominations -------------------------------------------------------------------------

    def province_nominator(self, prov: ReferenceOrg) -> _Nominator:
        combos = [
            (a, w, c)
            for a in cat.ARCHETYPES
            if cat.LOCAL in a.sectors and _allowed(a, prov.code)
            for w in a.works
            for c in cities()[prov.code]
        ]
        return _Nominator(prov, prov.code[3:], combos)

    def soe_nominator(self, soe: ReferenceOrg, count: int) -> _Nominator:
        """An SOE working from a handful of cities anywhere its profile allows."""
        profile = cat.SOE_PROFILES[soe.code]
        archetypes = [a for a in cat.ARCHETYPES if a.sectors & profile.sectors]
        places = [c for p in (profile.provinces or tuple(cities())) for c in cities()[p]]
        titles = sum(len(a.works) for a in archetypes)
        k = min(len(places), max(self.rng.randint(3, 6), math.ceil(1.6 * count / titles)))
        pool = self.rng.sample(places, k)
        combos = [(a, w, c) for a in archetypes for w in a.works for c in pool if _allowed(a, c.province)]
        return _Nominator(soe, soe.code[4:], combos, profile)

    def nominate(self, nom: _Nominator, domain: str | None = None, status: str = "nominated") -> None:
        """One new nomination by ``nom`` (in ``domain``, if given) of work it has not named yet."""
        options = [i for i, (a, _, _) in enumerate(nom.combos) if domain in (None, a.domain)]
        if not options:
            raise ValueError(f"the demo catalogue has no more {domain or ''} work for {nom.tag}")
        # Half the time, more work for a user already in the program: real users nominate several.
        known = [i for i in options if self._user_key(nom, nom.combos[i]) in self._users]
        if known and self.rng.random() < 0.5:
            options = known
        arch, work, city = nom.combos.pop(self.rng.choice(options))
        user = self._user(nom, (arch, work, city))
        early = self.rng.random() < 0.75
        row: Row = {
            "scenario_id": self._next_scenario_id(nom),
            "title": work.title,
            "domain": arch.domain,
            "nominated_by": nom.org.code,
            "site_id": self._site(user, arch.site, city),
            "user_org": user,
            "tasks": self._tasks(work),
            "nominated_on": _day(
                self.rng, *(("2026-06-08", "2026-07-31") if early else ("2026-08-01", "2026-11-20"))
            ),
            "planned_robots": 0,
            "declared_robots_in_operation": 0,
            "status": status,
        }
        self.rows["scenarios"].append(row)
        if status == "withdrawn":
            self.undeployable.add(str(row["scenario_id"]))

    def duplicate(self, nom: _Nominator) -> None:
        """Nominate one of ``nom``'s scenarios again under a new id: it must still count once."""
        original = self.rng.choice(
            [
                s
                for s in self.rows["scenarios"]
                if s["nominated_by"] == nom.org.code and s["scenario_id"] not in self.undeployable
            ]
        )
        later = _after(str(original["nominated_on"]), self.rng.randint(14, 60))
        again = {
            **original,
            "scenario_id": self._next_scenario_id(nom),
            "tasks": list(cast("list[str]", original["tasks"])),
            "nominated_on": min(later, "2026-11-20"),
        }
        self.rows["scenarios"].append(again)
        self.undeployable.add(str(again["scenario_id"]))

    def _next_scenario_id(self, nom: _Nominator) -> str:
        nom.scenarios += 1
        return f"SC-{nom.tag}-{nom.scenarios:04d}"

    def _tasks(self, work: cat.Work) -> list[str]:
        picked = set(self.rng.sample(work.tasks, self.rng.randint(1, min(4, len(work.tasks)))))
        return [t for t in work.tasks if t in picked]

    @staticmethod
    def _user_key(nom: _Nominator, combo: Combo) -> tuple[str, str]:
        """An SOE has one subsidiary per city; a local user is one firm of its kind per city."""
        city = combo[2]
        return (nom.org.code if nom.soe else combo[0].user_en, f"{city.province}/{city.name}")

    def _user(self, nom: _Nominator, combo: Combo) -> str:
        """The user running the combo's site: an SOE subsidiary or a local firm, made once."""
        arch, _, city = combo
        key = self._user_key(nom, combo)
        if nom.soe:
            name = f"{nom.soe.short_en} {city.name} {nom.soe.unit_en}"
            name_zh = f"{nom.soe.short_zh}{city.short_zh}{nom.soe.unit_zh}"
        else:
            name = arch.user_en.format(city=city.name)
            name_zh = arch.user_zh.format(zh=city.short_zh)
        if key not in self._users:
            nom.users += 1
            self._users[key] = f"USR-{nom.tag}-{nom.users:03d}"
            self.add_org(self._users[key], name, name_zh, "user", city.province)
        return self._users[key]

    def _site(self, user: str, kind: str, city: City, replica: int = 0) -> str:
        """The user's site of this kind in ``city``; a replica number makes a further one."""
        key = (user, f"{kind}#{replica}@{city.name}" if replica else kind)
        if key not in self._sites:
            tag = city.province[3:]
            self._site_counts[tag] += 1
            site_id = f"ST-{tag}-{self._site_counts[tag]:04d}"
            name = f"{kind} No. {replica}, {city.name}" if replica else f"{kind}, {city.name}"
            self._sites[key] = site_id
            self._site_place[site_id] = (city, kind)
            self.rows["sites"].append(
                {
                    "site_id": site_id,
                    "name": name,
                    "province": city.province,
                    "city": city.name,
                    "user_org": user,
                }
            )
        return self._sites[key]

    # -- consortia, robots, declarations, submissions ----------------------------------------

    def form_consortia(self) -> None:
        """One consortium per user over all its nominations; a few lack one of the three roles."""
        by_user: dict[str, list[str]] = {}
        for s in self.rows["scenarios"]:
            by_user.setdefault(str(s["user_org"]), []).append(str(s["scenario_id"]))
        province_of = {o["code"]: o["province"] for o in self.rows["organizations"]}
        incomplete = set(self.rng.sample(range(len(by_user)), self.rng.randint(3, 6)))
        for i, (user, scenario_ids) in enumerate(by_user.items()):
            cid = f"CON-{i + 1:04d}"
            name = self.names[user].removesuffix(" Co., Ltd.")
            self.rows["consortia"].append(
                {
                    "consortium_id": cid,
                    "name": f"{name} Humanoid Application Consortium",
                    "scenario_ids": scenario_ids,
                }
            )
            members = {
                "user": user,
                "integrator": self.rng.choice(self.integrators[str(province_of[user])]),
                "algorithm_team": self.rng.choice(cat.ALGORITHM_TEAMS).code,
            }
            if i in incomplete:
                del members[self.rng.choice(_ROLES)]
            if "integrator" in members:
                self.user_integrator[user] = members["integrator"]
            for role, org in members.items():
                self.rows["consortium_members"].append({"consortium_id": cid, "org_code": org, "role": role})

    def deploy_robots(self) -> None:
        """Robots on 60-80 early scenarios; regional fleets spread over replica sites."""
        pool = [
            s
            for s in self.rows["scenarios"]
            if s["scenario_id"] not in self.undeployable and str(s["nominated_on"]) <= _DEPLOYABLE_UNTIL
        ]
        chosen = self.rng.sample(pool, self.rng.randint(60, 80))
        models = self.rng.sample(cat.ROBOT_MODELS, self.rng.randint(7, 8))
        fleets = _fleet_sizes(self.rng, len(chosen))
        for scenario, (robots, sites) in zip(chosen, fleets, strict=True):
            self._deploy_fleet(scenario, robots, self._fleet_sites(scenario, sites), self.rng.choice(models))

    def _fleet_sites(self, scenario: Row, count: int) -> list[str]:
        """The nomination's site plus replicas of it, the first replica in another city."""
        home, user = str(scenario["site_id"]), str(scenario["user_org"])
        city, kind = self._site_place[home]
        nearby = cities()[city.province]
        sites = [home]
        for n in range(2, count + 1):
            there = self.rng.choice([c for c in nearby if c != city] if n == 2 else nearby)
            sites.append(self._site(user, kind, there, replica=n))
        return sites

    def _deploy_fleet(self, scenario: Row, robots: int, sites: list[str], model: cat.RobotModel) -> None:
        user = str(scenario["user_org"])
        owner = user
        if user in self.user_integrator and self.rng.random() < 0.3:
            owner = self.user_integrator[user]  # integrators often lease robots to the user
        start = _day(self.rng, max("2026-07-01", _after(str(scenario["nominated_on"]), 7)), "2026-10-15")
        for k in range(robots):
            site = sites[k % len(sites)]
            begins = start if site == sites[0] else min(_after(start, self.rng.randint(0, 30)), "2026-10-15")
            self.rows["deployments"].append(
                {
                    "robot_serial": self._robot(model, owner),
                    "scenario_id": scenario["scenario_id"],
                    "site_id": site,
                    "start_date": begins,
                    "end_date": "",
                }
            )

    def _robot(self, model: cat.RobotModel, owner: str) -> str:
        last = self._serials.get(model.prefix, self.rng.randint(100, 1500))
        self._serials[model.prefix] = last + self.rng.randint(1, 30)
        serial = f"{model.prefix}-{self._serials[model.prefix]:06d}"
        self.rows["robots"].append(
            {
                "serial": serial,
                "model": model.model,
                "manufacturer": model.manufacturer,
                "built_on": _day(self.rng, "2025-03-01", "2026-06-30"),
                "owner_org": owner,
            }
        )
        return serial

    def declare_numbers(self) -> None:
        """Plans and declarations: declared robots run ahead of the deployed ones, often far."""
        fleet = Counter(d["scenario_id"] for d in self.rows["deployments"])
        for s in self.rows["scenarios"]:
            real = fleet[s["scenario_id"]]
            if s["status"] == "withdrawn":
                declared = 0
            elif real:
                declared = real + self.rng.randint(0, real + 2)
            else:
                declared = self.rng.choice((0, 0, 0, 1, 2, 3, 5, 8))
            s["declared_robots_in_operation"] = declared
            s["planned_robots"] = max(declared, self.rng.randint(2, 30))

    def add_submissions(
        self, late: list[ReferenceOrg], missing: list[ReferenceOrg], nominators: list[ReferenceOrg]
    ) -> None:
        """Implementation plans (a few late, a few missing) and progress reports from ~40%."""
        for org in nominators:
            if org in missing:
                continue
            window = ("2026-07-03", "2026-07-31") if org in late else ("2026-06-15", "2026-06-30")
            self._submit(
                org,
                "implementation_plan",
                _day(self.rng, *window),
                f"{org.name_zh}人形机器人应用实施方案.pdf",
            )
        for org in self.rng.sample(nominators, round(0.4 * len(nominators))):
            self._submit(
                org,
                "progress_report",
                _day(self.rng, "2026-11-02", "2026-11-24"),
                f"{org.name_zh}人形机器人应用进展报告（2026年11月）.pdf",
            )

    def _submit(self, org: ReferenceOrg, kind: str, day: str, document: str) -> None:
        self.rows["submissions"].append(
            {"org_code": org.code, "kind": kind, "submitted_on": day, "document": document}
        )


def build_program(*, seed: int) -> dict[str, list[dict[str, object]]]:
    """The demo national program for ``seed`` as one import document (same seed, same program)."""
    program = _Program(seed)
    rng = program.rng
    program.add_fixed_orgs()
    plan, edge = _province_plan(rng, [p.code for p in provinces()])
    noms: dict[str, _Nominator] = {}
    for prov in provinces():
        noms[prov.code] = program.province_nominator(prov)
        for domain in plan[prov.code]:
            program.nominate(noms[prov.code], domain)
    soes = rng.sample([s for s in central_soes() if s.code in cat.SOE_PROFILES], _NOMINATING_SOES)
    short = set(rng.sample([s.code for s in soes], rng.randint(2, 4)))
    for soe in soes:
        count = rng.randint(8, 9) if soe.code in short else rng.randint(10, 14)
        noms[soe.code] = program.soe_nominator(soe, count)
        for _ in range(count):
            program.nominate(noms[soe.code])
    for nom in rng.sample(list(noms.values()), rng.randint(5, 8)):
        program.nominate(nom, status="withdrawn")
    others = [n for code, n in noms.items() if code != edge]
    for nom in [noms[edge], *rng.sample(others, rng.randint(1, 2))]:
        program.duplicate(nom)
    program.form_consortia()
    program.deploy_robots()
    program.declare_numbers()
    late_provs, missing_provs = _late_and_missing(rng, list(provinces()), (2, 4), (1, 2))
    late_soes, missing_soes = _late_and_missing(rng, soes, (1, 1), (0, 1))
    program.add_submissions(late_provs + late_soes, missing_provs + missing_soes, [*provinces(), *soes])
    return program.rows


def _late_and_missing(
    rng: random.Random, orgs: list[ReferenceOrg], late: tuple[int, int], missing: tuple[int, int]
) -> tuple[list[ReferenceOrg], list[ReferenceOrg]]:
    """Disjoint picks of orgs whose implementation plan comes late, and of those with none."""
    n_late = rng.randint(*late)
    picked = rng.sample(orgs, n_late + rng.randint(*missing))
    return picked[:n_late], picked[n_late:]
