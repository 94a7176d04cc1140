import pytest


@pytest.mark.django_db
def test_home_page_answers_in_every_language(client):
    for code in ("cs", "pl", "en"):
        response = client.get(f"/{code}/")
        assert response.status_code == 200
        assert f'lang="{code}"' in response.content.decode()


def test_unknown_language_prefix_redirects(client):
    response = client.get("/de/organisations/?page=2", HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 302
    assert response["Location"] == "/pl/organisations/?page=2"
