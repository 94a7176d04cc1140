"""What the cases app adds to other apps through their registries (called from CasesConfig.ready()): reportable
cases, the organisation page's section, the network home's latest cases, personal data export and erasure."""

from __future__ import annotations

from typing import Any

from django.urls import reverse


def register_reportable_cases() -> None:
    from veche.cases.choices import CaseStatus
    from veche.cases.models import Case
    from veche.contributions.registry import Reportable, register_reportable

    register_reportable(
        Reportable(
            model=Case,
            organisation_id=lambda case: case.network_id,
            excerpt=lambda case: f"{case.title}\n{case.summary}"[:300],
            url=lambda case: case.get_absolute_url(),
            moderate_url=lambda case: reverse("cases:unpublish", kwargs={"pk": case.pk}),
            queryset=lambda: Case.objects.select_related("network"),
            is_visible_to=lambda user, case: user.has_perm("cases.view_case", case),
            is_hidden=lambda case: case.status != CaseStatus.PUBLISHED,
        )
    )


def register_sections() -> None:
    from veche.cases.sections import network_home_section, organisation_section
    from veche.network.home_sections import HomeSection, register_home_section
    from veche.organisations.page_sections import PageSection, register_page_section

    register_page_section(
        PageSection(
            key="cases.map",
            template_name="cases/_organisation_section.html",
            context=organisation_section,
            order=40,
        )
    )
    register_home_section(
        HomeSection(
            key="cases.latest",
            template_name="cases/_latest_for_network.html",
            context=network_home_section,
            order=20,
        )
    )


def register_personal_data() -> None:
    from veche.accounts.personal_data import register_eraser, register_exporter

    register_exporter("map_cases", export_cases)
    register_eraser("map_cases", erase_cases)


def export_cases(user: Any) -> dict[str, Any]:
    from veche.cases.models import Case

    cases = Case.objects.filter(author=user).select_related("network").order_by("created_at", "pk")
    return {
        "cases": [
            {
                "id": case.pk,
                "network": case.network.slug,
                "title": case.title,
                "status": case.status,
                "written": case.created_at.isoformat(),
            }
            for case in cases
        ]
    }


def erase_cases(user: Any) -> None:
    """Unpublished cases go with their author; published ones stay on the map (they describe a public process),
    without the author. Versions forget who saved them."""
    from veche.cases.choices import CaseStatus
    from veche.cases.models import Case, CaseRevision

    Case.objects.filter(author=user).exclude(status=CaseStatus.PUBLISHED).delete()
    Case.objects.filter(author=user).update(author=None)
    CaseRevision.objects.filter(created_by=user).update(created_by=None)
