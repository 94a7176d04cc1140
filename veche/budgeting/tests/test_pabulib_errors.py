"""Pabulib import errors: the parser's coded problems are shown in the page's language (the English text stays for
the command line), and an import that fails for a reason other than the file is recorded as failed, not left queued."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import trans_real

from veche.budgeting import pabulib
from veche.budgeting.models import Edition
from veche.budgeting.services import pabulib_io
from veche.budgeting.services.pabulib_io import PABULIB_MESSAGES, import_job, import_pabulib, pabulib_problem
from veche.budgeting.tests.test_pabulib_io import APPROVAL, CUMULATIVE
from veche.participation.tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db

BROKEN = {
    "missing_section": APPROVAL.split("VOTES")[0],
    "missing_header": "META\n",
    "missing_column": APPROVAL.replace("project_id;cost;name", "project_id;price;name"),
    "empty_file": "\n\n",
    "meta_first": "hello;world\n",
    "missing_budget": APPROVAL.replace("budget;100\n", ""),
    "bad_budget": APPROVAL.replace("budget;100", "budget;lots"),
    "bad_vote_type": APPROVAL.replace("vote_type;approval", "vote_type;plurality"),
    "bad_cost": APPROVAL.replace("3;39.5;Bench", "3;forty;Bench"),
    "bad_points": CUMULATIVE.replace("1;x,y;3,2", "1;x,y;3,two"),
    "cell_count": APPROVAL.replace("b;1,3;41;M", "b;1,3;41"),
    "duplicate_project": APPROVAL.replace("2;50;Library", "1;50;Library"),
    "duplicate_voter": APPROVAL.replace("c;3;22;F", "a;3;22;F"),
    "unknown_project": APPROVAL.replace("c;3;22;F", "c;9;22;F"),
}


@pytest.fixture
def process(personas):
    return ProcessFactory(organisation=personas.organisation)


@pytest.fixture
def czech(monkeypatch):
    """Stand-ins for the lead's Czech catalogue entries of two coded problems (the .po files are not ours to edit)."""
    catalog = trans_real.translation("cs")._catalog._catalogs[0]
    monkeypatch.setitem(catalog, "Line %(line)s: %(problem)s", "Řádek %(line)s: %(problem)s")  # in the .po already
    monkeypatch.setitem(
        catalog,
        "voter '%(voter)s' votes for unknown project '%(project)s'",
        "hlasující '%(voter)s' volí neznámý projekt '%(project)s'",
    )
    monkeypatch.setitem(catalog, "the file ends without a %(section)s section", "soubor končí bez oddílu %(section)s")


def test_every_code_is_raised_with_its_params_and_has_a_message():
    assert set(BROKEN) == set(pabulib.ERROR_CODES) == set(PABULIB_MESSAGES)
    for code, text in BROKEN.items():
        with pytest.raises(pabulib.PabulibError) as caught:
            pabulib.parse(text)
        error = caught.value
        assert error.code == code
        assert set(error.params) == set(pabulib.ERROR_CODES[code])
        with translation.override("en"):
            assert pabulib_problem(error) == error.problem  # the English message is the parser's own text


def test_problems_without_a_code_and_bad_params_fall_back_to_english():
    assert pabulib_problem(pabulib.PabulibError(3, "something odd")) == "something odd"
    assert pabulib_problem(pabulib.PabulibError(3, "odd", code="unknown_project", params={})) == "odd"


def test_a_czech_import_names_the_line_and_the_problem_in_czech(personas, process, czech):
    with translation.override("cs"), pytest.raises(ValidationError) as caught:
        import_pabulib(actor=personas.coordinator, process=process, data=BROKEN["unknown_project"], title="Rozbitý")
    assert caught.value.messages == ["Řádek 20: hlasující 'c' volí neznámý projekt '9'"]
    with translation.override("cs"), pytest.raises(ValidationError) as caught:
        import_pabulib(actor=personas.coordinator, process=process, data=BROKEN["missing_section"], title="Rozbitý")
    assert caught.value.messages[0].endswith(": soubor končí bez oddílu VOTES")
    assert not Edition.objects.exists()


def test_the_background_job_reports_in_the_language_of_the_page(personas, process, czech):
    path = default_storage.save("budgeting/imports/cs.pb", ContentFile(BROKEN["unknown_project"].encode()))
    with translation.override("en"):
        pabulib_io.run_import_job(
            job="cs-job", actor=personas.coordinator, process_id=process.pk, path=path, title="x", language="cs"
        )
    assert import_job("cs-job")["errors"] == ["Řádek 20: hlasující 'c' volí neznámý projekt '9'"]


def test_start_import_passes_the_language_to_the_task(personas, process, czech, django_capture_on_commit_callbacks):
    with translation.override("cs"), django_capture_on_commit_callbacks(execute=True):
        job = pabulib_io.start_import(
            actor=personas.coordinator, process=process, data=BROKEN["empty_file"].encode(), title="x"
        )
    assert import_job(job)["state"] == "failed"
    assert import_job(job)["errors"][0].startswith("Řádek 1:")


def test_an_unexpected_error_marks_the_job_failed_and_is_raised(personas, process, monkeypatch, caplog):
    path = default_storage.save("budgeting/imports/boom.pb", ContentFile(APPROVAL.encode()))

    def boom(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(pabulib_io, "import_pabulib", boom)
    with pytest.raises(RuntimeError, match="database went away"):
        pabulib_io.run_import_job(job="boom", actor=personas.coordinator, process_id=process.pk, path=path, title="x")
    state = import_job("boom")
    assert state["state"] == "failed"
    assert state["errors"] == [
        "The import failed because of an error on the site. Try again later, or tell the site's team."
    ]
    assert "database went away" not in " ".join(state["errors"])  # details go to the log, not the page
    assert not default_storage.exists(path)
    assert any("Pabulib import job boom failed" in record.getMessage() for record in caplog.records)
