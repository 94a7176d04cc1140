"""The consultations API, mounted at /api/v1/consultations (veche/api/site.py). The set-up part's router is the
root (the list answers at /consultations itself, without a trailing slash); each other part keeps its operations
in its own api_<part>.py router and adds one `router.add_router("", api_<part>.router)` line below."""

from veche.consultations import api_documents, api_report, api_surveys
from veche.consultations.api_setup import router

router.add_router("", api_documents.router)
router.add_router("", api_surveys.router)
router.add_router("", api_report.router)

__all__ = ["router"]
