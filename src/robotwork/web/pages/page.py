"""The helpers a template calls, bound to one request's language and services."""

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fastapi import Request

from robotwork.locale import display_name, t
from robotwork.web.deps import Services


class Page:
    """Helpers a template calls, bound to the request's language and services."""

    def __init__(self, request: Request, services: Services, lang: str) -> None:
        self.request, self.services, self.lang = request, services, lang

    def _(self, key: str, **values: Any) -> str:
        """The text of `key` in the page language (see `robotwork.locale.t`)."""
        return t(key, self.lang, **values)

    def name(self, row: dict[str, Any] | None) -> str:
        """An organization's name in the page language (Chinese falls back to English)."""
        if not row:
            return ""
        return display_name(row.get("name"), row.get("name_zh"), self.lang) or str(row.get("code") or "")

    def domain(self, code: str) -> str:
        """A domain's name in the page language, from the policy file."""
        return self.services.policy.domain_name(code, self.lang)

    def link(self, url: str, **params: Any) -> str:
        """`url` (which may carry a query and a fragment) with more query parameters (None left
        out, booleans as 1/0) and an explicit as_of kept, so browsing a past date stays there."""
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        query.update(
            {k: "1" if v is True else "0" if v is False else v for k, v in params.items() if v is not None}
        )
        if "as_of" in self.request.query_params:
            query.setdefault("as_of", self.request.query_params["as_of"])
        return urlunsplit(("", "", parts.path, urlencode(query), parts.fragment))

    def switch(self, lang: str) -> str:
        """This page in another language; after a form was sent (a POST), the page of the form."""
        if self.request.method != "GET":
            return f"/{self.request.url.path.split('/')[1]}?lang={lang}"
        url = self.request.url.include_query_params(lang=lang)
        return f"{url.path}?{url.query}"
