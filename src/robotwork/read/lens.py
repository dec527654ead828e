"""Lenses: the page each person starts from, and the other pages of the program they may switch to.

A lens is where a role's questions are answered first: the ministry's is the national overview,
an officer's its own organization, a consortium member's its consortium, an algorithm team's the
harvest (what data exists and what can be exported). Everyone may switch to the national view and
the harvest (figures are public; the harvest lists only the robots in scope), so the switcher
offers those beside the role's own. A chosen lens is remembered in a cookie, so the next login
lands where the person last chose to be.
"""

from robotwork.accounts import Principal
from robotwork.read.models import ReadModel

LENS_COOKIE = "lens"


class Lens(ReadModel):
    """One starting page: `key` names it (``lens.<key>`` in the words), `href` is where it is."""

    key: str
    href: str


_NATIONAL = Lens(key="national", href="/")
_HARVEST = Lens(key="harvest", href="/harvest")


def lenses(principal: Principal) -> list[Lens]:
    """The lenses open to `principal`, its role's own first (a device token has none)."""
    if principal.kind != "user":
        return []
    if principal.role == "algorithm_team":
        return [_HARVEST, _NATIONAL]
    own: list[Lens] = []
    if principal.role in ("province", "central_soe") and principal.org_code:
        own.append(Lens(key="org", href=f"/org/{principal.org_code}"))
    if principal.role == "consortium" and principal.consortium_id:
        own.append(Lens(key="consortium", href=f"/consortium/{principal.consortium_id}"))
    return [*own, _NATIONAL, _HARVEST]


def lens_home(principal: Principal, chosen: str | None) -> str:
    """Where `principal` lands after login: the lens it chose last, else its role's own."""
    found = lenses(principal)
    for lens in found:
        if lens.key == chosen:
            return lens.href
    return found[0].href if found else "/"
