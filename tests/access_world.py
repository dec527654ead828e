"""A small two-province program with a user or token per role, for the access tests.

CN-GD and CN-BJ each nominate 20 scenarios with a site, a consortium (C-GD, C-BJ) and a robot
(R-GD-1, R-BJ-1); SOE-SGCC's officer has nothing of its own. Every role of the matrix has a
bearer token: ministry, gd and bj (province officers), soe (central SOE officer), cons (C-GD's
member), device (R-GD-1's device).
"""

import warnings
from pathlib import Path

from registry_docs import province_program, write_json

from robotwork.accounts import add_user, create_token
from robotwork.policy import Policy
from robotwork.registry.importer import import_file
from robotwork.web.app import create_app
from robotwork.web.settings import Settings

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

PASSWORD = "correct horse"
USERS = {
    "ministry": ("ministry", {}),
    "gd": ("province", {"org": "CN-GD"}),
    "bj": ("province", {"org": "CN-BJ"}),
    "soe": ("central_soe", {"org": "SOE-SGCC"}),
    "cons": ("consortium", {"consortium": "C-GD"}),
    "team": ("algorithm_team", {"org": "A-GD"}),  # an algorithm team, a member of C-GD
}
WHO = [*USERS, "device"]  # every role of the matrix: its column in rules.ROLES
ROLE_OF = {
    "ministry": "ministry",
    "gd": "province",
    "bj": "province",
    "soe": "central_soe",
    "cons": "consortium",
    "team": "algorithm_team",
}
ROLE_OF["device"] = "device"


def world(tmp_path: Path, db_url: str | None, policy: Policy, **settings: object) -> TestClient:
    """The app on the two-province program; `client.tokens[who]` holds each role's token."""
    app = create_app(Settings(home=tmp_path / "home", db_url=db_url, secret_key="test", **settings))
    engine = app.state.services.engine
    for province, city in (("CN-GD", "Shenzhen"), ("CN-BJ", "Beijing")):
        path = write_json(province_program(province, city=city), tmp_path / f"{province}.json")
        assert import_file(engine, path, policy, actor="setup").ok
    tokens = {}
    for name, (role, extra) in USERS.items():
        add_user(engine, name, PASSWORD, role, **extra)
        tokens[name] = create_token(engine, username=name)
    tokens["device"] = create_token(engine, robot="R-GD-1")
    client = TestClient(app, base_url="https://testserver")
    client.tokens = tokens
    client.engine = engine
    return client


def auth(client: TestClient, who: str) -> dict[str, str]:
    """The bearer header of one role."""
    return {"Authorization": f"Bearer {client.tokens[who]}"}
