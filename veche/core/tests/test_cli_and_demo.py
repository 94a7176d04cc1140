import io

import pytest
from django.core.management import CommandError, call_command

from veche.cli import translate_argv
from veche.organisations.models import Affiliation, Organisation, Role


def test_aliases_expand_and_other_commands_pass_through():
    assert translate_argv(["veche", "serve", "0:8000"]) == ["veche", "runserver", "0:8000"]
    assert translate_argv(["veche", "worker"]) == ["veche", "db_worker", "--queue-name=*"]
    assert translate_argv(["veche", "worker", "--queue-name", "email"]) == [
        "veche",
        "db_worker",
        "--queue-name",
        "email",
    ]
    assert translate_argv(["veche", "migrate", "--noinput"]) == ["veche", "migrate", "--noinput"]
    assert translate_argv(["veche"]) == ["veche"]


@pytest.mark.django_db
def test_demo_is_idempotent_and_covers_every_role():
    out = io.StringIO()
    call_command("demo", stdout=out)
    counts = (Organisation.objects.count(), Role.objects.count(), Affiliation.objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (Organisation.objects.count(), Role.objects.count(), Affiliation.objects.count()) == counts
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds == {"network", "municipality", "ngo"}
    countries = list(Organisation.objects.filter(kind="municipality").values_list("country", flat=True))
    assert sorted(countries) == ["CZ", "PL", "PL"]
    assert set(Role.objects.values_list("kind", flat=True)) == {
        "administrator",
        "coordinator",
        "moderator",
        "expert",
        "member",
    }
    assert "demo-veche-2026" in out.getvalue()
    assert "resident@demo.veche.eu" in out.getvalue()


@pytest.mark.django_db
def test_demo_refuses_production_without_force(settings):
    settings.VECHE_ENV = "production"
    with pytest.raises(CommandError):
        call_command("demo", stdout=io.StringIO())
    assert not Organisation.objects.exists()
