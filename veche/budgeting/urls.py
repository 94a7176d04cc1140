"""Mounted at /<lang>/budgets/. Sections belong to the parts of the app: editions and set-up, proposals, review,
voting, results and implementation."""

from django.urls import path  # noqa: F401

from veche.budgeting.views import editions, implementation, proposals, results, review, voters, voting

app_name = "budgeting"
urlpatterns: list = [
    # Editions and set-up (views/editions.py)
    path("", editions.edition_archive, name="archive"),
    path("<int:edition_id>/", editions.edition_detail, name="edition"),
    path("<int:edition_id>/settings/", editions.edition_settings, name="edition_settings"),
    path("<int:edition_id>/settings/pools/new/", editions.pool_form, name="pool_add"),
    path("<int:edition_id>/settings/pools/<int:pool_id>/", editions.pool_form, name="pool_edit"),
    path("<int:edition_id>/settings/pools/<int:pool_id>/delete/", editions.pool_delete, name="pool_delete"),
    path("<int:edition_id>/settings/categories/new/", editions.category_form, name="category_add"),
    path("<int:edition_id>/settings/categories/<int:category_id>/", editions.category_form, name="category_edit"),
    path(
        "<int:edition_id>/settings/categories/<int:category_id>/delete/",
        editions.category_delete,
        name="category_delete",
    ),
    # Proposals and review (views/proposals.py, views/review.py)
    path("<int:edition_id>/proposals/", proposals.proposal_list, name="proposals"),
    path("<int:edition_id>/proposals/new/", proposals.proposal_create, name="proposal_create"),
    path("<int:edition_id>/proposals/<int:number>/", proposals.proposal_detail, name="proposal"),
    path("<int:edition_id>/proposals/<int:number>/edit/", proposals.proposal_edit, name="proposal_edit"),
    path("<int:edition_id>/proposals/<int:number>/submit/", proposals.proposal_submit, name="proposal_submit"),
    path("<int:edition_id>/proposals/<int:number>/withdraw/", proposals.proposal_withdraw, name="proposal_withdraw"),
    path("<int:edition_id>/proposals/<int:number>/sign/", proposals.proposal_sign, name="proposal_sign"),
    path("<int:edition_id>/proposals/<int:number>/leave/", proposals.proposal_leave, name="proposal_leave"),
    path("<int:edition_id>/review/", review.review_queue, name="review_queue"),
    path("<int:edition_id>/proposals/<int:number>/review/", review.review_proposal, name="review_proposal"),
    path("<int:edition_id>/proposals/<int:number>/appeal/", review.appeal, name="appeal"),
    path("<int:edition_id>/proposals/<int:number>/appeal/decide/", review.decide_appeal, name="decide_appeal"),
    # Voting (views/voting.py)
    path("<int:edition_id>/vote/", voting.vote, name="vote"),
    path("<int:edition_id>/vote/code/", voting.vote_with_code, name="vote_with_code"),
    path("<int:edition_id>/vote/<int:pool_id>/", voting.vote_pool, name="vote_pool"),
    path("<int:edition_id>/vote/<int:pool_id>/done/", voting.vote_done, name="vote_done"),
    path("<int:edition_id>/receipt/", voting.receipt, name="receipt"),
    # Voters: register, residents' list, codes, paper ballots (views/voters.py)
    path("<int:edition_id>/voters/", voters.voters, name="voters"),
    path("<int:edition_id>/voters/residents/", voters.residents_upload, name="residents_upload"),
    path("<int:edition_id>/voters/codes/", voters.codes, name="codes"),
    path("<int:edition_id>/voters/paper/", voters.paper_batches, name="paper_batches"),
    path("<int:edition_id>/voters/paper/<int:batch_id>/", voters.paper_batch, name="paper_batch"),
    # Results, implementation, archive (views/results.py, views/implementation.py)
    path("<int:edition_id>/count/", results.count, name="count"),
    path("<int:edition_id>/results/<int:pool_id>/", results.results, name="results"),
    path("<int:edition_id>/results/<int:pool_id>/ballots/", results.ballots, name="ballots"),
    path("<int:edition_id>/results/<int:pool_id>/pabulib/", results.pabulib_download, name="pabulib"),
    path("import/<slug:org_slug>/", results.pabulib_import, name="import"),
    path("<int:edition_id>/implementation/", implementation.implementation_list, name="implementation_list"),
    path("<int:edition_id>/implementation/<int:number>/", implementation.implementation_detail, name="implementation"),
    path(
        "<int:edition_id>/implementation/<int:number>/update/",
        implementation.implementation_update,
        name="implementation_update",
    ),
    path(
        "<int:edition_id>/implementation/<int:number>/follow/",
        implementation.implementation_follow,
        name="implementation_follow",
    ),
]
