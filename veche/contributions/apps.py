from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "veche.contributions"
    label = "contributions"
    verbose_name = _("Follows and reports")

    def ready(self) -> None:
        from veche.accounts.personal_data import register_eraser, register_exporter
        from veche.audit.actions import register_action_labels
        from veche.contributions import rules  # noqa: F401  (registers the permissions)
        from veche.contributions.personal_data import erase_follows_and_reports, export_follows_and_reports
        from veche.contributions.sections import organisation_moderation_link
        from veche.organisations.page_sections import PageSection, register_page_section

        register_page_section(
            PageSection(
                key="contributions.moderation",
                template_name="contributions/_organisation_section.html",
                context=organisation_moderation_link,
                order=80,
            )
        )
        register_exporter("follows_and_reports", export_follows_and_reports)
        register_eraser("follows_and_reports", erase_follows_and_reports)
        register_action_labels(
            {
                "contributions.report_resolved": _("Report resolved (content moderated)"),
                "contributions.report_dismissed": _("Report dismissed"),
            }
        )
