from __future__ import annotations

import factory

from veche.core.testing.factories import UserFactory
from veche.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "test.something"
    title = factory.Sequence(lambda n: f"Something happened {n}")
    body = "Details of what happened."
    url = "/en/processes/"
