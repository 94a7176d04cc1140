from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "veche.participation"
    label = "participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        from veche.audit.actions import register_action_labels
        from veche.organisations.page_sections import PageSection, register_page_section
        from veche.participation.sections import organisation_processes

        register_page_section(
            PageSection(
                key="participation.processes",
                template_name="participation/_organisation_processes.html",
                context=organisation_processes,
                order=10,
            )
        )

        register_action_labels(
            {
                "participation.process_created": _("Process created"),
                "participation.process_updated": _("Process changed"),
                "participation.process_published": _("Process published"),
                "participation.process_unpublished": _("Process unpublished"),
                "participation.module_added": _("Module added"),
                "participation.module_deleted": _("Module deleted"),
                "participation.phase_scheduled": _("Phase dates changed"),
            }
        )
