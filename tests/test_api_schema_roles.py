"""schemathesis over every operation, authenticated as each role (issue 14): no 5xx, whatever
the role, the parameters and the bodies; refusals are 401/403/404/422, never an error."""

import pytest
import schemathesis
from access_world import WHO, world
from hypothesis import HealthCheck, given, settings
from livesrv import serving
from schemathesis.checks import not_a_server_error


@pytest.fixture(scope="module")
def live(tmp_path_factory, policy):
    client = world(tmp_path_factory.mktemp("roles"), None, policy)
    with serving(client.app) as url:
        yield {"url": url, "tokens": client.tokens, "app": client.app}
    client.engine.dispose()


@pytest.mark.parametrize("who", WHO)
def test_no_server_errors_for_any_role(live, who):
    schema = schemathesis.openapi.from_dict(live["app"].openapi())
    operations = [result.ok() for result in schema.get_all_operations()]
    headers = {"Authorization": f"Bearer {live['tokens'][who]}"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=6, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(base_url=live["url"], headers=headers, checks=[not_a_server_error])

        check()
