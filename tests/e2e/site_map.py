"""The site's pages, read from the URLconf, so a new page cannot escape the accessibility audit.

Every language-prefixed URL pattern ends up in exactly one bucket, and all but the last are audited in every language
at every width:
- public: an anonymous GET answers 200 with HTML;
- resident: an anonymous GET redirects to sign-in, and a signed-in resident (no role anywhere) gets 200 with HTML;
- staff: the resident is refused, and the demo platform administrator (with two-factor authentication) gets the page;
- excluded: listed in EXCLUDED below with the reason.
A pattern that fits none of them (a parameter we cannot fill, an unexpected status) fails test_site_map.py, and so does
an exclusion that no longer matches any pattern.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ObjectDoesNotExist
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation

# URL name or route (below the language prefix), fnmatch wildcards allowed → why the audit does not visit it.
EXCLUDED: dict[str, str] = {
    # Django's admin has its own templates and is for platform staff only.
    "admin/*": "Django admin (staff only, Django's own templates)",
    # Pages that need a one-time key from an email; the confirmation page is audited in the sign-up journey.
    "account_confirm_email": "needs the key from the confirmation email (visited in test_account_journey.py)",
    "account_reset_password_from_key": "needs the key from a password-reset email",
    # Pages that only make sense in the middle of a flow, and redirect elsewhere when visited directly.
    "account_confirm_login_code": "only during a sign-in by emailed code (not enabled); redirects to sign-in",
    "mfa_authenticate": "only between password and code at sign-in (visited in test_account_journey.py)",
    "account_reauthenticate": "asks for the password again before a sensitive change (visited in the journeys)",
    "mfa_reauthenticate": "asks for the second factor again; only for people with two-factor authentication",
    "account_set_password": "for accounts without a password; redirects to 'change password' otherwise",
    "mfa_activate_totp": "needs a recent sign-in; visited in test_account_journey.py",
    "mfa_deactivate_totp": "only with two-factor authentication active; redirects otherwise",
    "mfa_view_recovery_codes": "only with two-factor authentication active (visited in test_account_journey.py)",
    "mfa_generate_recovery_codes": "only with two-factor authentication active; needs a recent sign-in",
    "mfa_download_recovery_codes": "a text file download, not a page",
    # Endpoints that change something, or answer with a file instead of a page.
    "accounts:export": "'download my data' answers with a JSON file, not a page",
    "accounts:revoke_token": "POST-only: revokes a personal API token",
    "notifications:read": "POST-only: marks one notification read",
    "notifications:read_all": "POST-only: marks all notifications read",
    "budgeting:proposal_submit": "POST-only: submits a draft proposal",
    "budgeting:proposal_sign": "POST-only: signs a proposal in support",
    "budgeting:proposal_leave": "POST-only: a co-author leaves a proposal",
    "budgeting:decide_appeal": "only for a pending appeal in the appeals phase; the demo edition is past it",
    "budgeting:pabulib": "answers with a Pabulib (.pb) file download, not a page",
    "budgeting:implementation_follow": "POST-only: follows or unfollows a funded project",
    "contributions:dismiss": "POST-only: dismisses the open reports on one item",
    "consultations:feed_rss": "an RSS feed (XML), not a page",
    "consultations:feed_atom": "an Atom feed (XML), not a page",
    "consultations:feed_calendar": "an iCalendar file, not a page",
    "consultations:readability": "POST-only: the readability indicator fragment (htmx) of the set-up forms",
    "consultations:publish": "POST-only: publishes or unpublishes a consultation",
    "consultations:follow": "POST-only: follows or unfollows a consultation",
    "consultations:survey_results_csv": "a CSV file download (the anonymous choice answers), not a page",
    "consultations:survey_question_move": "POST-only: moves a survey question up or down",
    "consultations:support": "POST-only: supports a contribution or withdraws the support",
    "consultations:attachment": "answers with the attached file (a download), not a page",
    "consultations:attachment_delete": "POST-only: removes an attachment",
    "consultations:verify_email": "needs the signed link from the confirmation email (tested in veche/consultations)",
    "consultations:report_file": "a download (the published report's PDF, CSV or XLSX), not a page",
    "consultations:report_build_file": "a download (a report preview's PDF, CSV or XLSX), not a page",
    "cases:geojson": "the map's GeoJSON data, not a page (fetched by the map page, tested in veche/cases)",
    "cases:submit": "POST-only: submits a draft case for review",
    "cases:photo_delete": "POST-only: removes one photo of a case",
    "advice:attachment": "answers with the attached file as a download, not a page",
    "network:unlist": "POST-only: a moderator takes a practitioner's profile out of the database",
    "network:export_csv": "answers with a CSV file (the coordinators' export), not a page",
    "network:export_xlsx": "answers with an XLSX file (the coordinators' export), not a page",
}


# Pages that send anonymous visitors elsewhere than to sign-in, but are pages for signed-in people: audited signed in.
SIGNED_IN_ONLY = {
    "account_logout": "anonymous visitors are sent to the home page",
    "budgeting:vote_pool": "anonymous visitors are sent to the voting page, which offers sign-in or a voting code",
}


def _demo_process() -> Any:
    """The published demo process with the most modules (so that module pages have one to show)."""
    from django.db.models import Count

    from veche.participation.models import Process

    processes = Process.objects.select_related("organisation").filter(is_published=True)
    return processes.annotate(module_count=Count("modules")).order_by("-module_count", "pk").first()


def _demo_organisation() -> object:
    """The organisation running the demo process, so its pages show processes, people and an audit log."""
    from veche.organisations.models import Organisation

    process = _demo_process()
    return process.organisation if process else Organisation.objects.get(slug="kolin")


def _demo_role() -> object:
    from veche.organisations.models import Role

    return Role.objects.filter(organisation=_demo_organisation()).order_by("pk").first()


def _demo_module() -> object:
    return _demo_process().modules.order_by("pk").first()


def _generic_module() -> Any:
    """A module whose phases are set on the generic phase page (consultations send coordinators to their own)."""
    from veche.participation.models import Module
    from veche.participation.registry import find_module_type

    for module in Module.objects.select_related("process").order_by("pk"):
        module_type = find_module_type(module.module_type)
        if module_type is None or module_type.schedule_url is None:
            return module
    return None


_GENERIC_MODULE: dict[str, Callable[[], str]] = {
    "slug": lambda: _generic_module().process.slug,
    "org_slug": lambda: _generic_module().process.organisation.slug,
    "module_id": lambda: str(_generic_module().pk),
}


def _consultation(closed: bool = False) -> Any:
    """The demo consultation open now (Kolín), or the closed one (Gdynia)."""
    from veche.consultations.models import Consultation

    slug = "plan-dzielnicy-orlowo" if closed else "park-u-reky"
    return Consultation.objects.select_related("organisation").get(slug=slug)


def _demo_survey_question() -> int:
    from veche.consultations.models import Question

    return Question.objects.filter(survey__consultation=_consultation()).order_by("weight", "pk").first().pk


def _demo_offline_contribution() -> int:
    from veche.consultations.models import Contribution

    return Contribution.objects.filter(consultation=_consultation(), kind="offline").order_by("pk").first().pk


def _consultation_document() -> Any:
    return _consultation().documents.order_by("pk").first()


def _consultation_comment() -> Any:
    return _consultation().contributions.filter(kind="comment", status="published").order_by("pk").first()


_CONSULTATION: dict[str, Callable[[], str]] = {
    "org_slug": lambda: _consultation().organisation.slug,
    "slug": lambda: _consultation().slug,
    "document_id": lambda: str(_consultation_document().pk),
    "number": lambda: "5",  # the demo document's most commented paragraph
    "contribution_id": lambda: str(_consultation_comment().pk),
}
_CLOSED_CONSULTATION: dict[str, Callable[[], str]] = {
    "org_slug": lambda: _consultation(closed=True).organisation.slug,
    "slug": lambda: _consultation(closed=True).slug,
}


def _closed_contribution() -> str:
    """An answerable contribution of the closed consultation (answered, its report published)."""
    return str(_consultation(closed=True).contributions.answerable().order_by("pk").first().pk)


def _evaluation_token() -> str:
    """The signed evaluation link of an anonymous participant of the closed consultation."""
    from veche.consultations.services.evaluation import evaluation_token

    participant = _consultation(closed=True).participants.filter(user__isnull=True).order_by("pk").first()
    return evaluation_token(participant)


_CLOSED_REPORT: dict[str, Callable[[], str]] = {
    **_CLOSED_CONSULTATION,
    "pk": _closed_contribution,
    "token": _evaluation_token,
}
_CLOSED_THEME: dict[str, Callable[[], str]] = {
    "pk": lambda: str(_consultation(closed=True).themes.order_by("pk").first().pk),
}
_GDYNIA_STANDARD: dict[str, Callable[[], str]] = {
    "org_slug": lambda: "gdynia",
    "pk": lambda: str(_consultation(closed=True).organisation.consultation_standards.order_by("pk").first().pk),
}


def _budget(finished: bool = False) -> Any:
    """The demo budget edition in the voting phase (Kolín), or the finished one with published results (Wieliczka)."""
    from veche.budgeting.models import Edition

    slug = "budzet-obywatelski-2025" if finished else "participativni-rozpocet-2026"
    return Edition.objects.get(module__process__slug=slug)


def _budget_pool(finished: bool = False) -> Any:
    return _budget(finished).pools.order_by("weight", "pk").first()


def _budget_number(finished: bool = False) -> str:
    """A proposal on the ballot (voting edition) or a funded one with an implementation record (finished one)."""
    from veche.budgeting.models import Proposal

    proposals = Proposal.objects.filter(edition=_budget(finished), status="accepted")
    if finished:
        proposals = proposals.filter(implementation__isnull=False)
    return str(proposals.order_by("number").first().number)


def _demo_case(status: str = "published") -> str:
    """A demo case on the map, or the one waiting for review (status submitted)."""
    from veche.cases.models import Case

    return str(Case.objects.filter(status=status).order_by("pk").first().pk)


def _finished_budget_module() -> str:
    return str(_budget(finished=True).module_id)


def _advice_request() -> Any:
    """The demo advice request being worked on (an expert assigned, messages in the thread)."""
    from veche.advice.models import AdviceRequest

    return AdviceRequest.objects.select_related("network").filter(status="in_progress").order_by("pk").first()


def _advice_message() -> Any:
    return _advice_request().messages.order_by("pk").first()


def _practitioner() -> str:
    """A listed demo practitioner who belongs to a network (so the contact form is open)."""
    from veche.network.models import PractitionerProfile

    return str(
        PractitionerProfile.objects.published().filter(user__email__startswith="practitioner").order_by("pk")[0].pk
    )


def _network_application() -> Any:
    from veche.network.models import Membership

    return Membership.objects.select_related("network").filter(state="applied").order_by("pk").first()


def _practitioner_message() -> str:
    from veche.network.models import ContactMessage

    return str(ContactMessage.objects.order_by("pk").first().pk)


_FINISHED_BUDGET: dict[str, Callable[[], str]] = {
    "edition_id": lambda: str(_budget(finished=True).pk),
    "pool_id": lambda: str(_budget_pool(finished=True).pk),
    "number": lambda: _budget_number(finished=True),
}

# Path parameter name → the demo value that fills it. ROUTE_PARAMETERS overrides it for URL names matching a pattern.
PARAMETERS: dict[str, Callable[[], str]] = {
    "slug": lambda: _demo_organisation().slug,
    "org_slug": lambda: _demo_organisation().slug,
    "role_id": lambda: str(_demo_role().pk),
    "module_id": lambda: str(_demo_module().pk),
    "edition_id": lambda: str(_budget().pk),
    "pool_id": lambda: str(_budget_pool().pk),
    "number": lambda: _budget_number(),
    "category_id": lambda: str(_budget().categories.order_by("pk").first().pk),
    "batch_id": lambda: str(_budget().paper_batches.order_by("pk").first().pk),
}
ROUTE_PARAMETERS: dict[str, dict[str, Callable[[], str]]] = {
    "participation:*": {"slug": lambda: _demo_process().slug},
    "participation:schedule": _GENERIC_MODULE,
    "participation:delete_module": _GENERIC_MODULE,
    "consultations:*": _CONSULTATION,
    "consultations:survey_question_*": {"question_id": lambda: str(_demo_survey_question())},
    "consultations:offline_*": {"contribution_id": lambda: str(_demo_offline_contribution())},
    "consultations:respon*": _CLOSED_REPORT,
    "consultations:theme*": _CLOSED_REPORT,
    "consultations:theme": _CLOSED_THEME,
    "consultations:report*": _CLOSED_REPORT,
    "consultations:checklist": _CLOSED_REPORT,
    "consultations:evaluation*": _CLOSED_REPORT,
    "consultations:standard*": _GDYNIA_STANDARD,
    "consultations:population": _GDYNIA_STANDARD,
    "budgeting:results": _FINISHED_BUDGET,
    "budgeting:ballots": _FINISHED_BUDGET,
    "budgeting:count": _FINISHED_BUDGET,
    "budgeting:implementation*": _FINISHED_BUDGET,
    "cases:*": {"pk": _demo_case, "number": lambda: "1"},
    "cases:review": {"pk": lambda: _demo_case("submitted")},
    "cases:history": {"pk": lambda: _demo_case("submitted")},
    "cases:revision": {"pk": lambda: _demo_case("submitted")},
    "cases:from_module": {"module_id": _finished_budget_module},
    "advice:*": {"pk": lambda: str(_advice_request().pk), "network_slug": lambda: _advice_request().network.slug},
    "advice:hide_message": {"pk": lambda: str(_advice_message().pk)},
    "network:*": {"slug": lambda: "cee-participation-hub", "pk": _practitioner},
    "network:membership": {
        "slug": lambda: _network_application().network.slug,
        "pk": lambda: str(_network_application().pk),
    },
    "network:message": {"pk": _practitioner_message},
    "contributions:report": {"label": lambda: "network.practitionerprofile", "object_id": _practitioner},
}

# Pages worth auditing with other demo objects too, because their template shows different sections for them.
VARIANTS: dict[str, dict[str, dict[str, Callable[[], str]]]] = {
    "organisations:detail": {
        "network": {"slug": lambda: "cee-participation-hub"},
        "NGO": {"slug": lambda: "fundacja-dialog"},
    },
    "consultations:detail": {"closed": _CLOSED_CONSULTATION},
    "network:home": {"members-only network": {"slug": lambda: "sit-participace-stredni-cechy"}},
}

# Visited in addition to the URLconf's pages: (label, path with {language}, expected status).
ERROR_PAGES = [("not found", "/{language}/this-page-does-not-exist/", 404)]

RESIDENT_EMAIL = "resident@demo.veche.eu"
STAFF_EMAIL = "root@demo.veche.eu"
# The authenticator secret the audit gives the staff person, so the browser can sign in with a computed code.
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 — test-only
TIERS = ("public", "resident", "staff")


@contextmanager
def audit_data() -> Iterator[Any]:
    """The `veche demo` data, plus a module with a timeline on the demo process while no module app provides one.

    The core ships no module type, yet its module pages (phase schedule, delete) must be audited too: until a module
    app's demo adds modules, a module type registered only for the test gives the demo process one.
    """
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from veche.core.demo import load_all
    from veche.participation import services
    from veche.participation.models import Module
    from veche.participation.registry import ModuleType, PhaseType, module_types, registered_for_test

    context = load_all()
    if Module.objects.exists():
        yield context
        return
    existing = module_types()
    module_type = (
        existing[0]
        if existing
        else ModuleType(
            key="e2e_consultation",
            name="Consultation",
            phases=(
                PhaseType("information", "Information", frozenset({"read"})),
                PhaseType("commenting", "Commenting", frozenset({"read", "comment"})),
            ),
        )
    )
    with registered_for_test(module_type):
        actor = get_user_model().objects.get(email=STAFF_EMAIL)
        module = services.add_module(actor=actor, process=_demo_process(), module_type=module_type.key)
        start = timezone.now().replace(microsecond=0) - timedelta(days=7)
        schedule = {}
        for index, phase in enumerate(module.phases.order_by("weight")):
            schedule[phase.pk] = (start + timedelta(days=14 * index), start + timedelta(days=14 * index + 13))
        services.schedule_phases(actor=actor, module=module, schedule=schedule)
        yield context


class MissingParameterError(LookupError):
    """A path parameter the demo data cannot fill."""


@dataclass(frozen=True)
class Route:
    route: str  # as written in the URLconf, below the language prefix
    name: str | None  # namespaced URL name
    params: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.name or self.route

    def path(self, language: str, variant: dict[str, Callable[[], str]] | None = None) -> str:
        """The path in `language` with the parameters filled from demo data (`variant` overriding some)."""
        overrides: dict[str, Callable[[], str]] = {}
        for pattern, values in ROUTE_PARAMETERS.items():
            if fnmatch.fnmatchcase(self.name or "", pattern):
                overrides.update(values)
        overrides.update(variant or {})
        kwargs = {}
        for param in self.params:
            value = overrides.get(param) or PARAMETERS.get(param)
            if value is None:
                raise MissingParameterError(f"no demo value for parameter {param!r}")
            try:
                kwargs[param] = value()
            except (AttributeError, ObjectDoesNotExist) as error:
                raise MissingParameterError(f"the demo data has no object for parameter {param!r} ({error})") from error
        with translation.override(language):
            if self.name:
                return reverse(self.name, kwargs=kwargs)
            if self.params:
                raise MissingParameterError("an unnamed pattern with parameters cannot be reversed")
            return f"/{language}/{self.route}"


@dataclass
class SiteMap:
    pages: dict[str, list[Route]] = field(default_factory=lambda: {tier: [] for tier in TIERS})
    excluded: dict[str, str] = field(default_factory=dict)  # route key → reason
    problems: list[str] = field(default_factory=list)
    refused_to_resident: dict[int, Route] = field(default_factory=dict)  # status (403/404) → a staff page


def give_staff_totp() -> None:
    """Protect the staff person's account with a known authenticator secret (staff must use two-factor sign-in)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(email=STAFF_EMAIL)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, STAFF_TOTP_SECRET)


