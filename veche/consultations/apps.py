from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "veche.consultations"
    label = "consultations"
    verbose_name = _("Public consultations")

    def ready(self) -> None:
        from veche.consultations import rules  # noqa: F401  (registers the permissions)
        from veche.consultations.module import CONSULTATION
        from veche.participation.registry import register_module_type

        register_module_type(CONSULTATION)

        from veche.consultations.report_setup import ready_report

        ready_report()
        _ready_setup()
        _ready_surveys()

        from veche.consultations import sections_documents  # noqa: F401  (documents: page section, reports, audit)


def _ready_setup() -> None:
    """Set-up and finding: audit labels and the organisation page's section."""
    from veche.audit.actions import register_action_labels
    from veche.consultations.services.setup import ACTION_LABELS
    from veche.consultations.views.finding import organisation_section
    from veche.organisations.page_sections import PageSection, register_page_section

    register_action_labels(ACTION_LABELS)
    register_page_section(
        PageSection(
            key="consultations.consultations",
            template_name="consultations/finding/_organisation_section.html",
            context=organisation_section,
            order=15,
        )
    )


def _ready_surveys() -> None:
    """Surveys and offline input: the consultation page's survey section."""
    from veche.consultations import sections_surveys  # noqa: F401  (registers the section)
