"""The page registry: every page exists, addresses are valid, the default is served at '/'."""

from __future__ import annotations

import pytest

from ui.i18n import STRINGS
from ui.navigation import (
    ADMIN,
    ANYONE,
    MANAGER,
    PAGES,
    SIGNED_OUT,
    default_spec,
    restricted_paths,
    safe_target,
    specs_for,
)

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
    assert sum(spec.is_default_for(role) for spec in specs_for(role)) == 1


@pytest.mark.parametrize(
    ("role", "home"),
    [(None, "home_page.py"), (ADMIN, "leadership_home_page.py"),
     (MANAGER, "manager_home_page.py")],
)
def test_each_role_lands_on_a_home_of_its_own(role, home):
    assert default_spec(role).script == home


def test_about_stays_one_click_away_for_signed_in_people():
    for role in (ADMIN, MANAGER):
        assert "home_page.py" in [spec.script for spec in specs_for(role)]


@pytest.mark.parametrize(
    ("target", "kept"),
    [
        ("/report-change?round=3", "/report-change?round=3"),
        ("/report?round=2&unit=north-region", "/report?round=2&unit=north-region"),
        ("/rounds", "/rounds"),
        ("/report?unit=<b>x</b>", "/report?unit=%3Cb%3Ex%3C%2Fb%3E"),
    ],
)
def test_the_address_of_a_page_of_the_app_is_a_target(target, kept):
    assert safe_target(target) == kept


@pytest.mark.parametrize(
    "target",
    [
        None, 3, "", "report-change", "//evil.example/report", "https://evil.example/",
        "http:/report", "/\\evil.example", "\\/evil.example", "/unknown-page",
        "/api/login", "/_stcore/health", "/report-change#top", "/report-change/../rounds",
        "/%2F%2Fevil.example", " /rounds", "/rounds\r\nSet-Cookie: x=y", "/rounds\x00",
        "javascript:alert(1)", "/" + "a" * 3000,
    ],
)
def test_nothing_else_is_a_target(target):
    """No scheme, host, unknown path or fragment: signing in never leads to another site."""
    assert safe_target(target) is None


def test_only_pages_for_signed_in_people_send_visitors_to_sign_in():
    closed = restricted_paths()
    assert {"/rounds", "/report-change", "/my-units", "/leadership"} <= closed
    assert not closed & {"/survey", "/results", "/library", "/signin", "/about"}


def test_visitors_who_are_not_signed_in_see_only_public_pages():
    assert all(spec.roles & {ANYONE, SIGNED_OUT} for spec in specs_for(None))


@pytest.mark.parametrize("role", [ADMIN, MANAGER])
def test_signed_in_people_do_not_see_the_pages_for_signed_out_visitors(role):
    assert not [spec for spec in specs_for(role) if spec.roles == frozenset({SIGNED_OUT})]
