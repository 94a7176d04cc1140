"""Documents and comments services: importing and replacing, posting comments, wordings and replies, duplicates,
support, moderation, and taking part with a verified email or a one-time code."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from veche.audit.models import AuditEntry
from veche.consultations.choices import ContributionKind, ContributionStatus, ParticipationMode
from veche.consultations.models import Contribution, OneTimeCode, Paragraph, Participant, Support
from veche.consultations.services import documents as documents_services
from veche.consultations.services.documents_comments import post_contribution, set_support
from veche.consultations.services.documents_moderation import hide_contribution, restore_contribution
from veche.consultations.services.documents_participation import (
    generate_codes,
    redeem_code,
    request_email_link,
    verify_email,
)
from veche.consultations.services.participants import participant_for_user
from veche.consultations.tests.factories import consultation_in, document_for, participant
from veche.contributions.models import Report
from veche.contributions.services import report_content
from veche.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _post(consultation, user, paragraph=None, **kwargs):
    return post_contribution(
        actor=user,
        participant=participant_for_user(user=user, consultation=consultation),
        consultation=consultation,
        paragraph=paragraph,
        **kwargs,
    )


def test_coordinator_saves_a_pasted_document_split_into_numbered_paragraphs(personas):
    consultation = consultation_in(personas.organisation)
    document = documents_services.save_document(
        actor=personas.coordinator,
        consultation=consultation,
        title="  Park   plan ",
        content="Intro.\n\n1. Trees\n\nOaks.\n\nLimes.",
        source="pasted",
    )
    assert document.title == "Park plan"
    assert list(document.paragraphs.values_list("number", "text")) == [
        (1, "<p>Intro.</p>"),
        (2, "<p>Oaks.</p>"),
        (3, "<p>Limes.</p>"),
    ]
    assert list(document.sections.values_list("heading", "number")) == [("", ""), ("1. Trees", "1")]
    assert AuditEntry.objects.filter(action="consultations.document_added").exists()


@pytest.mark.parametrize("persona", ["anonymous", "resident", "moderator", "other_administrator"])
def test_only_coordinators_add_documents(personas, persona):
    consultation = consultation_in(personas.organisation)
    with pytest.raises(PermissionDenied):
        documents_services.save_document(
            actor=personas.get(persona), consultation=consultation, title="X", content="Y", source="pasted"
        )


def test_a_document_is_replaced_only_while_nobody_commented(personas):
    consultation = consultation_in(personas.organisation)
    document = document_for(consultation, sections=1, paragraphs=2)
    documents_services.replace_document(
        actor=personas.coordinator, document=document, title="New", content="A.\n\nB.\n\nC.", source="pasted"
    )
    assert document.paragraphs.count() == 3
    _post(consultation, personas.resident, paragraph=document.paragraphs.first(), text="Hm.")
    with pytest.raises(ValidationError) as caught:
        documents_services.replace_document(
            actor=personas.coordinator, document=document, title="Newer", content="Z.", source="pasted"
        )
    assert caught.value.code == "has_comments"
    assert "already commented" in caught.value.messages[0]
    assert document.paragraphs.count() == 3
    with pytest.raises(ValidationError):
        documents_services.delete_document(actor=personas.coordinator, document=document)


def test_comment_wording_and_reply(personas, django_capture_on_commit_callbacks):
    consultation = consultation_in(personas.organisation)
    paragraph = document_for(consultation, sections=1, paragraphs=1).paragraphs.get()
    comment = _post(consultation, personas.resident, paragraph, text="More trees.", display_name="Jana").contribution
    assert comment.kind == ContributionKind.COMMENT
    assert comment.participant.display_name == "Jana"
    same_text = _post(consultation, personas.member, paragraph, text="Agreed.", proposed_text="Paragraph 1.")
    assert same_text.contribution.kind == ContributionKind.COMMENT  # the wording left unchanged is a comment
    wording = _post(consultation, personas.member, paragraph, text="Clearer.", proposed_text="Paragraph one, clearer.")
    assert wording.contribution.kind == ContributionKind.WORDING
    assert wording.contribution.proposed_text == "Paragraph one, clearer."
    with django_capture_on_commit_callbacks(execute=True):
        reply = post_contribution(
            actor=personas.member,
            participant=participant_for_user(user=personas.member, consultation=consultation),
            consultation=consultation,
            parent=comment,
            text="Which trees?",
        )
    assert reply.contribution.kind == ContributionKind.REPLY
    assert reply.contribution.parent == comment
    notification = Notification.objects.get(recipient=personas.resident)
    assert "replied" in notification.title


def test_a_reply_to_a_reply_joins_the_thread_and_the_author_is_not_told_about_their_own(
    personas, django_capture_on_commit_callbacks
):
    consultation = consultation_in(personas.organisation)
    paragraph = document_for(consultation, sections=1, paragraphs=1).paragraphs.get()
    comment = _post(consultation, personas.resident, paragraph, text="One").contribution
    participant_ = participant_for_user(user=personas.resident, consultation=consultation)
    with django_capture_on_commit_callbacks(execute=True):
        first = post_contribution(
            actor=personas.resident, participant=participant_, consultation=consultation, parent=comment, text="Two"
        ).contribution
        second = post_contribution(
            actor=personas.resident, participant=participant_, consultation=consultation, parent=first, text="Three"
        ).contribution
    assert second.parent == comment
    assert not Notification.objects.exists()


def test_the_same_words_twice_are_stored_once(personas):
    consultation = consultation_in(personas.organisation)
    paragraph = document_for(consultation, sections=1, paragraphs=1).paragraphs.get()
    first = _post(consultation, personas.resident, paragraph, text="More  trees.", token="t1")
    again = _post(consultation, personas.resident, paragraph, text="more trees.", token="t1")
    other_token = _post(consultation, personas.resident, paragraph, text="More trees.", token="t2")
    assert first.created and not again.created and not other_token.created
    assert again.contribution == first.contribution
    assert Contribution.objects.count() == 1
    other_person = _post(consultation, personas.member, paragraph, text="More trees.")
    assert other_person.created


def test_a_closed_consultation_refuses_comments_with_a_clear_message(personas):
    consultation = consultation_in(personas.organisation, phase="analysis")
    paragraph = document_for(consultation, sections=1, paragraphs=1).paragraphs.get()
    with pytest.raises(ValidationError) as caught:
        _post(consultation, personas.resident, paragraph, text="Late.")
    assert caught.value.code == "closed"
    assert "not taking comments" in caught.value.messages[0]
    assert not Contribution.objects.exists()


def test_validation_messages(personas):
    consultation = consultation_in(personas.organisation)
    paragraph = document_for(consultation, sections=1, paragraphs=1).paragraphs.get()
    with pytest.raises(ValidationError) as caught:
        _post(consultation, personas.resident, paragraph, text="  ")
    assert "text" in caught.value.message_dict
    other = consultation_in(personas.organisation)
    foreign = document_for(other, sections=1, paragraphs=1).paragraphs.get()
    with pytest.raises(ValidationError):
        _post(consultation, personas.resident, foreign, text="Hi")


def test_anonymous_people_need_a_verified_participant(personas):
    consultation = consultation_in(personas.organisation, participation_mode=ParticipationMode.VERIFIED_EMAIL)
    paragraph = document_for(consultation, sections=1, paragraphs=1).paragraphs.get()
    unverified = participant(consultation, email="a@example.org")
    with pytest.raises(PermissionDenied):
        post_contribution(
            actor=personas.anonymous, participant=unverified, consultation=consultation, paragraph=paragraph, text="x"
        )
    with pytest.raises(PermissionDenied):
        post_contribution(
            actor=personas.anonymous, participant=None, consultation=consultation, paragraph=paragraph, text="x"
        )
    signed_in_only = consultation_in(personas.organisation)
    with pytest.raises(PermissionDenied):
        post_contribution(
            actor=personas.anonymous,
            participant=participant(signed_in_only, email="b@example.org"),
            consultation=signed_in_only,
            paragraph=document_for(signed_in_only).paragraphs.first(),
            text="x",
        )


def test_email_verification_lets_an_anonymous_person_comment(personas, django_capture_on_commit_callbacks):
    consultation = consultation_in(personas.organisation, participation_mode=ParticipationMode.VERIFIED_EMAIL)
    paragraph = document_for(consultation, sections=1, paragraphs=1).paragraphs.get()
    with django_capture_on_commit_callbacks(execute=True):
        asked = request_email_link(consultation=consultation, email="Ana@Example.org", next_url="/x/")
    assert asked.email == "ana@example.org" and asked.email_verified_at is None
    assert len(mail.outbox) == 1
    link = next(word for word in mail.outbox[0].body.split() if "/take-part/email/" in word)
    token = link.split("/take-part/email/")[1].split("/")[0]
    verified = verify_email(consultation=consultation, token=token)
    assert verified.pk == asked.pk and verified.email_verified_at is not None
    posted = post_contribution(
        actor=personas.anonymous, participant=verified, consultation=consultation, paragraph=paragraph, text="Yes"
    )
    assert posted.created
    with pytest.raises(ValidationError):
        verify_email(consultation=consultation_in(personas.organisation), token=token)
    with pytest.raises(ValidationError):
        verify_email(consultation=consultation, token=token + "x")


def test_one_time_codes_are_used_once(personas):
    consultation = consultation_in(personas.organisation, participation_mode=ParticipationMode.ONE_TIME_CODE)
    batch, codes = generate_codes(actor=personas.coordinator, consultation=consultation, count=3, label="Letters")
    assert len(codes) == 3 and batch.size == 3
    assert OneTimeCode.objects.filter(batch=batch).count() == 3
    assert not OneTimeCode.objects.filter(code_hash__in=codes).exists()  # never stored in plain text
    typed = codes[0].lower().replace("-", " ")
    someone = redeem_code(consultation=consultation, code=typed)
    assert someone.one_time_code.used_at is not None
    with pytest.raises(ValidationError) as caught:
        redeem_code(consultation=consultation, code=codes[0])
    assert "already been used" in str(caught.value)
    with pytest.raises(ValidationError):
        redeem_code(consultation=consultation, code="AAAAA-BBBBB")
    with pytest.raises(PermissionDenied):
        generate_codes(actor=personas.moderator, consultation=consultation, count=1)
    with pytest.raises(PermissionDenied):
        redeem_code(consultation=consultation_in(personas.organisation), code=codes[1])


def test_support_once_never_ones_own(personas):
    consultation = consultation_in(personas.organisation)
    paragraph = document_for(consultation, sections=1, paragraphs=1).paragraphs.get()
    comment = _post(consultation, personas.resident, paragraph, text="Trees").contribution
    member = participant_for_user(user=personas.member, consultation=consultation)
    assert set_support(actor=personas.member, participant=member, contribution=comment, supported=True)
    assert set_support(actor=personas.member, participant=member, contribution=comment, supported=True)
    assert Support.objects.filter(contribution=comment).count() == 1
    own = participant_for_user(user=personas.resident, consultation=consultation)
    with pytest.raises(ValidationError):
        set_support(actor=personas.resident, participant=own, contribution=comment, supported=True)
    assert not set_support(actor=personas.member, participant=member, contribution=comment, supported=False)
    assert not Support.objects.exists()


def test_moderators_hide_with_a_public_reason_audited_and_reports_resolved(personas):
    consultation = consultation_in(personas.organisation)
    paragraph = document_for(consultation, sections=1, paragraphs=1).paragraphs.get()
    comment = _post(consultation, personas.resident, paragraph, text="Rude words").contribution
    report_content(reporter=personas.member, target=comment, reason="abuse", explanation="")
    comment.consultation = consultation
    with pytest.raises(PermissionDenied):
        hide_contribution(actor=personas.other_administrator, contribution=comment, reason="No")
    with pytest.raises(ValidationError):
        hide_contribution(actor=personas.moderator, contribution=comment, reason=" ")
    hidden = hide_contribution(actor=personas.moderator, contribution=comment, reason="It insults a neighbour.")
    assert hidden.status == ContributionStatus.HIDDEN and hidden.moderation_reason == "It insults a neighbour."
    assert AuditEntry.objects.filter(action="consultations.contribution_hidden").exists()
    assert Report.objects.get().status == "resolved"
    restored = restore_contribution(actor=personas.moderator, contribution=comment, reason="Appeal accepted.")
    assert restored.status == ContributionStatus.PUBLISHED
    assert AuditEntry.objects.filter(action="consultations.contribution_restored").exists()


def test_attachments_are_checked_by_content(personas):
    from veche.consultations.tests.documents_files import PNG_1PX, pdf

    consultation = consultation_in(personas.organisation)
    attachment = documents_services.add_attachment(
        actor=personas.coordinator, consultation=consultation, title="", name="map.exe.png", data=PNG_1PX
    )
    assert attachment.file_type == "png" and attachment.original_name == "map_exe.png"
    assert attachment.file.name.endswith(".png") and "map" not in attachment.file.name
    with pytest.raises(ValidationError) as caught:
        documents_services.add_attachment(
            actor=personas.coordinator, consultation=consultation, title="x", name="x.pdf", data=b"<html>"
        )
    assert "file" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        documents_services.add_attachment(
            actor=personas.resident, consultation=consultation, title="x", name="x.pdf", data=pdf(["x"])
        )
    documents_services.delete_attachment(actor=personas.coordinator, attachment=attachment)


def test_participants_are_counted_once_per_person(personas):
    consultation = consultation_in(personas.organisation)
    paragraph = Paragraph.objects.filter(document=document_for(consultation)).first()
    _post(consultation, personas.resident, paragraph, text="A")
    _post(consultation, personas.resident, paragraph, text="B")
    assert Participant.objects.filter(consultation=consultation).count() == 1
