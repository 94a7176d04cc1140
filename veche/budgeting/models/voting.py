"""Who may vote and the votes.

The **register** (VoterRecord) says who voted in which pool; the **ballot box** (Ballot) says what was voted. One
ballot per voter and pool is enforced by unique constraints on the register, which is written in the same transaction
as the ballot. Under a secret ballot the two tables share nothing: ballots have a random primary key, no voter, no
timestamp and no sequence, so neither a join nor an ordering connects them. Voters keep a receipt code to find their
ballot in the published anonymised list.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from veche.budgeting.choices import PoolKind, VoteChannel
from veche.budgeting.models.edition import Edition, Pool


class ResidentEntry(models.Model):
    """One line of the residents' list: only a salted hash of the identifier (e.g. a personal number) is stored."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="residents", verbose_name=_("edition"))
    identifier_hash = models.CharField(_("identifier hash"), max_length=64)
    district = models.ForeignKey(
        Pool, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("district pool")
    )

    class Meta:
        verbose_name = _("resident list entry")
        verbose_name_plural = _("resident list entries")
        constraints = [models.UniqueConstraint(fields=["edition", "identifier_hash"], name="unique_resident_hash")]

    def __str__(self) -> str:
        return self.identifier_hash[:12]


class VotingCode(models.Model):
    """A one-time voting code printed in a letter or handed out at a polling station. The code is a credential (no
    account needed); only its hash is stored. `batch` names the print run. Whether a code was used is read from the
    register (never written on the code: that update would share the ballot's transaction). A code drawn for a
    resident on the list (`resident_hash`) votes as that resident ("r:<hash>"), so account and letter collide."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="voting_codes", verbose_name=_("edition")
    )
    code_hash = models.CharField(_("code hash"), max_length=64, unique=True)
    batch = models.CharField(_("batch"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    resident_hash = models.CharField(
        _("resident"),
        max_length=64,
        blank=True,
        help_text=_("Set when the code was drawn for one resident on the list: it votes as that resident."),
    )
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("voting code")
        verbose_name_plural = _("voting codes")

    def __str__(self) -> str:
        return self.code_hash[:12]


class PaperBatch(models.Model):
    """A pile of paper ballots typed in by staff; the batch records who typed them and how many sheets it had."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="paper_batches", verbose_name=_("edition")
    )
    label = models.CharField(_("label"), max_length=120, help_text=_("E.g. the polling station and the box number."))
    sheets = models.PositiveIntegerField(_("sheets in the batch"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("paper batch")
        verbose_name_plural = _("paper batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.label


class VoterRecord(models.Model):
    """The register: voter `voter_key` voted in `pool`. The key says who without naming them in the ballot box:
    "u:<user id>" for an account, "r:<hash>" for a resident from the list, "c:<code id>" for a voting code,
    "p:<uuid>" for an anonymous paper ballot. Only the date is kept."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="register", verbose_name=_("edition"))
    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="register", verbose_name=_("pool"))
    pool_kind = models.CharField(_("pool kind"), max_length=10, choices=PoolKind.choices)
    voter_key = models.CharField(_("voter"), max_length=80)
    channel = models.CharField(_("channel"), max_length=8, choices=VoteChannel.choices)
    voted_on = models.DateField(_("voted on"))

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register")
        constraints = [
            models.UniqueConstraint(fields=["pool", "voter_key"], name="one_ballot_per_voter_per_pool"),
            models.UniqueConstraint(
                fields=["edition", "voter_key"],
                condition=models.Q(pool_kind=PoolKind.DISTRICT),
                name="one_district_pool_per_voter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pool_id}/{self.voter_key}"


class Ballot(models.Model):
    """A ballot in the box. `projects` lists proposal ids (in preference order for rankings), `points` the points
    parallel to them for cumulative ballots. `voter_key` is kept only when the ballot is not secret. `extra` holds a
    Pabulib vote's other columns (age, sex …) for imported editions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("pool"))
    receipt = models.CharField(_("receipt code"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=8, choices=VoteChannel.choices)
    batch = models.ForeignKey(
        PaperBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ballots",
        verbose_name=_("paper batch"),
    )
    projects = models.JSONField(_("projects"), default=list)
    points = models.JSONField(_("points"), null=True, blank=True)
    voter_key = models.CharField(_("voter"), max_length=80, blank=True)
    extra = models.JSONField(_("other data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["receipt"]
        indexes = [models.Index(fields=["pool", "receipt"])]

    def __str__(self) -> str:
        return self.receipt
