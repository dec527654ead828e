"""The README's "Using it" block works as written: every line runs, in order, in a fresh folder
(the default home `./robotwork-data`, the repository's `examples/` beside it), the demo first.

This is the one test that builds the default demo in full; it also checks what the demo prints
for a first run: the login accounts before the progress, and a count in every progress line.
"""

import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    """The command lines of the README's "Using it" block, comments removed."""
    block = (ROOT / "README.md").read_text().split("## Using it", 1)[1].split("```bash\n", 1)[1]
    lines = block.split("```", 1)[0].splitlines()
    return [re.sub(r"\s+#\s.*$", "", line).strip() for line in lines if line.strip()]


def test_the_block_is_all_robotwork_commands_and_starts_with_the_demo() -> None:
    commands = readme_commands()
    assert commands[0].startswith("robotwork demo") and all(c.startswith("robotwork ") for c in commands)
    assert not any("|" in c.split('"')[0] for c in commands)  # no "a|b" alternatives left to guess


def test_every_command_of_using_it_runs_on_the_demo_home(tmp_path: Path) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROBOTWORK_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    for command in readme_commands():
        done = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=1200
        )
        assert done.returncode == 0, f"{command}\n{done.stderr[-2000:]}"
        if command.startswith("robotwork demo"):
            err = done.stderr
            assert err.index("accounts (user / password)") < err.index("recordings written and ingested")
            progress = [line for line in err.splitlines() if "recordings written and ingested" in line]
            assert progress and all(re.match(r"\s*[\d,]+/[\d,]+ ", line) for line in progress)
            assert "planted integrity cases: copy, replay, static" in err
    assert (tmp_path / "gd.pdf").stat().st_size > 10_000
    assert (tmp_path / "ds" / "meta" / "info.json").is_file()
    _the_data_pays_off(tmp_path / "robotwork-data")


def _the_data_pays_off(home: Path) -> None:
    """The demo fleet learns: interventions per operating hour fall from the first full week of
    the "Is the data paying off?" chart to the last."""
    from robotwork.policy import load_policy
    from robotwork.read.national import data_payoff
    from robotwork.registry.db import open_registry, sqlite_url

    today = datetime.now(load_policy().zone).date()
    weeks = [w for w in data_payoff(open_registry(sqlite_url(home)), today) if w.operating_hours > 1000]
    assert len(weeks) >= 3
    assert weeks[0].interventions_per_hour > 1.1 * weeks[-1].interventions_per_hour
