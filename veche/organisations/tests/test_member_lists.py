"""The member-list hook: apps above this one decide who sees a network's members; with no check, lists are public."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from veche.organisations import member_lists
from veche.organisations.models import Organisation


def test_every_registered_check_must_agree(monkeypatch):
    monkeypatch.setattr(member_lists, "_checks", {})
    network, other = Organisation(pk=1, slug="open-net"), Organisation(pk=2, slug="closed-net")
    visitor = AnonymousUser()
    assert member_lists.may_see_members(visitor, network)

    def open_ones(user, items):
        return {item.pk for item in items if item.slug.startswith("open")}

    member_lists.register_member_list_check("test", open_ones)
    assert member_lists.may_see_members(visitor, network)
    assert not member_lists.may_see_members(visitor, other)
    assert member_lists.networks_showing_members(visitor, [network, other]) == [network]

    member_lists.unregister_member_list_check("test")
    assert member_lists.may_see_members(visitor, other)
