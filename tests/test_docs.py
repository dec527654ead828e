"""Docs that cannot drift: every command of the CLI is in the README."""

from pathlib import Path

from robotwork.cli.app import COMMANDS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def _commands() -> list[str]:
    return list(COMMANDS)


def test_every_command_is_in_the_readme():
    missing = [n for n in _commands() if f"robotwork {n}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"


def test_readme_starts_with_the_two_setup_commands():
    first_block = README.split("```bash\n", 1)[1].split("```", 1)[0].splitlines()
    assert first_block[0].startswith("scripts/demo.sh") and first_block[1].startswith("scripts/test.sh")


def test_the_role_matrix_in_docs_web_is_the_rule_set():
    """docs/web.md carries the role matrix exactly as the rule set renders it."""
    from robotwork.access import matrix_markdown

    web = (Path(__file__).resolve().parents[1] / "docs" / "web.md").read_text()
    start, end = "<!-- role-matrix: generated, do not edit by hand -->\n", "<!-- /role-matrix -->"
    assert start in web and end in web, "docs/web.md lost its role-matrix markers"
    documented = web.split(start, 1)[1].split(end, 1)[0]
    assert documented == matrix_markdown(), (
        "docs/web.md's role matrix differs from the rule set; regenerate it with "
        "`python -m robotwork.access.rules`"
    )
