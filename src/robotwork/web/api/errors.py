"""The one shape every refusal of the API has, documented on every operation.

`detail` is the reason: a sentence (401, 403, 404, and 422 for a refused record), or FastAPI's
list of the parameters that did not validate (422). A refused import adds its report's keys.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict


class Refusal(BaseModel):
    """Why a request was refused."""

    model_config = ConfigDict(extra="allow")

    detail: str | list[dict[str, Any]]


REFUSALS: dict[int | str, dict[str, Any]] = {
    status: {"model": Refusal, "description": description}
    for status, description in (
        (401, "Not authenticated (no, a bad, an expired or a revoked credential)"),
        (403, "Not this principal's to do or read"),
        (404, "No such record, or not the reader's to read"),
        (422, "A parameter, a body or a record refused, with the reason"),
    )
}
