"""What a rule still lacks, as data: a scenario's next rung, an organization's compliance.

A `Shortfall` names the rule, what there is (`have`), what the rule needs (`need`) and the unit;
`params` carries the rule's thresholds and the detail a reader needs (the best robot so far).
Readers get it in their language from the message ``shortfall.<rule>`` through `describe`,
never by parsing a sentence back; `english` is the sentence the JSON documents have always
carried (``missing_for_next_stage``, ``problems``), kept so their keys and values do not change.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# The English sentences of the JSON documents, one per rule; other languages are in the catalog.
ENGLISH = {
    "scenarios": "{have} of {need} scenarios nominated",
    "domains": "{have} of {need} domains covered",
    "duplicates": "{have} duplicate nomination(s) not counted",
    "implementation_plan.missing": "implementation plan missing (due {need})",
    "implementation_plan.late": "implementation plan submitted late (due {need})",
    "progress_report.missing": "progress report missing (due {need})",
    "progress_report.late": "progress report submitted late (due {need})",
    "stage.verified": (
        "{lack} more robot(s) in routine operation with a task success rate of at least "
        "{min_success_rate:.0%} over at least {min_tasks} tasks ({best})"
    ),
    "stage.batch": "{lack} more robot(s) in routine operation ({have} of {need})",
    "stage.sites": "robots in routine operation at {lack} more site(s) ({have} of {need})",
    "stage.cities": "robots in routine operation in {lack} more city(ies) ({have} of {need})",
    "best.none": "none in routine operation",
    "best.no_rate": "best: {best_serial}, no {best_tasks} tasks",
    "best.rate": "best: {best_serial}, {best_rate:.0%} of {best_tasks} tasks",
}

Say = Callable[..., str]  # say(message_key, **values) -> the message in the reader's language


@dataclass(frozen=True)
class Shortfall:
    """One rule not met: `have` of `need` `unit` (a count, or a status and a due date)."""

    rule: str
    have: int | str | None
    need: int | str | None
    unit: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def lack(self) -> int | None:
        """How many more the rule needs, for counts."""
        if isinstance(self.have, int) and isinstance(self.need, int):
            return self.need - self.have
        return None

    def values(self) -> dict[str, Any]:
        """The fields a message about this shortfall may use."""
        return {"have": self.have, "need": self.need, "lack": self.lack, "unit": self.unit, **self.params}

    def english(self) -> str:
        """The English sentence of the JSON documents."""
        return describe(self, _say_english)

    def to_json(self) -> dict[str, Any]:
        """The stored and served form (`load` reads it back); built directly, as
        `dataclasses.asdict` deep-copies and cost the national page a third of its time."""
        return {
            "rule": self.rule,
            "have": self.have,
            "need": self.need,
            "unit": self.unit,
            "params": dict(self.params),
        }

    @classmethod
    def load(cls, item: dict[str, Any] | str) -> "Shortfall":
        """A stored shortfall; a sentence stored before shortfalls were data stays that sentence."""
        if isinstance(item, str):
            return cls("text", None, None, "", {"text": item})
        return cls(
            item["rule"], item.get("have"), item.get("need"), item.get("unit", ""), item.get("params", {})
        )


def _say_english(key: str, **values: Any) -> str:
    return ENGLISH[key.removeprefix("shortfall.")].format(**values)


def describe(shortfall: Shortfall, say: Say) -> str:
    """The shortfall in the reader's language: `say` looks up ``shortfall.<rule>`` and fills it."""
    if shortfall.rule == "text":
        return str(shortfall.params["text"])
    values = shortfall.values()
    if shortfall.rule == "stage.verified":
        best = (
            "none"
            if values.get("best_serial") is None
            else "no_rate"
            if values["best_rate"] is None
            else "rate"
        )
        values["best"] = say(f"shortfall.best.{best}", **values)
    return say(f"shortfall.{shortfall.rule}", **values)
