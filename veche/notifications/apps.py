from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "veche.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from veche.accounts.personal_data import register_eraser, register_exporter
        from veche.notifications.personal_data import erase_notifications, export_notifications

        register_exporter("notifications", export_notifications)
        register_eraser("notifications", erase_notifications)
