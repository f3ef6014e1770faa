"""The page registry: every page exists, addresses are valid, the default is served at '/'."""

from __future__ import annotations

import pytest

from ui.i18n import STRINGS
from ui.navigation import ADMIN, ANYONE, MANAGER, PAGES, SIGNED_OUT, specs_for

ROLES = [None, ADMIN, MANAGER]


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.url_path)
def test_page_is_well_formed(spec):
    assert spec.path.is_file(), f"{spec.path} does not exist"
    assert spec.url_path and "/" not in spec.url_path
    assert spec.title in STRINGS and spec.section in STRINGS
    assert not spec.icon.startswith(":material"), "material icons load a web font"
    assert spec.roles, "a page nobody may open"


def test_addresses_are_unique():
    paths = [spec.url_path for spec in PAGES]
    assert len(paths) == len(set(paths))


@pytest.mark.parametrize("role", ROLES)
def test_each_role_has_exactly_one_default_page(role):
    assert sum(spec.default for spec in specs_for(role)) == 1


def test_visitors_who_are_not_signed_in_see_only_public_pages():
    assert all(spec.roles & {ANYONE, SIGNED_OUT} for spec in specs_for(None))


@pytest.mark.parametrize("role", [ADMIN, MANAGER])
def test_signed_in_people_do_not_see_the_pages_for_signed_out_visitors(role):
    assert not [spec for spec in specs_for(role) if spec.roles == frozenset({SIGNED_OUT})]
