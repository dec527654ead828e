"""The list parameters every list takes, on a page, its JSON twin and the API alike: ``q``,
``sort``, ``page`` and ``per_page`` (`robotwork.read.lists.ListQuery`), as a FastAPI dependency."""

from typing import Annotated

from fastapi import Depends, Query

from robotwork.read.lists import MAX_PER_PAGE, ListQuery


def list_query(
    q: Annotated[str | None, Query(max_length=200)] = None,
    sort: Annotated[str | None, Query(max_length=64, pattern=r"^-?[a-z_]+$")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 50,
) -> ListQuery:
    """The list parameters of a request."""
    return ListQuery(q.strip() or None if q else None, sort, page, per_page)


ListDep = Annotated[ListQuery, Depends(list_query)]
