"""Every write view shares one POST rate limit (VECHE_WRITE_RATE); past it the person gets the 429 page."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/en/processes/new/home-town/", "/en/me/", "/en/me/tokens/", "/en/organisations/home-town/edit/"],
)
def test_posts_beyond_the_write_rate_are_refused(client, personas, settings, path):
    settings.VECHE_WRITE_RATE = "2/m"
    settings.VECHE_REQUIRE_STAFF_2FA = False  # this test is about the rate limit, not the two-factor policy
    client.force_login(personas.administrator)
    statuses = [client.post(path, {}).status_code for _ in range(3)]
    assert statuses[:2] != [429, 429]
    assert statuses[2] == 429


@pytest.mark.django_db
def test_reading_is_never_limited(client, personas, settings):
    settings.VECHE_WRITE_RATE = "1/m"
    settings.VECHE_REQUIRE_STAFF_2FA = False
    client.force_login(personas.administrator)
    assert {client.get("/en/processes/new/home-town/").status_code for _ in range(4)} == {200}
