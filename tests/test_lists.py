"""Lists people can work with: search, filters, sort and paging on the pages and their JSON twins
(the same URL with format=json), always within the reader's scope."""

import pytest
from program_app import app, signed_in

from robotwork.read.lists import BadListQuery, ListQuery, list_page

__all__ = ["app"]  # the module's program, a fixture
ROWS = [
    {"id": f"R-{i:02d}", "model": "H1" if i % 2 else "G1", "hours": (i * 7) % 10 if i % 5 else None}
    for i in range(25)
]


def test_search_sort_and_paging_of_rows():
    found = list_page(
        ROWS,
        ListQuery(q="h1", sort="-hours", page=2, per_page=5),
        search=("id", "model"),
        sortable=("hours",),
    )
    assert found["total"] == 25 and found["matched"] == 12 and found["list"].pages == 3
    ordered = list_page(
        ROWS, ListQuery(q="h1", sort="-hours", per_page=50), search=("id", "model"), sortable=("hours",)
    )
    hours = [r["hours"] for r in ordered["rows"]]
    assert [h for h in hours if h is not None] == sorted((h for h in hours if h is not None), reverse=True)
    assert hours[-1] is None  # missing values last, either way
    assert found["rows"] == ordered["rows"][5:10]
    assert list_page(ROWS, ListQuery(q="R-0 h1"), search=("id", "model"), sortable=())["matched"] == 5
    with pytest.raises(BadListQuery):
        list_page(ROWS, ListQuery(sort="password"), search=(), sortable=("hours",))


def test_scenarios_page_and_twin_take_the_same_parameters(app):
    client = signed_in(app, "gd")
    url = "/scenarios?org=CN-GD&q=line+1&sort=-scenario_id&page=1&per_page=5"
    twin = client.get(url + "&format=json").json()
    assert twin["matched"] == 11 and twin["total"] == 20  # "line 1" and "line 10".."line 19"
    ids = [r["scenario_id"] for r in twin["rows"]]
    assert ids == sorted(ids, reverse=True) and len(ids) == 5 and twin["list"]["pages"] == 3
    page = client.get(url + "&lang=en").text
    assert all(f'href="/scenario/{i}"' in page for i in ids) and "Page 1 of 3" in page
    assert 'name="q" value="line 1"' in page and 'rel="next"' in page
    assert client.get("/scenarios?sort=nope").status_code in (400, 422)


def test_robots_and_recordings_lists_filter_within_scope(app):
    mine, theirs = signed_in(app, "cgd"), signed_in(app, "cbj")
    assert [r["robot_serial"] for r in mine.get("/robots?q=R-GD&format=json").json()["rows"]] == ["R-GD-1"]
    hidden = theirs.get("/robots?q=R-GD&format=json").json()
    assert hidden["rows"] == [] and hidden["rows_hidden"] >= 1
    recordings = mine.get("/recordings?robot=R-GD-1&sort=-start&format=json").json()
    assert recordings["matched"] == 1 and recordings["rows"][0]["robot_serial"] == "R-GD-1"
    assert theirs.get("/recordings?format=json").json()["matched"] == 0
    assert "R-GD-1.mcap" in mine.get("/recordings?q=mcap").text


def test_flags_and_datasets_lists_answer_the_same_parameters(app):
    client = signed_in(app, "min")
    flags = client.get("/integrity?q=static&sort=-flagged_at&format=json").json()
    assert flags["matched"] == len(flags["open"]) and flags["list"]["sort"] == "-flagged_at"
    datasets = client.get("/datasets?q=nothing-like-this&format=json").json()
    assert datasets["matched"] == 0 and datasets["datasets"] == []
    assert client.get("/datasets?sort=episodes").status_code == 200
