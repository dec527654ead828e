"""The CLI loads a command only when it runs: `--help` lists them all without importing them."""

import re
import subprocess
import sys

from typer.testing import CliRunner

from robotwork.cli.app import COMMANDS, app, load_command

_PROBE = """
import sys
from robotwork.cli.app import main
sys.argv = ["robotwork", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
layers = ("sqlalchemy", "pyarrow", "numpy", "duckdb", "fastapi", "alembic", "robotwork.evidence.recording")
heavy = sorted(m for m in layers if m in sys.modules)
print("HEAVY", heavy)
"""


def _heavy_after(*args: str) -> str:
    out = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, check=True)
    return out.stdout.rsplit("HEAVY", 1)[1].strip()


def test_help_imports_no_layer_below_the_cli() -> None:
    assert _heavy_after("--help") == "[]"
    assert _heavy_after("--version") == "[]"


def test_every_listed_help_line_is_the_commands_own() -> None:
    for name, (_, _, listed) in COMMANDS.items():
        command = load_command(name)
        own = " ".join((command.help or "").split())
        assert own.startswith(listed.removesuffix("...")), name


def test_help_lists_every_command_and_unknown_ones_are_usage_errors() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    commands = result.stdout.split("Commands", 1)[1]
    assert [n for n in COMMANDS if re.search(rf"^\W*{n}\s", commands, re.MULTILINE)] == list(COMMANDS)
    assert CliRunner().invoke(app, ["nonsense"]).exit_code == 2
    sub = CliRunner().invoke(app, ["flags", "--help"])
    assert sub.exit_code == 0 and "list" in sub.stdout and "clear" in sub.stdout


def test_heads_read_without_alembic_are_alembics_own() -> None:
    from importlib import resources

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from robotwork.registry.db import _script_heads

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("robotwork.registry").joinpath("migrations"))
    )
    assert _script_heads() == set(ScriptDirectory.from_config(config).get_heads())


def test_a_simple_command_loads_neither_alembic_nor_arrow(tmp_path) -> None:
    home = str(tmp_path)
    _heavy_after("--home", home, "compliance", "--json")  # the first creates and migrates the registry
    assert _heavy_after("--home", home, "compliance", "--json") == "['sqlalchemy']"