def visits(site_map: SiteMap, tier: str, language: str) -> list[tuple[str, str, int]]:
    """(label, path, expected status) for every page of the tier in the language, variants included."""
    found = []
    for route in site_map.pages[tier]:
        found.append((route.key, route.path(language), 200))
        for label, variant in VARIANTS.get(route.key, {}).items():
            found.append((f"{route.key} ({label})", route.path(language, variant), 200))
    return found


def localised_routes() -> Iterator[Route]:
    """Every leaf pattern under the language prefix (i18n_patterns) of the root URLconf."""
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and isinstance(entry.pattern, LocalePrefixPattern):
            yield from _walk(entry.url_patterns, route="", namespaces=(), params=())


def _walk(
    entries: list[URLPattern | URLResolver], *, route: str, namespaces: tuple[str, ...], params: tuple[str, ...]
) -> Iterator[Route]:
    for entry in entries:
        here = route + str(entry.pattern)
        found = params + tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            spaces = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry.url_patterns, route=here, namespaces=spaces, params=found)
        else:
            name = ":".join((*namespaces, entry.name)) if entry.name else None
            yield Route(route=here, name=name, params=found)


def _matches(route: Route, pattern: str) -> bool:
    return fnmatch.fnmatchcase(route.route, pattern) or fnmatch.fnmatchcase(route.name or "", pattern)


