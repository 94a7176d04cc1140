"""The seeded topic rows and the vocabulary they name stay in step."""

from __future__ import annotations

import pytest
from django.utils import translation

from veche.core.models import Topic
from veche.core.vocabulary import TopicChoices


@pytest.mark.django_db
def test_every_topic_of_the_vocabulary_has_a_row_in_order():
    assert list(Topic.objects.values_list("slug", flat=True)) == list(TopicChoices.values)


@pytest.mark.django_db
def test_topic_names_are_translated():
    topic = Topic.objects.get(slug="transport")
    assert topic.name == "Transport and mobility"
    with translation.override("cs"):
        assert str(topic) != "Transport and mobility"


@pytest.mark.django_db
def test_every_method_of_the_vocabulary_has_a_row_in_order():
    from veche.core.models import Method
    from veche.core.vocabulary import MethodChoices

    assert list(Method.objects.values_list("slug", flat=True)) == list(MethodChoices.values)
