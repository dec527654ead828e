"""Sessions and tokens (issue 14): logout ends a session on the server, sessions and tokens
expire, revoked tokens and disabled users are refused, logins are rate-limited, every refused
credential is a 401 (never a 500), and each of these acts is in the audit trail."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from access_world import PASSWORD, auth, world
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from itsdangerous import URLSafeSerializer
from sqlalchemy import update
from sqlalchemy.orm import Session
from test_cli import run

from robotwork.accounts import LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_ADDRESS, create_token
from robotwork.registry.audit import list_events
from robotwork.registry.models import ApiToken, UserSession
from robotwork.web.session import COOKIE

ME = "/api/v1/me"


@pytest.fixture
def api(tmp_path, db_url, policy):
    client = world(tmp_path, db_url, policy, session_idle=timedelta(minutes=30))
    yield client
    client.engine.dispose()


def _login(api, who="gd", password=PASSWORD):
    return api.post("/login", data={"username": who, "password": password}, follow_redirects=False)


def _age_sessions(api, **values):
    with Session(api.engine) as session, session.begin():
        session.execute(update(UserSession).values(**values))


def test_logout_ends_the_session_on_the_server(api):
    assert _login(api).status_code == 303
    cookie = api.cookies[COOKIE]
    csrf = api.app.state.services.sessions.read(cookie).csrf
    assert api.get(ME).json()["name"] == "gd"
    assert api.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    api.cookies.set(COOKIE, cookie)  # a copy of the cookie kept somewhere
    assert api.get(ME).status_code == 401
    assert api.get("/", follow_redirects=False).status_code == 303  # pages send it to /login
    assert [e["action"] for e in list_events(api.engine, actor="gd")][:2] == ["logout", "login"]


def test_sessions_expire_idle_and_absolute(api):
    now = datetime.now(UTC)
    assert _login(api).status_code == 303
    _age_sessions(api, seen_at=now - timedelta(minutes=20))
    assert api.get(ME).status_code == 200  # within the configured 30 minutes of idleness
    _age_sessions(api, seen_at=now - timedelta(minutes=31))
    assert api.get(ME).status_code == 401
    api.cookies.clear()
    assert _login(api).status_code == 303
    _age_sessions(api, created_at=now - timedelta(days=7, minutes=1), seen_at=now)
    assert api.get(ME).status_code == 401  # 7 days after login, however busy


def test_revoked_and_expired_tokens_and_disabled_users(api, tmp_path, db_url):
    home = str(tmp_path / "home")
    cli = lambda *a: run("--home", home, "--db", db_url, "--actor", "ops", *a)  # noqa: E731
    made = cli("tokens", "create", "--user", "bj", "--expires", "90d", "--label", "report bot")
    assert made.exit_code == 0, made.output
    token = made.stdout.strip()
    listed = json.loads(cli("tokens", "list", "--json").stdout)
    mine = next(t for t in listed if t["label"] == "report bot")
    assert mine["state"] == "active" and mine["expires_at"] and "secret" not in json.dumps(mine)
    assert api.get(ME, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert cli("tokens", "revoke", str(mine["id"])).exit_code == 0
    assert api.get(ME, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert cli("tokens", "revoke", "99999999999").exit_code == 1
    assert cli("tokens", "create", "--user", "bj", "--expires", "soon").exit_code == 1

    short = create_token(api.engine, username="gd", expires=timedelta(days=1))
    assert api.get(ME, headers={"Authorization": f"Bearer {short}"}).status_code == 200
    with Session(api.engine) as session, session.begin():
        session.execute(
            update(ApiToken).where(ApiToken.username == "gd").values(expires_at=datetime.now(UTC))
        )
    assert api.get(ME, headers={"Authorization": f"Bearer {short}"}).status_code == 401

    assert _login(api, "soe").status_code == 303
    assert cli("users", "disable", "soe").exit_code == 0
    assert api.get(ME).status_code == 401  # the session ended
    assert api.get(ME, headers=auth(api, "soe")).status_code == 401  # and its token stops
    assert _login(api, "soe").status_code == 401
    assert cli("users", "enable", "soe").exit_code == 0
    assert api.get(ME, headers=auth(api, "soe")).status_code == 200
    trail = json.loads(cli("audit", "--json", "--actor", "ops").stdout)
    assert {"token.create", "token.revoke", "user.disable", "user.enable"} <= {e["action"] for e in trail}
    assert all(e["address"] for e in trail)


def test_login_is_rate_limited_per_account_and_per_address(api):
    for _ in range(LOGIN_FAILURES_PER_ACCOUNT):
        assert _login(api, "gd", "wrong password").status_code == 401
    assert _login(api, "gd").status_code == 429  # even the right password, for a while
    assert _login(api, "bj").status_code == 303  # another account from the same address is fine
    for i in range(LOGIN_FAILURES_PER_ADDRESS):
        _login(api, f"nobody{i}", "wrong password")
    assert _login(api, "ministry").status_code == 429  # this address is now refused
    refused = list_events(api.engine, action="login")
    assert {e["outcome"] for e in refused} == {"ok", "refused", "limited"}
    assert all(e["address"] for e in refused)


MALFORMED = [
    "Bearer",
    "Bearer ",
    "Bearer rwt_99999999999999999999999_x",
    "Bearer rwt_2147483648_x",
    "Bearer rwt_-1_x",
    "Bearer rwt_0_x",
    "Bearer rwt_1_",
    "Bearer rwt__x",
    "Bearer rwt_1",
    "Bearer xyz_1_secret",
    "Bearer rwt_1_" + "x" * 5000,
    "Bearer rwt_\xb9_x",  # a superscript one: a digit to str.isdigit, not a number
    "bearer rwt_1_wrong",
    "BEARER rwt_1_wrong",
    "Basic dXNlcjpwYXNz",
    "Bearer rwt_1_wrong\tx",
]


def test_malformed_authorization_headers_are_401(api):
    for header in MALFORMED:
        answer = api.get(ME, headers={"Authorization": header.encode("latin-1")})
        assert answer.status_code == 401, (header[:40], answer.status_code, answer.text[:200])


def test_fuzzed_credentials_only_ever_401(api):
    key = URLSafeSerializer("test", salt="robotwork-session")
    forged = [key.dumps({"k": "no such session"}), key.dumps(["k"]), key.dumps({"k": 7}), key.dumps(None)]
    for cookie in forged:
        api.cookies.set(COOKIE, cookie)
        assert api.get(ME).status_code == 401, cookie
    api.cookies.clear()

    latin1 = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=300)

    @given(
        header=st.one_of(latin1, latin1.map(lambda s: "Bearer " + s), latin1.map(lambda s: f"Bearer rwt_{s}"))
    )
    @settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def headers(header):
        answer = api.get(ME, headers={"Authorization": header.encode("latin-1")})
        assert answer.status_code == 401, (header, answer.text[:200])

    @given(
        cookie=st.text(
            st.characters(min_codepoint=33, max_codepoint=126, exclude_characters=';,"\\'), max_size=600
        )
    )
    @settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def cookies(cookie):
        answer = api.get(ME, headers={"Cookie": f"{COOKIE}={cookie}"})
        assert answer.status_code == 401, (cookie, answer.text[:200])

    headers()
    cookies()


def test_token_secrets_hash_fast_and_older_scrypt_hashes_still_verify() -> None:
    from robotwork.accounts import hash_secret, hash_token_secret, verify_secret

    secret = "s3cret-token-part"
    for stored in (hash_token_secret(secret), hash_secret(secret)):  # new tokens, and older ones
        assert verify_secret(secret, stored)
        assert not verify_secret(secret + "x", stored)
    assert hash_token_secret(secret).startswith("sha256$")
