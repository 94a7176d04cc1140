"""Minimal factories for the core models; each app adds its own in its tests."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from veche.organisations.choices import Country, OrganisationKind
from veche.organisations.models import Affiliation, Organisation, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Mark the email verified for allauth, as a person who completed sign-up would have it."""
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            self.save()
            EmailAddress.objects.update_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = OrganisationKind.MUNICIPALITY
    name = factory.Sequence(lambda n: f"Municipality {n}")
    name_en = factory.SelfAttribute("name")
    country = Country.CZ


class NetworkFactory(OrganisationFactory):
    kind = OrganisationKind.NETWORK
    name = factory.Sequence(lambda n: f"Network {n}")


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    network = factory.SubFactory(NetworkFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = "member"
