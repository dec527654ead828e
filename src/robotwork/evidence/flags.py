"""Integrity rules: which recordings must not count until a reviewer has looked at them.

Each rule compares a recording with the recordings ingested before it (so the original is
never the one flagged) or with its own claims. A flag keeps the recording stored and out of
every figure; clearing it, with a reason, is recorded in the change history.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from robotwork.errors import RobotworkError, UnknownRecord
from robotwork.evidence import fingerprint_index
from robotwork.evidence.recording import RecordingEvidence
from robotwork.evidence.standing import mark_recording
from robotwork.policy import Policy
from robotwork.registry import audit
from robotwork.registry.models import Change, Flag, Recording

DUPLICATE, REPLAY, STATIC, OVERLAP = "duplicate_content", "replay", "static", "overlap"
RULES = (DUPLICATE, REPLAY, STATIC, OVERLAP)


def _earlier(rec: Recording):  # type: ignore[no-untyped-def]
    """Recordings ingested before `rec` (ingest order, ties broken by id)."""
    return or_(
        Recording.ingested_at < rec.ingested_at,
        and_(Recording.ingested_at == rec.ingested_at, Recording.recording_id < rec.recording_id),
    )


def _same_content(session: Session, rec: Recording, ev: RecordingEvidence) -> Recording | None:
    """An earlier recording with exactly the same joint positions, under any robot."""
    if not ev.samples:
        return None
    return session.scalars(
        select(Recording).where(Recording.content_digest == ev.content_digest, _earlier(rec)).limit(1)
    ).first()


def _content_flag(rec: Recording, other: Recording) -> tuple[str, dict[str, Any]]:
    """Same content at the same time is a duplicate; shifted in time it is a whole replay."""
    shift_s = (rec.start_ns - other.start_ns) / 1e9
    if shift_s:
        return REPLAY, {
            "replays": other.recording_id,
            "other_robot": other.robot_serial,
            "share": 1.0,
            "shifted_by_seconds": round(shift_s, 3),
            "whole": True,
        }
    return DUPLICATE, {
        "same_content_as": other.recording_id,
        "other_robot": other.robot_serial,
        "this_robot": rec.robot_serial,
    }


def _replay(session: Session, policy: Policy, rec: Recording, ev: RecordingEvidence) -> dict[str, Any] | None:
    total = len(ev.fingerprints)
    if not total:
        return None
    counts = fingerprint_index.shared_counts(session, ev.fingerprints, excluding=rec.recording_id)
    if not counts:
        return None
    best, shared = max(counts.items(), key=lambda kv: kv[1])
    share = shared / total
    if share < policy.integrity["replay_min_share"]:
        return None
    return {
        "replays": best,
        "shared_fingerprints": shared,
        "fingerprints": total,
        "share": round(share, 4),
        "threshold": policy.integrity["replay_min_share"],
    }


def _static(policy: Policy, ev: RecordingEvidence) -> dict[str, Any] | None:
    claimed = sum(d.claimed_operating_s for d in ev.days)
    moving = sum(d.operating_s for d in ev.days)
    if claimed < policy.integrity["static_min_claimed_hours"] * 3600:
        return None
    share = moving / claimed
    if share > policy.integrity["static_max_moving_share"]:
        return None
    return {
        "claimed_operating_hours": round(claimed / 3600, 3),
        "moving_operating_hours": round(moving / 3600, 3),
        "moving_share": round(share, 4),
        "threshold": policy.integrity["static_max_moving_share"],
    }


def _overlap(session: Session, rec: Recording) -> dict[str, Any] | None:
    other = session.scalars(
        select(Recording)
        .where(
            Recording.robot_serial == rec.robot_serial,
            Recording.recording_id != rec.recording_id,
            Recording.start_ns < rec.end_ns,
            Recording.end_ns > rec.start_ns,
            _earlier(rec),
        )
        .limit(1)
    ).first()
    if other is None:
        return None
    found = {
        "overlaps": other.recording_id,
        "from_ns": max(rec.start_ns, other.start_ns),
        "to_ns": min(rec.end_ns, other.end_ns),
    }
    if other.site_id and rec.site_id and other.site_id != rec.site_id:
        found["two_sites"] = [other.site_id, rec.site_id]
    return found


def check_recording(
    session: Session, policy: Policy, rec: Recording, ev: RecordingEvidence
) -> list[Flag]:
    """Apply every rule to `rec`; new flags are added, cleared ones stay cleared."""
    found: dict[str, dict[str, Any] | None] = dict.fromkeys(RULES)
    same = _same_content(session, rec, ev)
    if same is not None:
        rule, content = _content_flag(rec, same)
        found[rule] = content
    else:
        found[REPLAY] = _replay(session, policy, rec, ev)
    found[STATIC] = _static(policy, ev)
    found[OVERLAP] = _overlap(session, rec)
    existing = {f.rule: f for f in session.scalars(select(Flag).where(Flag.recording_id == rec.recording_id))}
    now = datetime.now(UTC)
    for rule, evidence in found.items():
        flag = existing.get(rule)
        if evidence is None:
            if flag is not None and flag.cleared_at is None:
                session.delete(flag)
            continue
        if flag is None:
            session.add(Flag(recording_id=rec.recording_id, rule=rule, evidence=evidence, flagged_at=now))
        else:
            flag.evidence = evidence
    session.flush()
    return list(session.scalars(select(Flag).where(Flag.recording_id == rec.recording_id)))


def clear_flag(
    session: Session, flag_id: int, *, reason: str, actor: str, address: str | None = audit.LOCAL_ADDRESS
) -> Flag:
    """Clear a flag with a reason; the recording counts again, the history says who and why, and
    the audit trail also from which address."""
    flag = session.get(Flag, flag_id)
    if flag is None:
        raise UnknownRecord(f"flag {flag_id}: no such flag", kind="flag", key=flag_id)
    if not reason.strip():
        raise RobotworkError(f"flag {flag_id}: a reason is required to clear a flag")
    now = datetime.now(UTC)
    old = {"cleared_at": None if flag.cleared_at is None else flag.cleared_at.isoformat()}
    flag.cleared_at, flag.cleared_by, flag.clear_reason = now, actor, reason.strip()
    session.add(
        Change(
            entity="flags",
            record_key=str(flag.id),
            action="clear",
            old=old,
            new={
                "cleared_at": now.isoformat(),
                "reason": flag.clear_reason,
                "rule": flag.rule,
                "recording_id": flag.recording_id,
            },
            actor=actor,
            source=None,
            changed_at=now,
        )
    )
    session.flush()
    mark_recording(session, flag.recording_id)  # the figures take the recording in again
    detail = {"reason": flag.clear_reason, "recording_id": flag.recording_id, "rule": flag.rule}
    audit.add(session, actor=actor, action="flag.clear", address=address, target=str(flag.id), detail=detail)
    return flag
