"""The admin's own password-only login form is replaced by allauth's (with two-factor and rate limits)."""

import pytest

from veche.core.testing.factories import UserFactory


@pytest.mark.django_db
def test_admin_login_redirects_to_the_site_sign_in(client):
    response = client.get("/en/admin/login/?next=/en/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


@pytest.mark.django_db
def test_posting_a_password_to_the_admin_login_does_not_sign_in(client):
    UserFactory(email="root2@example.org", is_staff=True, is_superuser=True)
    client.post("/en/admin/login/", {"username": "root2@example.org", "password": "correct horse battery"})
    assert client.get("/en/admin/").status_code == 302
    assert "_auth_user_id" not in client.session
