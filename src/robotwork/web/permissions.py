"""Who may write what: the role rules of the API and the pages, in one place.

Reads are open to every logged-in person; writes are narrow: officers write their own
organization's nominations and submissions, consortium members and device tokens upload
recordings of their own robots, the ministry clears integrity flags.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from robotwork.accounts import Principal
from robotwork.registry.models import Consortium, Deployment
from robotwork.registry.sources import RawDocument

OFFICER_ROLES = ("province", "central_soe")
_NOMINATOR_KINDS = ("ministry", "province", "central_soe")


def workbook_trespass(principal: Principal, doc: RawDocument) -> str | None:
    """Why an officer may not import this workbook, or None when every row is their own."""
    if principal.kind != "user" or principal.role not in OFFICER_ROLES or not principal.org_code:
        return "only province and central SOE officers import nominations"
    own = principal.org_code
    for raw in doc.sheets.get("scenarios", []):
        if str(raw.cells.get("nominated_by", "")).strip() != own:
            return f"scenarios row {raw.number}: nominated by {raw.cells.get('nominated_by')!r}, not {own}"
    for raw in doc.sheets.get("submissions", []):
        if str(raw.cells.get("org_code", "")).strip() != own:
            return f"submissions row {raw.number}: for {raw.cells.get('org_code')!r}, not {own}"
    if principal.role == "province":
        for raw in doc.sheets.get("sites", []):
            if str(raw.cells.get("province", "")).strip() != own:
                return f"sites row {raw.number}: in {raw.cells.get('province')!r}, not {own}"
    for raw in doc.sheets.get("organizations", []):
        if str(raw.cells.get("kind", "")).strip() in _NOMINATOR_KINDS:
            return f"organizations row {raw.number}: officers cannot write ministries, provinces or SOEs"
    return None


def consortium_robots(session: Session, consortium_id: str, on: date) -> set[str]:
    """Robots deployed (on `on`) at a scenario of the consortium."""
    consortium = session.get(Consortium, consortium_id)
    if consortium is None:
        return set()
    query = select(Deployment.robot_serial).where(
        Deployment.scenario_id.in_(consortium.scenario_ids), Deployment.start_date <= on
    )
    return set(session.scalars(query))


def may_upload_for(session: Session, principal: Principal, serial: str | None, on: date) -> str | None:
    """Why `principal` may not upload a recording of robot `serial`, or None when it may."""
    if serial is None:
        return "the recording names no robot: give robot_serial in its metadata or the form"
    if principal.kind == "device":
        return (
            None if principal.robot_serial == serial else f"this device token is for {principal.robot_serial}"
        )
    if principal.role == "consortium" and principal.consortium_id:
        if serial in consortium_robots(session, principal.consortium_id, on):
            return None
        return f"robot {serial} is not deployed at a scenario of consortium {principal.consortium_id}"
    return "only consortium members and device tokens upload recordings"
