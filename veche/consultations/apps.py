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
