from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "veche.network"
    label = "network"
    verbose_name = _("Practitioners' networks")

    def ready(self) -> None:
        from veche.accounts.personal_data import register_eraser, register_exporter
        from veche.audit.actions import register_action_labels
        from veche.contributions.registry import register_reportable
        from veche.network import rules  # noqa: F401  (registers the permissions)
        from veche.network.access import networks_showing_members
        from veche.network.personal_data import erase_network_data, export_network_data
        from veche.network.reporting import reportables
        from veche.organisations.member_lists import register_member_list_check

        for reportable in reportables():
            register_reportable(reportable)
        register_exporter("networks_and_practitioner_profile", export_network_data)
        register_eraser("networks_and_practitioner_profile", erase_network_data)
        # The organisation pages and API list affiliations too; a members-only network's list stays with its members.
        register_member_list_check("network", networks_showing_members)

        register_action_labels(
            {
                "network.applied": _("Applied to join the network"),
                "network.application_accepted": _("Network application accepted"),
                "network.application_declined": _("Network application declined"),
                "network.left": _("Left the network"),
                "network.membership_ended": _("Network membership ended by a coordinator"),
                "network.settings_changed": _("Network settings changed"),
                "network.profile_published": _("Practitioner's profile published"),
                "network.profile_unpublished": _("Practitioner's profile withdrawn"),
                "network.message_hidden": _("Message to a practitioner hidden"),
                "network.profile_unlisted": _("Practitioner's profile taken out of the database by a moderator"),
            }
        )
