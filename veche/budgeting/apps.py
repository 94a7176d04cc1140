from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetingConfig(AppConfig):
    name = "veche.budgeting"
    label = "budgeting"
    verbose_name = _("Participatory budgeting")

    def ready(self) -> None:
        from veche.budgeting import rules  # noqa: F401  (registers the permissions)
        from veche.budgeting.module import BUDGETING
        from veche.participation.registry import register_module_type

        register_module_type(BUDGETING)
