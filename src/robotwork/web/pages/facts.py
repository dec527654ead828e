"""The facts page (the plan's numbers beside today's standing) and the concepts page (the
glossary written from the policy in force); each has its JSON twin (``format=json``)."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from robotwork.read.concepts import concepts
from robotwork.read.facts import facts as facts_view
from robotwork.web.deps import ServicesDep, UserDep
from robotwork.web.pages.lists import answer
from robotwork.web.pages.render import AsOfDep, LangDep

router = APIRouter()


@router.get("/facts", response_model=None)
def facts(request: Request, services: ServicesDep, user: UserDep, lang: LangDep, as_of: AsOfDep) -> Response:
    """Quotas, deadlines with countdowns, targets and the doctrine, each with its standing."""
    data = facts_view(services.engine, services.policy, as_of)
    return answer(request, services, "facts.html", lang=lang, user=user, nav="facts", data=data, facts=data)


@router.get("/concepts", response_model=None)
def glossary(request: Request, services: ServicesDep, user: UserDep, lang: LangDep) -> Response:
    """The program's concepts in the page language, every number from the policy in force."""
    policy = services.policy
    data = {"policy": {"name": policy.name, "version": policy.version}, "terms": concepts(policy, lang)}
    return answer(request, services, "concepts.html", lang=lang, user=user, nav="concepts", data=data)
