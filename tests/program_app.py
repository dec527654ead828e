"""A small program served by one app per test module: two provinces, a recording of R-GD-1 (three
work days of tote picking), a user per role; `signed_in` logs a client in."""

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from recordings import write_json_mcap
from registry_docs import province_program, write_json
from workdays import days_back, workdays

from robotwork.accounts import add_user
from robotwork.registry.importer import import_file
from robotwork.web.app import create_app
from robotwork.web.settings import Settings

PASSWORD = "password1"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, policy) -> Iterator[object]:
    """Two provinces, a recording of R-GD-1 (three work days of tote picking), a user per role."""
    home = tmp_path_factory.mktemp("lenses")
    app = create_app(Settings(home=home, secret_key="test", secure_cookies=False))
    services = app.state.services
    for province, city in (("CN-GD", "Shenzhen"), ("CN-BJ", "Beijing")):
        path = write_json(province_program(province, city=city), home / f"{province}.json")
        assert import_file(services.engine, path, policy, actor="test").ok
    recording = write_json_mcap(home / "R-GD-1.mcap", workdays("R-GD-1", days_back(date.today(), 3)))
    assert services.intake.take(recording).status == "ingested"
    add_user(services.engine, "min", PASSWORD, "ministry")
    add_user(services.engine, "gd", PASSWORD, "province", org="CN-GD")
    add_user(services.engine, "bj", PASSWORD, "province", org="CN-BJ")
    add_user(services.engine, "cgd", PASSWORD, "consortium", consortium="C-GD")
    add_user(services.engine, "cbj", PASSWORD, "consortium", consortium="C-BJ")
    add_user(services.engine, "agd", PASSWORD, "algorithm_team", org="A-GD")  # a member of C-GD
    yield app


def signed_in(app, username: str) -> TestClient:
    """A client logged in as `username`, with the login's redirect kept on `.landed`."""
    client = TestClient(app)
    answer = client.post("/login", data={"username": username, "password": PASSWORD}, follow_redirects=False)
    assert answer.status_code == 303
    client.landed = answer.headers["location"]  # type: ignore[attr-defined]
    return client
