"""Base types the read models share: the model base, an organization's name, a shortfall."""

from typing import Any

from pydantic import BaseModel, ConfigDict

from robotwork.evidence.shortfall import Shortfall
from robotwork.locale import display_name

__all__ = ["OrgName", "ReadModel", "Shortfall"]


class ReadModel(BaseModel):
    """A read model: plain data (no language, no HTML), frozen once built."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, from_attributes=True)

    def get(self, key: str, default: Any = None) -> Any:
        """A field by name, as on the dicts the page helpers (`Page.name`) also take."""
        return getattr(self, key, default)


class OrgName(ReadModel):
    """An organization as a reader knows it, in either language."""

    code: str
    name: str
    name_zh: str | None = None
    kind: str = ""

    def label(self, lang: str) -> str:
        """The Chinese name for a Chinese reader when the registry has one, else the English name."""
        return display_name(self.name, self.name_zh, lang)
