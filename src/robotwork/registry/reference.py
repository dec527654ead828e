"""Reference lists shipped with robotwork: the 31 provincial-level divisions and the central SOEs.

They are data files (editable: SASAC mergers change the SOE list), loaded once per process.
"""

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class ReferenceOrg:
    """A province or central SOE as the reference list names it."""

    code: str
    name: str
    name_zh: str
    kind: str


def _read(filename: str) -> list[dict[str, str]]:
    text = resources.files("robotwork.registry").joinpath("data", filename).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def provinces() -> tuple[ReferenceOrg, ...]:
    """The 31 provincial-level divisions, coded by ISO 3166-2:CN (``CN-BJ`` ...)."""
    return tuple(ReferenceOrg(r["code"], r["name"], r["name_zh"], "province") for r in _read("provinces.csv"))


@cache
def central_soes() -> tuple[ReferenceOrg, ...]:
    """The central state-owned enterprises supervised by SASAC."""
    return tuple(
        ReferenceOrg(r["code"], r["name"], r["name_zh"], "central_soe") for r in _read("central_soes.csv")
    )


def province_codes() -> frozenset[str]:
    """The set of valid province codes, for checks on import."""
    return frozenset(p.code for p in provinces())
