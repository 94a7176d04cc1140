"""The processes section of an organisation's page (registered with veche.organisations.page_sections)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from veche.organisations.models import Organisation
from veche.participation.models import Process


def organisation_processes(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    processes = Process.objects.visible_to(request.user).filter(organisation=organisation).for_list_page()
    return {
        "processes": list(processes),
        "organisation": organisation,
        "can_add_process": request.user.has_perm("participation.add_process", organisation),
    }
