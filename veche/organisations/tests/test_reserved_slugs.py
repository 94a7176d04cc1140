import pytest
from django.core.exceptions import ValidationError

from veche.organisations.models import Organisation


@pytest.mark.parametrize("slug", ["new", "edit", "people"])
def test_reserved_words_cannot_be_slugs(slug):
    organisation = Organisation(slug=slug, kind="ngo", name="X", country="PL")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "slug" in error.value.message_dict
