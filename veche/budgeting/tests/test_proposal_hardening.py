"""Proposal services and pages under pressure: long descriptions are refused and long histories stay cheap to show,
a status changed by the office between loading and saving is re-checked, removed image files go only on commit, and
co-author lookups (which reveal whether an address has an account) are limited per person."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from veche.budgeting.choices import ProposalStatus
from veche.budgeting.forms.proposals import ProposalForm
from veche.budgeting.models import Proposal, ProposalRevision
from veche.budgeting.services import proposals as services
from veche.budgeting.services.proposals import MAX_DESCRIPTION_LENGTH, ProposalInput
from veche.budgeting.tests.factories import make_edition
from veche.budgeting.tests.test_proposal_views import form_data, url
from veche.budgeting.views.proposals import MAX_DIFF_PAIRS, _word_diff, history_of
from veche.core.images import reencode_image
from veche.core.testing.factories import UserFactory
from veche.core.tests.imaging import image_bytes, upload

pytestmark = pytest.mark.django_db


def draft(edition, **changes) -> ProposalInput:
    values = {
        "title": "Benches by the river",
        "summary": "Ten benches",
        "description": "Ten benches along the river path.",
        "pool": edition.pools.first(),
        "cost_estimate": Decimal(20_000),
    }
    values.update(changes)
    return ProposalInput(**values)


# --- 2. long descriptions and long histories ---------------------------------------------------------------------
def test_a_description_over_the_limit_is_refused_by_the_service(personas):
    edition = make_edition(organisation=personas.organisation)
    with pytest.raises(ValidationError) as error:
        services.create_proposal(
            actor=personas.resident,
            edition=edition,
            data=draft(edition, description="a" * (MAX_DESCRIPTION_LENGTH + 1)),
        )
    assert "at most 10000 are allowed" in error.value.message_dict["description"][0]
    assert not Proposal.objects.exists()
    proposal = services.create_proposal(
        actor=personas.resident, edition=edition, data=draft(edition, description="a" * MAX_DESCRIPTION_LENGTH)
    )
    with pytest.raises(ValidationError):
        services.update_proposal(
            actor=personas.resident, proposal=proposal, data=draft(edition, description="b " * 60_000)
        )


def test_the_form_refuses_a_long_description_with_a_clear_message(personas):
    edition = make_edition(organisation=personas.organisation)
    form = ProposalForm(
        data={"title": "T", "description": "x" * 12_000, "pool": edition.pools.first().pk, "cost_estimate": "5"},
        edition=edition,
    )
    assert not form.is_valid()
    assert form.errors["description"] == [
        "The description can have at most 10000 characters (it has 12000). Shorten it, or link to a longer document."
    ]
    assert 'maxlength="10000"' in str(form["description"])


def test_a_small_edit_in_a_long_text_shows_only_what_changed():
    before = " ".join(f"w{index}" for index in range(4000))
    after = before.replace("w2000 ", "w2000 new ")
    segments = _word_diff(before, after)
    assert [kind for kind, _text in segments] == ["same", "added", "same"]
    assert segments[1] == ("added", "new")
    assert " ".join(text for kind, text in segments if kind != "added") == before


def test_a_wholly_rewritten_long_text_is_not_compared():
    before = " ".join("a b" for _ in range(1000))
    after = " ".join("b a" for _ in range(1000))
    assert MAX_DIFF_PAIRS < 2000 * 2000
    assert _word_diff(before, after) is None
    assert _word_diff("one two three", "one four three") == [
        ("same", "one"),
        ("removed", "two"),
        ("added", "four"),
        ("same", "three"),
    ]


def test_the_page_budget_keeps_the_newest_diffs_and_stops_comparing_after(personas):
    edition = make_edition(organisation=personas.organisation)
    proposal = services.create_proposal(actor=personas.resident, edition=edition, data=draft(edition))
    ProposalRevision.objects.filter(proposal=proposal).delete()
    revisions = []
    for number in range(1, 41):
        words = " ".join(("a b" if number % 2 else "b a") for _ in range(240))  # 480 words, a full rewrite each time
        revisions.append(
            ProposalRevision(
                proposal=proposal,
                number=number,
                changed_fields=["description"] if number > 1 else list(services.SNAPSHOT_FIELDS),
                snapshot={"title": "T", "summary": "", "description": words},
            )
        )
    history = history_of(revisions)
    compared = [entry["diffs"][0]["segments"] is not None for entry in history if not entry["first"]]
    assert compared[0] is True  # the newest change is shown word by word
    assert compared[-1] is False  # the page's budget ran out before the oldest
    assert compared == sorted(compared, reverse=True)


def test_the_page_of_a_proposal_with_many_long_rewrites_renders(client, personas):
    edition = make_edition(organisation=personas.organisation)
    text = " ".join("a b" for _ in range(2400))
    proposal = services.create_proposal(actor=personas.resident, edition=edition, data=draft(edition, description=text))
    for number in range(30):
        rewritten = " ".join(("b a" if number % 2 == 0 else "a b") for _ in range(2400)) + f" {number}"
        services.update_proposal(actor=personas.resident, proposal=proposal, data=draft(edition, description=rewritten))
    assert proposal.revisions.count() == 31
    client.force_login(personas.resident)  # a draft: only its authors see it
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    assert "the text changed (too long to compare here)." in response.content.decode()


# --- 4. the status is re-checked under the lock ---------------------------------------------------------------------
def test_a_status_changed_by_the_office_after_loading_is_rechecked(personas):
    edition = make_edition(organisation=personas.organisation)
    proposal = services.create_proposal(actor=personas.resident, edition=edition, data=draft(edition), submit=True)
    loaded = Proposal.objects.get(pk=proposal.pk)  # the author's page loaded it while still submitted
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.UNDER_REVIEW)  # the office takes it up
    with pytest.raises(PermissionDenied):
        services.update_proposal(actor=personas.resident, proposal=loaded, data=draft(edition, title="Sneaked in"))
    fresh = Proposal.objects.get(pk=proposal.pk)
    assert fresh.title == "Benches by the river" and fresh.status == ProposalStatus.UNDER_REVIEW
    assert fresh.revisions.count() == 1


# --- 7. removed image files go only on commit ---------------------------------------------------------------------
def test_a_removed_image_file_survives_a_rollback_and_goes_on_commit(personas, django_capture_on_commit_callbacks):
    edition = make_edition(organisation=personas.organisation)
    picture = reencode_image(upload(image_bytes()))
    proposal = services.create_proposal(
        actor=personas.resident, edition=edition, data=draft(edition, new_images=[(picture, "The river path")])
    )
    image = proposal.images.get()
    name = image.image.name
    assert default_storage.exists(name)

    class RollbackError(Exception):
        pass

    with pytest.raises(RollbackError), transaction.atomic():
        services.update_proposal(
            actor=personas.resident, proposal=proposal, data=draft(edition, remove_images=[image.pk])
        )
        raise RollbackError
    assert default_storage.exists(name) and proposal.images.filter(pk=image.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.update_proposal(
            actor=personas.resident, proposal=proposal, data=draft(edition, remove_images=[image.pk])
        )
    assert not proposal.images.exists()
    assert not default_storage.exists(name)


# --- 8. co-author lookups are limited per person --------------------------------------------------------------------
def test_co_author_lookups_are_limited_per_person_per_hour(personas):
    edition = make_edition(organisation=personas.organisation)
    friends = [UserFactory() for _ in range(3)]
    proposal = services.create_proposal(
        actor=personas.resident, edition=edition, data=draft(edition), co_author_emails=[friends[0].email]
    )
    probes = [f"probe{index}@example.org" for index in range(8)]
    for probe in probes:  # eight more unknown addresses: each answer says "no account"
        with pytest.raises(ValidationError) as error:
            services.update_proposal(
                actor=personas.resident,
                proposal=proposal,
                data=draft(edition),
                co_author_emails=[friends[0].email, probe],
            )
        assert "No account uses" in error.value.message_dict["co_authors"][0]
    # The friend, eight probes and a second friend make ten (re-checks are free): an eleventh address is refused.
    services.update_proposal(
        actor=personas.resident,
        proposal=proposal,
        data=draft(edition),
        co_author_emails=[friends[0].email, friends[1].email],
    )
    with pytest.raises(ValidationError) as error:
        services.update_proposal(
            actor=personas.resident,
            proposal=proposal,
            data=draft(edition),
            co_author_emails=[friends[0].email, friends[1].email, friends[2].email],
        )
    message = error.value.message_dict["co_authors"][0]
    assert "too many new co-author addresses in the last hour (at most 10)" in message
    assert "No account" not in " ".join(error.value.message_dict["co_authors"])
    # Saving with the co-authors already listed is not a lookup, and another person has their own allowance.
    services.update_proposal(
        actor=personas.resident,
        proposal=proposal,
        data=draft(edition, title="Still editable"),
        co_author_emails=[friends[0].email, friends[1].email],
    )
    services.create_proposal(
        actor=personas.member, edition=edition, data=draft(edition), co_author_emails=[friends[2].email]
    )


def test_the_form_shows_the_lookup_limit(client, personas):
    edition = make_edition(organisation=personas.organisation)
    client.force_login(personas.resident)
    for index in range(10):
        client.post(url("proposal_create", edition), form_data(edition, co_authors=f"probe{index}@example.org"))
    response = client.post(url("proposal_create", edition), form_data(edition, co_authors="one-more@example.org"))
    assert response.status_code == 400
    assert "too many new co-author addresses in the last hour" in response.content.decode()
    assert not Proposal.objects.exists()
