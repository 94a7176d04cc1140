"""URL wiring: language-prefixed site pages, and the unprefixed API, health check and static files."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from veche.api.urls import urlpatterns as api_urls
from veche.core import views as core_views

# The admin signs people in through allauth (rate limits, two-factor), never through its own password-only form.
admin.site.login = secure_admin_login(admin.site.login)

handler400 = "veche.core.views.error_400"
handler403 = "veche.core.views.error_403"
handler404 = "veche.core.views.error_404"
handler500 = "veche.core.views.error_500"
# allauth looks this up for its own rate limits (sign-in, sign-up, password reset); Django itself does not.
handler429 = "veche.core.views.rate_limited"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", include(api_urls)),
]

urlpatterns += i18n_patterns(
    path("", core_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("veche.accounts.urls")),
    path("organisations/", include("veche.organisations.urls")),
    path("processes/", include("veche.participation.urls")),
    path("budgets/", include("veche.budgeting.urls")),
    path("consultations/", include("veche.consultations.urls")),
    path("moderation/", include("veche.contributions.urls")),
    path("map/", include("veche.cases.urls")),
    path("", include("veche.network.urls")),
    path("notifications/", include("veche.notifications.urls")),
    path("advice/", include("veche.advice.urls")),
    path("audit/", include("veche.audit.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
