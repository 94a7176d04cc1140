"""Views of the consultations app, one module per part (thin: fetch-and-authorise, call a service, render)."""
