"""Lists people can work with: search, sort and paging over the rows a list view made.

Every list page (scenarios, robots, recordings, flags, datasets) takes the same four parameters,
and its JSON twin (the same URL with ``format=json``) takes them too and answers the same rows:
``q`` (words that must all appear in one of the list's searchable columns, any case), ``sort``
(a column, ``-column`` for descending), ``page`` (from 1) and ``per_page``. The rows are cut to
the reader's scope before they get here, so search and paging never reveal a row out of scope;
``matched`` counts the rows after the search, ``total`` before it.
"""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query

MAX_PER_PAGE = 500


@dataclass(frozen=True)
class ListQuery:
    """What a reader asked of a list: search words, sort column, page and page size."""

    q: str | None = None
    sort: str | None = None
    page: int = 1
    per_page: int = 50


def list_query(
    q: Annotated[str | None, Query(max_length=200)] = None,
    sort: Annotated[str | None, Query(max_length=64, pattern=r"^-?[a-z_]+$")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 50,
) -> ListQuery:
    """The list parameters of a request (a FastAPI dependency, shared by pages and twins)."""
    return ListQuery(q.strip() or None if q else None, sort, page, per_page)


ListDep = Annotated[ListQuery, Depends(list_query)]


def _sort_key(value: Any) -> tuple[int, Any]:
    """None last, numbers as numbers, everything else as its text (so mixed columns still sort)."""
    if value is None:
        return (2, "")
    if isinstance(value, bool | int | float):
        return (0, float(value))
    return (1, str(value).lower())


def list_page(
    rows: list[dict[str, Any]], query: ListQuery, *, search: tuple[str, ...], sortable: tuple[str, ...]
) -> dict[str, Any]:
    """One page of `rows` matching the search, sorted; 400 for a column that cannot be sorted."""
    column = (query.sort or "").lstrip("-")
    if column and column not in sortable:
        raise HTTPException(400, f"sort {query.sort!r}: not one of {', '.join(sortable)}")
    matched = rows
    if query.q:
        words = query.q.lower().split()
        matched = [
            r for r in rows if all(any(w in str(r.get(k) or "").lower() for k in search) for w in words)
        ]
    if column:
        matched = sorted(matched, key=lambda r: _sort_key(r.get(column)), reverse=query.sort != column)
        if query.sort != column:  # descending: keep None last too
            matched = [r for r in matched if r.get(column) is not None] + [
                r for r in matched if r.get(column) is None
            ]
    pages = max(1, -(-len(matched) // query.per_page))
    start = (query.page - 1) * query.per_page
    return {
        "rows": matched[start : start + query.per_page],
        "total": len(rows),
        "matched": len(matched),
        "list": {
            "q": query.q,
            "sort": query.sort,
            "page": query.page,
            "pages": pages,
            "per_page": query.per_page,
            "sortable": list(sortable),
        },
    }
