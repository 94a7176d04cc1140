"""The documents part's demo data: the open demo consultation gets a commented document, once."""

from __future__ import annotations

import pytest

from veche.consultations.choices import ContributionKind, ContributionStatus
from veche.consultations.demo_documents import add_document
from veche.consultations.models import Contribution, Support
from veche.consultations.tests.factories import consultation_in
from veche.core.demo import DemoContext

pytestmark = pytest.mark.django_db


def test_demo_document_with_comments_wordings_replies_supports_and_a_hidden_comment(personas):
    consultation = consultation_in(personas.organisation, language="cs")
    context = DemoContext(
        people={
            "coordinator": personas.coordinator,
            "resident": personas.resident,
            "member": personas.member,
            "expert": personas.expert,
            "admin": personas.administrator,
        }
    )
    document = add_document(consultation, context)
    assert document.paragraphs.count() >= 18
    assert Contribution.objects.filter(kind=ContributionKind.WORDING).count() >= 4
    assert Contribution.objects.filter(kind=ContributionKind.REPLY).exists()
    assert Support.objects.exists()
    hidden = Contribution.objects.get(status=ContributionStatus.HIDDEN)
    assert "pravidla diskuse" in hidden.moderation_reason
    assert add_document(consultation, context) is None  # idempotent
