"""A few notifications for the demo people, so that the notifications page and the header count show something.
Each is created once per person and kind; running the demo again adds nothing."""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from veche.core.demo import DemoContext, register
from veche.notifications.models import Notification
from veche.notifications.services import language_of, notify, translatable
from veche.participation.models import Process


def _process_url(process: Process, user: object) -> str:
    with translation.override(language_of(user)):
        return process.get_absolute_url()


@register(order=40)
def load_notifications(context: DemoContext) -> None:
    resident, coordinator = context.people["resident"], context.people["coordinator"]
    park = Process.objects.select_related("organisation").filter(slug="riverside-park").first()
    wanted: list[tuple[Any, str, Any, Any, str, bool]] = [
        (
            resident,
            "demo.welcome",
            _("Welcome to veche"),
            _("Here you will find news about the processes you take part in. You can choose whether we email you."),
            "",
            False,
        ),
    ]
    if park is not None:
        # Rendered under each recipient's language, so the title comes in that language too.
        park_title = lazy(lambda: park.title, str)()
        wanted += [
            (
                resident,
                "participation.process_published",
                translatable(_("New process: %(process)s"), process=park_title),
                _("A process you may want to take part in has been published."),
                _process_url(park, resident),
                False,
            ),
            (
                coordinator,
                "participation.process_published",
                translatable(_("Your process is published: %(process)s"), process=park_title),
                _("Everyone can see it now. Add modules and set their dates so that people can take part."),
                _process_url(park, coordinator),
                True,
            ),
        ]
    for user, kind, title, body, url, read in wanted:
        if Notification.objects.filter(recipient=user, kind=kind).exists():
            continue
        created = notify(recipients=[user], kind=kind, title=title, body=body, url=url, email=False)
        if read:
            Notification.objects.filter(pk__in=[item.pk for item in created]).update(read_at=timezone.now())
