"""The integrity review: flags with the recording each keeps out of the figures.

Open flags first (they keep their recording out of every figure), then cleared ones with who
cleared them and why; each carries its recording, so the page links the robot and shows when.
"""

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from robotwork.access import ReadScope
from robotwork.policy import Policy
from robotwork.read.flag import Flag, flag_of, flagged
from robotwork.read.lists import ListQuery, ListState, list_page
from robotwork.read.models import ReadModel
from robotwork.read.recording import Recording, recording_of
from robotwork.registry import models

FLAG_SEARCH = ("rule", "recording_id", "robot_serial")
FLAG_SORT = ("flagged_at", "rule", "robot_serial")


class ReviewedFlag(Flag):
    """A flag as the review shows it: with its recording (its flags left out)."""

    recording: Recording


class Review(ReadModel):
    """The flags of the robots in the reader's scope, newest first, open apart from cleared."""

    open: list[ReviewedFlag]
    cleared: list[ReviewedFlag]


def review(engine: Engine, policy: Policy, scope: ReadScope) -> Review:
    """Every flag on a recording of a robot in the scope, newest first, split open / cleared."""
    query = flagged(scope, include_cleared=True).order_by(
        models.Flag.flagged_at.desc(), models.Flag.id.desc()
    )
    with Session(engine) as session:
        rows = [
            ReviewedFlag(**flag_of(f, rec).model_dump(), recording=recording_of(rec, [], policy))
            for f, rec in session.execute(query)
        ]
    return Review(open=[r for r in rows if not r.cleared], cleared=[r for r in rows if r.cleared])


class IntegrityList(ReadModel):
    """The review as the integrity page lists it: the open flags searched, sorted and paged
    (`open` is `rows`), the cleared ones after them."""

    open: list[ReviewedFlag]
    cleared: list[ReviewedFlag]
    rows: list[ReviewedFlag]
    total: int
    matched: int
    list: ListState


def integrity(engine: Engine, policy: Policy, scope: ReadScope, query: ListQuery) -> IntegrityList:
    """The integrity page: open flags of the scope's robots as a list, then the cleared ones."""
    found = review(engine, policy, scope)
    shown = list_page(found.open, query, search=FLAG_SEARCH, sortable=FLAG_SORT)
    return IntegrityList(open=shown["rows"], cleared=found.cleared, **shown)
