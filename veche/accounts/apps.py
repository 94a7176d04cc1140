from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "veche.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from veche.audit.actions import register_action_labels

        register_action_labels(
            {"accounts.erased": _("Account deleted"), "accounts.access_changed": _("Platform access changed")}
        )
