from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "veche.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from veche.audit.actions import register_action_labels

        # The other organisation actions are labelled in veche.audit.actions itself.
        register_action_labels({"organisations.created": _("Organisation created")})
