"""allauth's hooks: emails go through the task queue on commit, in the reader's language, under the site's name."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.html import strip_tags

from veche.core.mail import send_email_later
from veche.organisations.roles import holds_staff_role

SITE_NAME = "veche"


def _served_language(code: str | None) -> str | None:
    served = {language for language, _name in settings.LANGUAGES}
    return code if code in served else None


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject: str) -> str:
        return f"[{SITE_NAME}] {subject}"

    def email_language(self, request: HttpRequest | None, email: str) -> str:
        """The language of the page the person is on; without a request, the account's preferred language."""
        from_request = _served_language(getattr(request, "LANGUAGE_CODE", None)) if request is not None else None
        if from_request:
            return from_request
        from veche.accounts.models import User

        preferred = User.objects.filter(email__iexact=email).values_list("language", flat=True).first()
        return _served_language(preferred) or _served_language(translation.get_language()) or settings.LANGUAGE_CODE

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render allauth's email in the reader's language and queue it; it is sent only if the transaction commits."""
        request = allauth_context.request
        host = request.get_host() if request is not None else urlsplit(settings.SITE_URL).netloc
        with translation.override(self.email_language(request, email)):
            message_context = {"request": request, "email": email, **context}
            # allauth's templates name the site through current_site; the Sites framework row is not configured.
            message_context["current_site"] = SimpleNamespace(name=SITE_NAME, domain=host)
            message = self.render_mail(template_prefix, email, message_context)
        html_body = next(
            (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), None
        )
        body = message.body
        if message.content_subtype == "html":
            html_body, body = body, strip_tags(body)
        send_email_later(subject=message.subject, body=body, to=list(message.to), html_body=html_body)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        """Remember the language the person signed up in as their preferred one (changeable on the profile)."""
        user.language = _served_language(translation.get_language()) or ""
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Land on the profile in the person's preferred language."""
        language = _served_language(getattr(request.user, "language", None))
        if language:
            with translation.override(language):
                return resolve_url(settings.LOGIN_REDIRECT_URL)
        return super().get_login_redirect_url(request)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Staff cannot switch off their authenticator app while the site requires it of them."""
        if (
            authenticator.type == Authenticator.Type.TOTP
            and getattr(settings, "VECHE_REQUIRE_STAFF_2FA", False)
            and holds_staff_role(authenticator.user)
        ):
            return False
        return super().can_delete_authenticator(authenticator)
