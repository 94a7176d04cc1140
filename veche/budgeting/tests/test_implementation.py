"""Implementation records: updates with status, progress and photos, cancellation reasons, following, the pages."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from veche.audit.models import AuditEntry
from veche.budgeting.choices import ImplementationStatus
from veche.budgeting.models import Ballot, Implementation, ImplementationUpdate
from veche.budgeting.services import implementation as services
from veche.budgeting.services import results
from veche.budgeting.tests.factories import ProposalFactory, make_edition, schedule
from veche.notifications.models import Notification

pytestmark = pytest.mark.django_db


def png(name="site.png", size=(40, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 40)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def funded(personas):
    """A published edition in the implementation phase with two funded projects."""
    edition = make_edition(phase="results", organisation=personas.organisation)
    pool = edition.pools.get()
    first = ProposalFactory(edition=edition, title="Playground", cost_estimate=Decimal(40_000))
    second = ProposalFactory(edition=edition, title="Trees", cost_estimate=Decimal(30_000))
    Ballot.objects.create(pool=pool, receipt="AAAAA-11111", channel="online", projects=[first.pk, second.pk])
    results.count_pool(actor=personas.coordinator, pool=pool)
    results.publish_results(actor=personas.coordinator, edition=edition)
    schedule(edition, "implementation")
    record = Implementation.objects.select_related("proposal__edition").get(proposal=first)
    record.proposal.edition = type(edition).objects.with_timeline().get(pk=edition.pk)
    return {"edition": record.proposal.edition, "record": record, "first": first, "second": second}


def test_posting_an_update_sets_status_progress_and_notifies_followers(
    personas, funded, django_capture_on_commit_callbacks
):
    record = funded["record"]
    services.set_following(user=personas.resident, implementation=record, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        update = services.post_update(
            actor=personas.coordinator,
            implementation=record,
            status=ImplementationStatus.TENDER,
            progress=20,
            text="The tender is open.",
            photo=png(),
            photo_alt="The site before works",
        )
    record.refresh_from_db()
    assert (record.status, record.progress) == (ImplementationStatus.TENDER, 20)
    assert update.photo.name.endswith(".jpg") and update.photo_alt == "The site before works"
    note = Notification.objects.get(recipient=personas.resident, kind="budgeting.implementation_update")
    assert "Playground" in note.title and note.url.endswith(f"/implementation/{funded['first'].number}/")
    assert AuditEntry.objects.filter(action="budgeting.implementation_updated").count() == 1


def test_completed_means_full_progress(personas, funded):
    services.post_update(
        actor=personas.coordinator, implementation=funded["record"], status=ImplementationStatus.COMPLETED, progress=80
    )
    assert Implementation.objects.get(pk=funded["record"].pk).progress == 100


def test_cancelling_needs_a_reason(personas, funded):
    record = funded["record"]
    with pytest.raises(ValidationError) as caught:
        services.post_update(
            actor=personas.coordinator, implementation=record, status=ImplementationStatus.CANCELLED, progress=0
        )
    assert "cancel_reason" in caught.value.error_dict
    services.post_update(
        actor=personas.coordinator,
        implementation=record,
        status=ImplementationStatus.CANCELLED,
        progress=0,
        cancel_reason="The land turned out to be private.",
    )
    record.refresh_from_db()
    assert record.cancel_reason == "The land turned out to be private."


def test_a_photo_needs_a_description_and_must_be_an_image(personas, funded):
    record = funded["record"]
    with pytest.raises(ValidationError) as caught:
        services.post_update(
            actor=personas.coordinator, implementation=record, status="design", progress=5, photo=png()
        )
    assert "photo_alt" in caught.value.error_dict
    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    with pytest.raises(ValidationError, match="not an image"):
        services.post_update(
            actor=personas.coordinator, implementation=record, status="design", progress=5, photo=fake, photo_alt="x"
        )
    assert not ImplementationUpdate.objects.exists()


def test_only_coordinators_update_and_only_in_the_implementation_phase(personas, funded):
    record = funded["record"]
    for person in (personas.resident, personas.expert, personas.other_administrator):
        with pytest.raises(PermissionDenied):
            services.post_update(actor=person, implementation=record, status="design", progress=5)
    schedule(funded["edition"], "results")
    record.proposal.edition = type(funded["edition"]).objects.with_timeline().get(pk=funded["edition"].pk)
    with pytest.raises(PermissionDenied):
        services.post_update(actor=personas.coordinator, implementation=record, status="design", progress=5)


def test_following_needs_an_account(personas, funded):
    with pytest.raises(PermissionDenied):
        services.set_following(user=personas.anonymous, implementation=funded["record"], follow=True)
    services.set_following(user=personas.resident, implementation=funded["record"], follow=True)
    services.set_following(user=personas.resident, implementation=funded["record"], follow=True)
    assert funded["record"].followers.count() == 1
    services.set_following(user=personas.resident, implementation=funded["record"], follow=False)
    assert funded["record"].followers.count() == 0


# --- pages ---------------------------------------------------------------------------------------------------------


def test_implementation_page_shows_the_timeline(client, personas, funded):
    services.post_update(
        actor=personas.coordinator,
        implementation=funded["record"],
        status=ImplementationStatus.IN_PROGRESS,
        progress=60,
        text="Foundations are done.",
        photo=png(),
        photo_alt="Concrete foundations",
    )
    url = reverse("budgeting:implementation", args=[funded["edition"].pk, funded["first"].number])
    html = client.get(url).content.decode()
    assert "Foundations are done." in html and 'alt="Concrete foundations"' in html
    assert '<progress id="implementation-progress" max="100" value="60">' in html
    assert 'aria-current="step"' in html
    assert "Sign in to follow" in html
    assert not re.search(r"\sstyle=", html)


def test_follow_and_unfollow_through_the_page(client, personas, funded):
    url = reverse("budgeting:implementation_follow", args=[funded["edition"].pk, funded["first"].number])
    assert client.post(url).status_code == 302  # to sign-in
    assert funded["record"].followers.count() == 0
    client.force_login(personas.resident)
    assert client.get(url).status_code == 405
    client.post(url, {"follow": "1"})
    assert list(funded["record"].followers.all()) == [personas.resident]
    page = client.get(reverse("budgeting:implementation", args=[funded["edition"].pk, funded["first"].number]))
    assert "Stop following" in page.content.decode()
    client.post(url, {"follow": "0"})
    assert funded["record"].followers.count() == 0


def test_update_form(client, personas, funded):
    url = reverse("budgeting:implementation_update", args=[funded["edition"].pk, funded["first"].number])
    client.force_login(personas.resident)
    assert client.get(url).status_code == 403
    client.force_login(personas.coordinator)
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": "cancelled", "progress": "10", "text": ""})
    assert response.status_code == 200
    assert "Say why the project was cancelled." in response.content.decode()
    response = client.post(url, {"status": "design", "progress": "10", "photo": png(), "photo_alt": ""})
    assert "Describe the photo" in response.content.decode()
    response = client.post(url, {"status": "design", "progress": "15", "text": "Architects chosen."})
    assert response.status_code == 302
    assert Implementation.objects.get(pk=funded["record"].pk).status == "design"


def test_implementation_list_and_query_count(client, personas, funded, django_assert_num_queries):
    url = reverse("budgeting:implementation_list", args=[funded["edition"].pk])
    client.get(url)
    with django_assert_num_queries(3):
        response = client.get(url)
    html = response.content.decode()
    assert "Playground" in html and "Trees" in html
    assert html.count("<progress") == 2


def test_implementation_pages_are_hidden_before_results(client, personas):
    edition = make_edition(phase="results", organisation=personas.organisation)
    proposal = ProposalFactory(edition=edition)
    Implementation.objects.create(proposal=proposal)
    assert client.get(reverse("budgeting:implementation_list", args=[edition.pk])).status_code == 404
    assert client.get(reverse("budgeting:implementation", args=[edition.pk, proposal.number])).status_code == 404
