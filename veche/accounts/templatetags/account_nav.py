"""The navigation shared by the person's own pages and allauth's account-management pages."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def account_tabs(context: template.Context) -> list[tuple[str, str, bool]]:
    """(label, url, current) for components/tabs.html; a tab is current on its page and on the pages below it."""
    path = getattr(context.get("request"), "path", "")
    profile_url = reverse("accounts:profile")
    pages = [
        (_("Profile"), profile_url, [profile_url]),
        (_("Email addresses"), reverse("account_email"), [reverse("account_email")]),
        (
            _("Password"),
            reverse("account_change_password"),
            [reverse("account_change_password"), reverse("account_set_password")],
        ),
        (_("Two-factor authentication"), reverse("mfa_index"), [reverse("mfa_index")]),
        (_("API tokens"), reverse("accounts:tokens"), [reverse("accounts:tokens")]),
        (_("Your data"), reverse("accounts:export"), [reverse("accounts:export")]),
        (_("Delete account"), reverse("accounts:delete"), [reverse("accounts:delete")]),
    ]
    return [
        (label, url, any(path == prefix if prefix == profile_url else path.startswith(prefix) for prefix in prefixes))
        for label, url, prefixes in pages
    ]
