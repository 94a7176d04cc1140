"""Every change in the network app goes through these services: permission check, transaction, audit,
notifications. Views, the admin, the API and the demo call the same functions."""

from veche.network.services.membership import (
    apply_to_network,
    decide_application,
    end_membership,
    leave_network,
    network_settings,
    update_network_settings,
)
from veche.network.services.messages import hide_message, send_message
from veche.network.services.profiles import profile_of, save_profile, unlist_profile

__all__ = [
    "apply_to_network",
    "decide_application",
    "end_membership",
    "leave_network",
    "network_settings",
    "update_network_settings",
    "hide_message",
    "send_message",
    "profile_of",
    "save_profile",
    "unlist_profile",
]
