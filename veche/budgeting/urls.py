"""Mounted at /<lang>/budgets/. Sections belong to the parts of the app: editions and set-up, proposals, review,
voting, results and implementation."""

from django.urls import path  # noqa: F401

app_name = "budgeting"
urlpatterns: list = [
    # Editions and set-up (views/editions.py)
    # Proposals and review (views/proposals.py, views/review.py)
    # Voting (views/voting.py)
    # Results, implementation, archive (views/results.py)
]
