from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "veche.cases"
    label = "cases"
    verbose_name = _("Map of participation")

    def ready(self) -> None:
        from veche.audit.actions import register_action_labels
        from veche.cases import rules  # noqa: F401  (registers the permissions)
        from veche.cases.registration import register_personal_data, register_reportable_cases, register_sections

        register_action_labels(
            {
                "cases.case_published": _("Case published on the map"),
                "cases.case_returned": _("Case returned to its author"),
                "cases.case_edited": _("Published case edited by an editor"),
                "cases.changes_published": _("Proposed changes to a case published"),
                "cases.changes_returned": _("Proposed changes to a case returned"),
                "cases.case_unpublished": _("Case taken off the map"),
                "cases.case_deleted": _("Case deleted"),
            }
        )
        register_reportable_cases()
        register_sections()
        register_personal_data()
