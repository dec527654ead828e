"""Docs that cannot drift: every command of the CLI is in the README."""

from pathlib import Path

from robotwork.cli.app import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def _commands() -> list[str]:
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    names += [g.name for g in app.registered_groups]
    return [n for n in names if n]


def test_every_command_is_in_the_readme():
    missing = [n for n in _commands() if f"robotwork {n}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"


def test_readme_starts_with_the_two_setup_commands():
    first_block = README.split("```bash\n", 1)[1].split("```", 1)[0].splitlines()
    assert first_block[0].startswith("scripts/demo.sh") and first_block[1].startswith("scripts/test.sh")
