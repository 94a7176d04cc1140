from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdviceConfig(AppConfig):
    name = "veche.advice"
    label = "advice"
    verbose_name = _("Advice on request")

    def ready(self) -> None:
        from veche.accounts.personal_data import register_exporter
        from veche.advice import rules  # noqa: F401  (registers the permissions)
        from veche.advice.personal_data import export_advice
        from veche.advice.reportable import register
        from veche.advice.sections import network_advice_section
        from veche.advice.services import ACTION_LABELS
        from veche.audit.actions import register_action_labels
        from veche.network.home_sections import HomeSection, register_home_section

        register_action_labels(ACTION_LABELS)
        register()
        register_home_section(
            HomeSection(
                key="advice.network",
                template_name="advice/_network_section.html",
                context=network_advice_section,
                order=40,
            )
        )
        register_exporter("advice", export_advice)
