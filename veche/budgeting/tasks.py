"""Background tasks of the budgeting app: counting an edition, importing a Pabulib file, telling followers of a
funded project about an update. Each task only looks its objects up and calls the service that does the work."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django_tasks import task

logger = logging.getLogger(__name__)


def _user(user_id: int):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user_id)


@task()
def count_edition_task(*, edition_id: int, actor_id: int) -> None:
    """Count every pool of the edition; progress and failures are kept where the count page reads them."""
    from veche.budgeting.models import Edition
    from veche.budgeting.services import results

    edition = Edition.objects.with_timeline().get(pk=edition_id)
    try:
        results.count_edition(actor=_user(actor_id), edition=edition)
    except ValidationError:
        logger.info("budget count failed", extra={"edition": edition_id})
    except Exception as exc:  # the page must not keep saying "running"
        results.set_count_progress(edition_id, state="failed", error=str(exc)[:300])
        raise


@task()
def import_pabulib_task(
    *, job: str, actor_id: int, process_id: int, path: str, title: str, language: str | None = None
) -> None:
    """Import the stored .pb file into a new edition of the process; the job's status says how it went (in the
    language of the page that started it)."""
    from veche.budgeting.services import pabulib_io

    pabulib_io.run_import_job(
        job=job, actor=_user(actor_id), process_id=process_id, path=path, title=title, language=language
    )


@task()
def notify_followers_task(*, update_id: int) -> None:
    """Notify everyone following a funded project of one update of its implementation."""
    from veche.budgeting.services import implementation

    implementation.notify_followers(update_id=update_id)
