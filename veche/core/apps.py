from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "veche.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from veche.accounts.personal_data import register_eraser
        from veche.core.mail import erase_queued_email

        register_eraser("queued_email", erase_queued_email)
