"""Local development: the zero-set-up defaults of base, with debugging on unless DEBUG says otherwise."""

from .base import *  # noqa: F403

DEBUG = env.bool("DEBUG", default=True)
# The local demo lets staff try things before setting up an authenticator app (docs/howto/demo.md).
VECHE_REQUIRE_STAFF_2FA = env.bool("VECHE_REQUIRE_STAFF_2FA", default=False)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
