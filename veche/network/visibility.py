"""What a viewer may see of a practitioner's profile. Every channel — pages, API, exports, search — reads profiles
through VisibleProfile (or, in SQL, through the clearance annotation of PractitionerProfileQuerySet), so a field the
person hid can only appear where its visibility allows.

A viewer's *clearance* for one profile:

- the person themselves: HIDDEN (they see everything);
- a coordinator of a network the person belongs to: COORDINATORS;
- a member of a network the person belongs to: MEMBERS;
- a platform superuser: COORDINATORS (never the fields the person kept to themselves);
- anyone else, signed in or not: PUBLIC.

A field group is visible when its visibility <= the clearance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from veche.network.access import coordinated_network_ids, member_network_ids
from veche.network.choices import Availability, Visibility

# Field groups with one visibility each → the model attributes they cover.
FIELD_GROUPS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "photo": ("photo",),
    "organisation": ("organisation_name",),
    "role": ("role",),
    "location": ("region", "country"),
    "languages": ("languages",),
    "methods": ("methods",),
    "topics": ("topics",),
    "bio": ("bio",),
    "experience": ("years_of_experience",),
    "processes": ("processes",),
    "availability": tuple(f"available_as_{key}" for key in Availability.values),
}
GROUPS = tuple(FIELD_GROUPS)


def visibility_of(profile: Any, group: str) -> int:
    return int(getattr(profile, f"{group}_visibility"))


def clearance_for(viewer: Any, profile: Any, *, profile_network_ids: set[int] | None = None) -> int:
    """The viewer's clearance for one profile. profile_network_ids are the networks the profile's person belongs to
    (computed with access.member_network_ids(profile.user) when not given: one query)."""
    if not getattr(viewer, "is_authenticated", False):
        return Visibility.PUBLIC
    if viewer.pk == profile.user_id:
        return Visibility.HIDDEN
    if profile_network_ids is None:
        profile_network_ids = member_network_ids(profile.user)
    shared = profile_network_ids & member_network_ids(viewer)
    if shared & coordinated_network_ids(viewer) or viewer.is_superuser:
        return Visibility.COORDINATORS
    if shared:
        return Visibility.MEMBERS
    return Visibility.PUBLIC


def visible_groups(profile: Any, clearance: int) -> frozenset[str]:
    return frozenset(group for group in GROUPS if visibility_of(profile, group) <= clearance)


@dataclass(frozen=True)
class VisibleProfile:
    """A profile as one viewer may see it: hidden groups read as empty. Templates, the API and exports use this,
    never the model, so they cannot show what they should not."""

    profile: Any
    clearance: int

    @property
    def groups(self) -> frozenset[str]:
        return visible_groups(self.profile, self.clearance)

    def shows(self, group: str) -> bool:
        return group in self.groups

    def _get(self, group: str, attribute: str, empty: Any = "") -> Any:
        return getattr(self.profile, attribute) if self.shows(group) else empty

    @property
    def pk(self) -> int:
        return self.profile.pk

    @property
    def id(self) -> int:
        return self.profile.pk

    @property
    def is_own(self) -> bool:
        return self.clearance >= Visibility.HIDDEN

    @property
    def name(self) -> str:
        return self._get("name", "name")

    @property
    def photo(self) -> Any:
        return self._get("photo", "photo", None) or None

    @property
    def organisation_name(self) -> str:
        return self._get("organisation", "organisation_name")

    @property
    def role(self) -> str:
        return self._get("role", "role")

    @property
    def role_label(self) -> str:
        return self.profile.get_role_display() if self.role else ""

    @property
    def region(self) -> str:
        return self._get("location", "region")

    @property
    def country(self) -> str:
        return self._get("location", "country")

    @property
    def country_label(self) -> str:
        return self.profile.get_country_display() if self.country else ""

    @property
    def languages(self) -> list[str]:
        return list(self._get("languages", "languages", []) or [])

    @property
    def language_labels(self) -> list[str]:
        from veche.network.choices import LanguageChoices

        labels = dict(LanguageChoices.choices)
        return [str(labels.get(code, code)) for code in self.languages]

    @property
    def methods(self) -> list[Any]:
        """Method rows (prefetched by the page's queryset)."""
        return list(self.profile.methods.all()) if self.shows("methods") else []

    @property
    def topics(self) -> list[Any]:
        return list(self.profile.topics.all()) if self.shows("topics") else []

    @property
    def bio(self) -> str:
        return self._get("bio", "bio")

    @property
    def years_of_experience(self) -> int | None:
        return self._get("experience", "years_of_experience", None)

    @property
    def processes(self) -> list[dict[str, str]]:
        return list(self._get("processes", "processes", []) or [])

    @property
    def availability(self) -> list[str]:
        return self.profile.availability if self.shows("availability") else []

    @property
    def availability_labels(self) -> list[str]:
        labels = dict(Availability.choices)
        return [str(labels[key]) for key in self.availability]

    @property
    def accepts_messages(self) -> bool:
        return bool(self.profile.accepts_messages)

    def get_absolute_url(self) -> str:
        return self.profile.get_absolute_url()
