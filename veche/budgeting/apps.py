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

        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from veche.budgeting.signals import forget_voters_on_sign_in_or_out

        user_logged_in.connect(forget_voters_on_sign_in_or_out, dispatch_uid="budgeting.forget_voters_in")
        user_logged_out.connect(forget_voters_on_sign_in_or_out, dispatch_uid="budgeting.forget_voters_out")

        from veche.audit.actions import register_action_labels
        from veche.budgeting.services.review import ACTION_LABELS as REVIEW_ACTION_LABELS

        register_action_labels(REVIEW_ACTION_LABELS)
        _register_editions_and_proposals()

        from veche.budgeting.services.results import ACTION_LABELS as RESULTS_ACTION_LABELS

        register_action_labels(RESULTS_ACTION_LABELS)
        register_action_labels({"budgeting.ballot_box_sealed": _("Ballot box sealed (re-written in receipt order)")})


def _register_editions_and_proposals() -> None:
    """Edition set-up and proposals: audit labels, the organisation page's section, personal data."""
    from veche.accounts.personal_data import register_eraser, register_exporter
    from veche.audit.actions import register_action_labels
    from veche.budgeting.personal_data import erase_proposals, export_proposals
    from veche.budgeting.views.editions import organisation_editions
    from veche.organisations.page_sections import PageSection, register_page_section

    register_action_labels(
        {
            "budgeting.edition_updated": _("Budget edition settings changed"),
            "budgeting.pool_added": _("Budget pool added"),
            "budgeting.pool_updated": _("Budget pool changed"),
            "budgeting.pool_deleted": _("Budget pool deleted"),
            "budgeting.category_added": _("Proposal category added"),
            "budgeting.category_renamed": _("Proposal category renamed"),
            "budgeting.category_deleted": _("Proposal category deleted"),
        }
    )
    register_page_section(
        PageSection(
            key="budgeting.editions",
            template_name="budgeting/_organisation_editions.html",
            context=organisation_editions,
            order=20,
        )
    )
    register_exporter("budget_proposals", export_proposals)
    register_eraser("budget_proposals", erase_proposals)
