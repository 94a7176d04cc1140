"""Pick the settings module from VECHE_ENV, so one entry point serves development and production."""

import os

MODULES = {"production": "config.settings.prod", "test": "config.settings.test"}


def settings_module() -> str:
    return os.environ.get("DJANGO_SETTINGS_MODULE") or MODULES.get(
        os.environ.get("VECHE_ENV", "development"), "config.settings.dev"
    )
