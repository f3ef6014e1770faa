"""Padding with paper forms, attacked on SQLite and PostgreSQL.

The attacker is an admin who types made-up paper forms into a small unit so that it reaches the
minimum group size, lets one real colleague answer on the web, and then subtracts the forms
they invented from the unit's numbers. The paper cap (invited minus what has arrived) cannot
stop this when the forms go in first, so the disclosure rule counts web responses as a part of
their own: a unit (or any number) is shown only when its web answers are none or at least k,
and so is every difference of shown numbers. Whatever the admin knows of the paper forms, what
is left rests on k people or none.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from reports.builder import build_round_reports
from scoring.disclosure import PROTECTS_SMALLER, SHOWN, WITHHELD
from storage.engine import transaction
from storage.errors import InvalidInput, StorageError
from storage.instrument_repo import get_instrument_version, sync_library
from storage.organization_repo import add_unit, create_organization
from storage.paper_import import csv_text, import_paper_responses, template_header
from storage.round_service import (
    UnitInvitation,
    close_round,
    create_round,
    get_round_unit,
    issue_codes,
    open_round,
)
from storage.survey_service import DraftUpdate, submit_response

K = 5


def _answers(instrument, rng: np.random.Generator) -> dict[str, int]:
    return {
        item.id: int(rng.choice(instrument.scales[item.scale].points))
        for domain in instrument.domains for item in domain.items
    }


def _round(session_factory, invited: dict[str, int]):
    with transaction(session_factory, write=True) as session:
        sync_library(session)
        organization = create_organization(session, "Padded agency")
        units = {code: add_unit(session, organization, code.title(), code=code) for code in invited}
        round_ = create_round(
            session, organization, name="Spring", instrument_version=get_instrument_version(
                session, "ti-pulse", "1.0.0"),
            invitations=[UnitInvitation(units[c], n) for c, n in invited.items()],
            opens_on=date(2027, 4, 1), closes_on=date(2027, 4, 30), min_group_size=K,
        )
        open_round(session, round_)
        return round_.id, round_.instrument_version.instrument()


def _paper(session_factory, round_id: int, unit: str, n: int, instrument, rng) -> None:
    from storage.models import Round

    with transaction(session_factory, write=True) as session:
        round_ = session.get(Round, round_id)
        rows = [template_header(round_)]
        for _ in range(n):
            answers = _answers(instrument, rng)
            rows.append([unit, "", "en", *(answers[i] for i in instrument.item_ids())])
        import_paper_responses(session, round_, csv_text(rows), source="made-up.csv")


def _web(session_factory, round_id: int, unit: str, n: int, instrument, rng) -> None:
    from storage.models import Round

    with transaction(session_factory, write=True) as session:
        round_ = session.get(Round, round_id)
        codes = issue_codes(session, round_, get_round_unit(session, round_, unit), n)
    for code in codes:
        with transaction(session_factory, write=True) as session:
            submit_response(session, code, DraftUpdate(
                answers=_answers(instrument, rng), comments={}, role="frontline",
                language="en", current_page=0, added_seconds=300,
            ))


def _close_and_report(session_factory, round_id: int):
    from storage.models import Round

    with transaction(session_factory, write=True) as session:
        close_round(session, session.get(Round, round_id))
    with transaction(session_factory) as session:
        return build_round_reports(session, session.get(Round, round_id))


def test_made_up_forms_and_one_colleague_on_the_web_show_nothing_of_that_unit(session_factory):
    """4 made-up forms go in first (the cap allows them: 6 invited, nothing arrived), one real
    colleague answers on the web: the unit has 5 ≥ k responses, but only one of them is
    unknown to the admin, so the unit is withheld, and so is its sibling, which would give the
    unit away by subtraction from the agency."""
    rng = np.random.default_rng(4)
    round_id, instrument = _round(session_factory, {"padded": 6, "other": 12})
    _paper(session_factory, round_id, "padded", 4, instrument, rng)
    _web(session_factory, round_id, "padded", 1, instrument, rng)
    _web(session_factory, round_id, "other", 9, instrument, rng)
    reports = _close_and_report(session_factory, round_id)
    agency = reports[None]
    cells = {cell.name: cell for cell in agency.units}
    assert cells["Padded"].status == WITHHELD and cells["Padded"].means == {}
    assert cells["Padded"].reason == PROTECTS_SMALLER
    # the agency minus "Other" would be the padded unit: Other is withheld too
    assert cells["Other"].status == WITHHELD
    assert agency.scope_status == SHOWN
    for report in reports.values():
        if report.scope_name == "Padded":
            assert report.domains == () and report.n_responses is None


def test_web_answers_of_k_or_more_beside_paper_forms_are_shown(session_factory):
    rng = np.random.default_rng(5)
    round_id, _ = _round(session_factory, {"mixed": 9, "other": 8})
    instrument = _round_instrument(session_factory, round_id)
    _paper(session_factory, round_id, "mixed", 2, instrument, rng)
    _web(session_factory, round_id, "mixed", 5, instrument, rng)
    _web(session_factory, round_id, "other", 6, instrument, rng)
    cells = {cell.name: cell for cell in _close_and_report(session_factory, round_id)[None].units}
    assert cells["Mixed"].status == SHOWN and cells["Mixed"].n == 7
    assert cells["Other"].status == SHOWN


def test_paper_forms_beyond_what_is_left_of_the_invited_are_refused(session_factory):
    """The cap itself: 3 invited, one answered on the web, 3 forms would make 4."""
    rng = np.random.default_rng(6)
    round_id, instrument = _round(session_factory, {"small": 3, "other": 10})
    _web(session_factory, round_id, "small", 1, instrument, rng)
    with pytest.raises((InvalidInput, StorageError), match="small"):
        _paper(session_factory, round_id, "small", 3, instrument, rng)


def _round_instrument(session_factory, round_id: int):
    from storage.models import Round

    with transaction(session_factory) as session:
        return session.get(Round, round_id).instrument_version.instrument()
