from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "veche.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from veche.accounts.personal_data import register_exporter
        from veche.audit.personal_data import export_audit_entries
        from veche.audit.sections import organisation_audit_link
        from veche.organisations.page_sections import PageSection, register_page_section

        register_page_section(
            PageSection(
                key="audit.link",
                template_name="audit/_organisation_section.html",
                context=organisation_audit_link,
                order=90,
            )
        )

        register_exporter("audit_log", export_audit_entries)
