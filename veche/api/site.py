"""The one django-ninja API: each app contributes a router from its own api.py."""

from ninja import NinjaAPI

api = NinjaAPI(title="veche API", version="1", urls_namespace="api-v1")
