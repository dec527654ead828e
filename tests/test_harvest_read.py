"""The harvest read (`read.harvest`) kept between reads and counted again after a change: a new
recording taken in shows at once, on the page and the API alike."""

from datetime import date

from program_app import app, signed_in
from recordings import write_json_mcap
from workdays import days_back, workdays

from robotwork.access import read_scope
from robotwork.accounts import principal_of_user
from robotwork.read.harvest import harvest

__all__ = ["app"]  # the module's program, a fixture


def test_the_harvest_is_counted_again_after_a_recording_is_taken_in(app, tmp_path):
    services = app.state.services
    engine, policy, today = services.engine, services.policy, date.today()
    scope = read_scope(engine, principal_of_user(engine, "min"))
    before = harvest(engine, policy, today, scope)
    assert harvest(engine, policy, today, scope) == before  # kept: the same groups
    content = workdays("R-BJ-1", days_back(today, 2), mode="teleoperated", success_every=2, seed=5)
    assert services.intake.take(write_json_mcap(tmp_path / "R-BJ-1.mcap", content)).status == "ingested"
    after = harvest(engine, policy, today, scope)
    assert after.episodes > before.episodes and after.robots == before.robots + 1
    assert "teleoperated" in after.choices["mode"] and "failure" in after.choices["outcome"]
    api = signed_in(app, "min").get("/api/v1/harvest").json()
    assert api["episodes"] == after.episodes