def exclusion_for(route: Route) -> str | None:
    for pattern, reason in EXCLUDED.items():
        if _matches(route, pattern):
            return reason
    return None


def build_site_map(client_factory: Callable[[], object]) -> SiteMap:
    """Sort every pattern into a bucket by asking the site itself (Django test client, demo data loaded)."""
    from django.contrib.auth import get_user_model

    give_staff_totp()
    anonymous = client_factory()
    resident = client_factory()
    resident.force_login(get_user_model().objects.get(email=RESIDENT_EMAIL))
    staff = client_factory()
    staff.force_login(get_user_model().objects.get(email=STAFF_EMAIL))
    site_map = SiteMap()
    routes = list(localised_routes())
    with translation.override("en"):
        login_path = reverse("account_login")
    for route in routes:
        reason = exclusion_for(route)
        if reason:
            site_map.excluded[route.key] = reason
            continue
        try:
            path = route.path("en")
        except MissingParameterError as missing:
            site_map.problems.append(
                f"{route.key} ({route.route}): {missing}; add it to PARAMETERS in tests/e2e/site_map.py (and the "
                "object to the demo data), or list the page in EXCLUDED with the reason"
            )
            continue
        response = _get(anonymous, path)
        if _is_page(response):
            site_map.pages["public"].append(route)
            continue
        redirected = response.status_code in (301, 302, 303)
        if redirected and (urlsplit(response["Location"]).path == login_path or route.key in SIGNED_IN_ONLY):
            resident_response = _get(resident, path)
            if _is_page(resident_response):
                site_map.pages["resident"].append(route)
                continue
            staff_response = _get(staff, path) if resident_response.status_code in (403, 404) else None
            if staff_response is not None and _is_page(staff_response):
                site_map.pages["staff"].append(route)
                site_map.refused_to_resident.setdefault(resident_response.status_code, route)
                continue
            site_map.problems.append(
                f"{route.key} ({path}): needs sign-in, but a resident gets {_describe(resident_response)}"
                + (f" and the platform administrator {_describe(staff_response)}" if staff_response else "")
                + "; list it in EXCLUDED with the reason"
            )
            continue
        site_map.problems.append(
            f"{route.key} ({path}): anonymous GET gives {_describe(response)}, neither a page nor a redirect to "
            "sign-in; list it in EXCLUDED with the reason"
        )
    keys = {route.key for route in routes}
    site_map.problems += [
        f"{name!r} in VARIANTS or SIGNED_IN_ONLY names no URL"
        for name in (*VARIANTS, *SIGNED_IN_ONLY)
        if name not in keys
    ]
    patterns_in_use = {pattern for pattern in EXCLUDED for route in routes if _matches(route, pattern)}
    site_map.problems += [
        f"EXCLUDED entry {pattern!r} matches no URL pattern any more; remove it"
        for pattern in EXCLUDED
        if pattern not in patterns_in_use
    ]
    return site_map


@dataclass
class _Crash:
    """Stands in for the response of a view that raised, so one broken page does not hide the others."""

    error: Exception
    status_code: int = 500

    def get(self, header: str, default: str = "") -> str:
        return default


def _get(client: object, path: str) -> object:
    try:
        return client.get(path)
    except Exception as error:  # noqa: BLE001 — reported as a problem with the page named
        return _Crash(error)


def _is_page(response: object) -> bool:
    return response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")


def _describe(response: object) -> str:
    if isinstance(response, _Crash):
        return f"an exception: {response.error!r}"
    if response.status_code in (301, 302, 303, 307, 308):
        return f"{response.status_code} → {response['Location']}"
    return f"{response.status_code} {response.get('Content-Type', '')}"
