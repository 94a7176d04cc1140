"""Taking part without an account: verifying an email address with a link, or using a one-time code from a letter.
Either way the person becomes a Participant of this consultation, remembered in their browser's session."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from veche.audit.services import record
from veche.consultations.choices import ParticipationMode
from veche.consultations.documents_links import absolute, consultation_kwargs
from veche.consultations.models import OneTimeCode, OneTimeCodeBatch, Participant
from veche.consultations.module import COMMENT
from veche.core.mail import send_email_later
from veche.core.permissions import require_permission

EMAIL_SALT = "consultations.verify-email"
EMAIL_LINK_DAYS = 3
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 10
CODE_GROUP = 5
MAX_CODES = 5000
_CONFUSABLE = str.maketrans({"0": "O", "1": "I", "L": "I"})


def _require_mode(consultation: Any, mode: str) -> None:
    if consultation.participation_mode != mode:
        raise PermissionDenied
    if not consultation.module.allows(COMMENT):
        raise ValidationError(_("This consultation is not taking comments now."), code="closed")


# --- verified email ------------------------------------------------------------------------------------------------


def email_token(participant: Participant) -> str:
    return signing.dumps({"p": participant.pk, "e": participant.email}, salt=EMAIL_SALT, compress=True)


def request_email_link(*, consultation: Any, email: str, next_url: str = "") -> Participant:
    """Send a sign-in link to email for this consultation (whether or not the address took part before: nobody
    learns which addresses did). The participant row is created unverified; the link verifies it. On commit."""
    _require_mode(consultation, ParticipationMode.VERIFIED_EMAIL)
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}) from None
    email = email.lower()
    try:
        with transaction.atomic():
            participant, _created = Participant.objects.get_or_create(consultation=consultation, email=email)
    except IntegrityError:
        participant = Participant.objects.get(consultation=consultation, email=email)
    link = reverse(
        "consultations:verify_email", kwargs={**consultation_kwargs(consultation), "token": email_token(participant)}
    )
    if next_url.startswith("/") and not next_url.startswith("//"):
        link += "?" + urlencode({"next": signing.dumps(next_url, salt=EMAIL_SALT + ".next", compress=True)})
    with translation.override(consultation.language):
        subject = str(
            _("Confirm your email to take part in “%(consultation)s”") % {"consultation": consultation.subject}
        )
        body = render_to_string(
            "consultations/documents/email/verify.txt",
            {"consultation": consultation, "url": absolute(link), "days": EMAIL_LINK_DAYS},
        )
    send_email_later(subject=subject, body=body, to=[email])
    return participant


def verify_email(*, consultation: Any, token: str) -> Participant:
    """The participant a link from request_email_link stands for, now verified. ValidationError for a link that is
    broken, expired or for another consultation."""
    try:
        data = signing.loads(token, salt=EMAIL_SALT, max_age=EMAIL_LINK_DAYS * 24 * 3600)
    except signing.SignatureExpired:
        raise ValidationError(_("This link has expired. Ask for a new one."), code="expired") from None
    except signing.BadSignature:
        raise ValidationError(_("This link is not valid. Ask for a new one."), code="bad_link") from None
    participant = Participant.objects.filter(pk=data.get("p"), consultation=consultation, email=data.get("e")).first()
    if participant is None:
        raise ValidationError(_("This link is not valid. Ask for a new one."), code="bad_link")
    if participant.email_verified_at is None:
        participant.email_verified_at = timezone.now()
        Participant.objects.filter(pk=participant.pk, email_verified_at__isnull=True).update(
            email_verified_at=participant.email_verified_at
        )
    return participant


def next_url_from(value: str) -> str:
    """The page to go back to after verifying (signed in the link so that it cannot point elsewhere)."""
    try:
        url = signing.loads(value or "", salt=EMAIL_SALT + ".next")
    except signing.BadSignature:
        return ""
    return url if isinstance(url, str) and url.startswith("/") and not url.startswith("//") else ""


# --- one-time codes ------------------------------------------------------------------------------------------------


def normalise_code(text: str) -> str:
    """A code as typed (any case, spaces, dashes, 0 for O, 1 or L for I) → its bare form."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum()).translate(_CONFUSABLE)


def code_hash(consultation_id: int, bare: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"consultations:{consultation_id}:{bare}".encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def group_code(bare: str) -> str:
    return "-".join(bare[index : index + CODE_GROUP] for index in range(0, len(bare), CODE_GROUP))


def generate_codes(*, actor: Any, consultation: Any, count: int, label: str = "") -> tuple[OneTimeCodeBatch, list[str]]:
    """Make count one-time codes and return them in plain text — the only time they exist so (only keyed hashes
    are stored): print them now. Needs change_consultation. Audits the batch, never a code."""
    require_permission(actor, "consultations.change_consultation", consultation)
    if not 1 <= count <= MAX_CODES:
        raise ValidationError({"count": _("Make between 1 and %(limit)s codes at a time.") % {"limit": MAX_CODES}})
    codes: dict[str, str] = {}
    while len(codes) < count:
        bare = _new_code()
        codes.setdefault(code_hash(consultation.pk, bare), bare)
    with transaction.atomic():
        batch = OneTimeCodeBatch.objects.create(
            consultation=consultation,
            label=" ".join((label or "").split())[:100],
            size=count,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        taken = set(
            OneTimeCode.objects.filter(consultation=consultation, code_hash__in=list(codes)).values_list(
                "code_hash", flat=True
            )
        )
        for hashed in taken:  # pragma: no cover - 31**10 codes; a clash is astronomically unlikely
            codes.pop(hashed)
        OneTimeCode.objects.bulk_create(
            [OneTimeCode(batch=batch, consultation=consultation, code_hash=hashed) for hashed in codes], batch_size=1000
        )
        record(
            actor=actor,
            action="consultations.codes_generated",
            target=consultation,
            organisation=consultation.organisation_id,
            data={"batch": batch.label, "count": len(codes)},
        )
    return batch, [group_code(bare) for bare in codes.values()]


def redeem_code(*, consultation: Any, code: str) -> Participant:
    """Use a one-time code: it becomes a participant of this consultation, once. The code row is locked, so two
    people typing the same code at the same moment get one participant; the second is refused."""
    _require_mode(consultation, ParticipationMode.ONE_TIME_CODE)
    bare = normalise_code(code)
    invalid = ValidationError({"code": _("This code is not valid for this consultation. Check it and try again.")})
    if len(bare) != CODE_LENGTH:
        raise invalid
    with transaction.atomic():
        row = (
            OneTimeCode.objects.select_for_update()
            .filter(consultation=consultation, code_hash=code_hash(consultation.pk, bare))
            .first()
        )
        if row is None:
            raise invalid
        if row.used_at is not None:
            raise ValidationError(
                {"code": _("This code has already been used. Each code lets one person take part once.")}
            )
        participant = Participant.objects.create(consultation=consultation)
        row.used_at = timezone.now()
        row.participant = participant
        row.save(update_fields=["used_at", "participant"])
    return participant


def code_batches(consultation: Any) -> list[OneTimeCodeBatch]:
    """The consultation's batches with how many codes each has used (one query)."""
    from django.db.models import Count, Q

    return list(
        OneTimeCodeBatch.objects.filter(consultation=consultation)
        .annotate(used=Count("codes", filter=Q(codes__used_at__isnull=False)))
        .select_related("created_by")
    )
