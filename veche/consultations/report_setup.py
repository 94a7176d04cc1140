"""What the report part registers at start-up (called from ConsultationsConfig.ready): audit labels, the
consultation page's sections."""

from __future__ import annotations


def ready_report() -> None:
    from veche.audit.actions import register_action_labels
    from veche.consultations.services.responses import ACTION_LABELS

    register_action_labels(ACTION_LABELS)

    from veche.consultations.services.report import ACTION_LABELS as REPORT_ACTION_LABELS

    register_action_labels(REPORT_ACTION_LABELS)

    from veche.consultations.services.checklist import ACTION_LABELS as CHECKLIST_ACTION_LABELS

    register_action_labels(CHECKLIST_ACTION_LABELS)

    from veche.consultations.sections_report import register, register_public

    register()
    register_public()
