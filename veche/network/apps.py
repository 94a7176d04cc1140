from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "veche.network"
    label = "network"
    verbose_name = _("Practitioners' networks")

    def ready(self) -> None:
        from veche.audit.actions import register_action_labels
        from veche.network import rules  # noqa: F401  (registers the permissions)

        register_action_labels(
            {
                "network.applied": _("Applied to join the network"),
                "network.application_accepted": _("Network application accepted"),
                "network.application_declined": _("Network application declined"),
                "network.left": _("Left the network"),
                "network.membership_ended": _("Network membership ended by a coordinator"),
                "network.settings_changed": _("Network settings changed"),
                "network.profile_published": _("Practitioner's profile published"),
                "network.message_hidden": _("Message to a practitioner hidden"),
            }
        )
