"""Names and free text typed by an administrator, attacked on SQLite and PostgreSQL.

Every service that stores a name or a free text (organizations, units and their CSV import,
rounds, users' display names, action items) goes through the one input rule
(`storage.text_fields`, `instruments.text`). For each hostile text: a control character or a
bidirectional control is refused with one message naming the field, the character and its
position, an over-long text with the field and the limit, and the row count of every table is
exactly what it was; printable text of any kind (formulas, mathtext, markup, other scripts) is
stored exactly as typed, since the places that show or export it keep it as text.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from storage.action_service import ActionInput, create_action
from storage.engine import transaction
from storage.errors import InvalidInput, NotFound
from storage.instrument_repo import get_instrument_version, sync_library
from storage.models import Base, Organization, Round, Unit, User
from storage.organization_repo import (
    add_unit,
    create_organization,
    get_unit,
    import_units,
    rename_unit,
)
from storage.round_service import UnitInvitation, create_round
from storage.survey_service import open_survey
from storage.user_repo import add_user, get_user

REFUSED = {
    "nul": ("North\x00Region", "control character (U+0000) at position 6"),
    "escape": ("North\x1b[31mRegion", "control character (U+001B) at position 6"),
    "c1": ("North\x85Region", "control character (U+0085) at position 6"),
    "newline": ("North\nRegion", "control character (U+000A) at position 6"),
    "override": ("North\u202eRegion", "bidirectional control (U+202E) at position 6"),
    "isolate": ("\u2066North\u2069", "bidirectional control (U+2066) at position 1"),
    "surrogate": ("North\ud800", "lone surrogate (U+D800) at position 6"),
    "huge": ("x" * 100_000, "is 100000 characters long; the limit is"),
}
ACCEPTED = [
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    r"$\frac{1}{2}$",
    "$x^$",
    "<script>alert(1)</script>",
    "**bold** [a](javascript:x)",
    "Región Norte – 東京",
]
PASSWORD = "correct horse battery staple"


def _counts(session: Session) -> dict[str, int]:
    return {
        table.name: session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }


@pytest.fixture
def agency(session_factory: sessionmaker[Session]) -> int:
    with transaction(session_factory, write=True) as session:
        sync_library(session)
        organization = create_organization(session, "Test Agency", slug="test")
        add_unit(session, organization, "North office", code="north")
        return organization.id


def _steps(field: str) -> dict[str, Callable[[Session, str], object]]:
    """Each way a text enters storage, by the field it fills."""

    def organization(session: Session) -> Organization:
        return session.get(Organization, session.scalar(sa.select(Organization.id)))

    def round_(session: Session, name: str) -> object:
        org = organization(session)
        return create_round(
            session,
            org,
            name=name,
            instrument_version=get_instrument_version(session, "ti-staff", "1.1.0"),
            invitations=[UnitInvitation(get_unit(session, org, "north"), 5)],
        )

    def action(text: str) -> Callable[[Session, str], object]:
        def step(session: Session, value: str) -> object:
            org = organization(session)
            target = session.scalar(sa.select(Round).where(Round.organization_id == org.id))
            if target is None:
                target = round_(session, "Spring")
            fields = {"title": "Plan", "owner": "", "indicator": ""} | {text: value}
            return create_action(session, target, ActionInput(domain_id="SAF", **fields))

        return step

    return {
        "organization name": lambda s, v: create_organization(s, v, slug="other"),
        "unit name": lambda s, v: add_unit(s, organization(s), v, code="south"),
        "unit rename": lambda s, v: rename_unit(s, get_unit(s, organization(s), "north"), v),
        "round name": round_,
        "display name": lambda s, v: add_user(
            s, organization(s), "ana", PASSWORD, role="manager", display_name=v
        ),
        "action title": action("title"),
        "action owner": action("owner"),
        "action indicator": action("indicator"),
    }


FIELDS = sorted(_steps(""))


@pytest.mark.parametrize(
    ("case", "field"),
    [
        (case, field)
        for case in sorted(REFUSED)
        for field in FIELDS
        # an indicator is multi-line text: a line break is allowed there
        if not (field == "action indicator" and case == "newline")
    ],
)
def test_a_hostile_text_is_refused_in_one_line_and_nothing_changes(
    session_factory, agency, field, case
):
    value, said = REFUSED[case]
    step = _steps(field)[field]
    with transaction(session_factory) as session:
        before = _counts(session)
    with pytest.raises(InvalidInput) as refused:
        with transaction(session_factory, write=True) as session:
            step(session, value)
    message = str(refused.value)
    assert said in message
    assert "\n" not in message and len(message) < 200
    assert message.startswith("the ")
    with transaction(session_factory) as session:
        assert _counts(session) == before


@pytest.mark.parametrize("field", FIELDS)
def test_printable_text_of_any_kind_is_stored_as_typed(session_factory, agency, field):
    step = _steps(field)[field]
    for n, value in enumerate(ACCEPTED):
        name = value if field != "round name" else f"{value} {n}"
        with transaction(session_factory, write=True) as session:
            if field in {"organization name", "unit name", "display name"}:
                # one row per value: a fresh slug, code or username each time
                org = session.get(Organization, agency)
                if field == "organization name":
                    stored = create_organization(session, name, slug=f"org-{n}").name
                elif field == "unit name":
                    stored = add_unit(session, org, name, code=f"unit-{n}").name
                else:
                    stored = add_user(
                        session, org, f"user{n}", PASSWORD, role="manager", display_name=name
                    ).display_name
            else:
                stored = step(session, name)
                stored = getattr(
                    stored,
                    {"unit rename": "name", "round name": "name"}.get(
                        field, field.removeprefix("action ")
                    ),
                )
        assert stored == name


def test_unit_csv_import_names_the_row_and_column_and_adds_nothing(session_factory, agency):
    text = (
        "name,code,parent\n"
        "Good unit,good,\n"
        "Bad\x1bunit,bad,\n"
        "\u202eEvil,evil,\n" + "x" * 300 + ",long,\n"
        "Fine,f" + "i" * 100 + ",\n"
    )
    with transaction(session_factory) as session:
        before = _counts(session)
    with pytest.raises(InvalidInput) as refused:
        with transaction(session_factory, write=True) as session:
            import_units(session, session.get(Organization, agency), text, source="units.csv")
    lines = str(refused.value).splitlines()
    assert lines[0] == (
        "units.csv row 3, column name: the unit name contains a control character (U+001B) "
        "at position 4; remove it"
    )
    assert lines[1].startswith(
        "units.csv row 4, column name: the unit name contains a "
        "bidirectional control (U+202E) at position 1"
    )
    assert lines[2] == (
        "units.csv row 5, column name: the unit name is 300 characters long; the limit is 200"
    )
    assert lines[3].startswith("units.csv row 6, column code: 'fiiii")
    assert len(lines[3]) < 250
    with transaction(session_factory) as session:
        assert _counts(session) == before


def test_a_huge_import_lists_fifty_problems_and_counts_the_rest(session_factory, agency):
    text = "name,code\n" + "".join(f"Bad\x1b{n},bad-{n}\n" for n in range(1000))
    with pytest.raises(InvalidInput) as refused:
        with transaction(session_factory, write=True) as session:
            import_units(session, session.get(Organization, agency), text, source="u.csv")
    lines = str(refused.value).splitlines()
    assert len(lines) == 51 and lines[-1] == "... and 950 more problems"


@pytest.mark.parametrize("typed", ["x" * 100_000, "ABCD\x00EFGH", "\ud800", "  \u202e  "])
def test_hostile_lookups_answer_briefly(session_factory, agency, typed):
    """Looking up a unit, a user or a survey code by what was typed never echoes a huge or
    unreadable value."""
    with transaction(session_factory) as session:
        with pytest.raises(NotFound) as missing_unit:
            get_unit(session, session.get(Organization, agency), typed)
        with pytest.raises(NotFound) as missing_user:
            get_user(session, typed)
        with pytest.raises(Exception) as no_survey:
            open_survey(session, typed)
    for error in (missing_unit.value, missing_user.value, no_survey.value):
        assert len(str(error)) < 400
        assert "\x00" not in str(error) and "\u202e" not in str(error)
    assert getattr(no_survey.value, "reason", None) == "unknown"


def test_nothing_hostile_was_stored_by_the_attacks(session_factory, agency):
    with transaction(session_factory) as session:
        names = [
            *session.scalars(sa.select(Organization.name)),
            *session.scalars(sa.select(Unit.name)),
            *session.scalars(sa.select(User.display_name)),
        ]
    assert all("\x00" not in name for name in names)


@pytest.mark.parametrize("name", ["東京", "$$", "مرحبا", "***"])
def test_a_name_with_nothing_to_make_a_code_from_still_gets_one(session_factory, agency, name):
    with transaction(session_factory, write=True) as session:
        organization = session.get(Organization, agency)
        unit = add_unit(session, organization, name)
        other = create_organization(session, name)
        [imported] = import_units(session, organization, f"name\n{name}{name}\n")
    assert unit.name == name and unit.code.startswith("unit-")
    assert other.slug.startswith("organization-")
    assert imported.code.startswith("unit-") and imported.code != unit.code
