"""Loading the demo program through the same importer officials use, so it obeys every check."""

from pathlib import Path

from sqlalchemy import Engine

from robotwork.errors import RobotworkError
from robotwork.policy import Policy
from robotwork.registry.importer import import_document
from robotwork.registry.sources import RawDocument, RawRow
from robotwork.demo.program import build_program


def load_demo_program(engine: Engine, policy: Policy, *, seed: int, actor: str) -> list[str]:
    """Import the demo program for `seed`; returns what was built, line by line."""
    program = build_program(seed=seed)
    doc = RawDocument(Path(f"demo-seed-{seed}.json"))
    for sheet, rows in program.items():
        doc.sheets[sheet] = [RawRow(i, dict(r)) for i, r in enumerate(rows, start=1)]
        doc.headers[sheet] = sorted({k for r in rows for k in r})
    report = import_document(engine, doc, policy, actor=actor)
    if not report.ok:
        raise RobotworkError(f"demo program (seed {seed}) failed its own checks: {report.problems[0]}")
    lines = [f"demo program, seed {seed}:"]
    for sheet, counts in report.sheets.items():
        lines.append(f"  {sheet}: {len(program[sheet])} rows ({counts.created} new, "
                     f"{counts.updated} updated, {counts.unchanged} unchanged)")
    return lines
