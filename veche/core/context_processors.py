from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "SITE_NAME": "veche",
        "SITE_URL": settings.SITE_URL,
        "MAP_TILES": settings.VECHE_MAP_TILES,
        "MAP_ATTRIBUTION": settings.VECHE_MAP_ATTRIBUTION,
    }
