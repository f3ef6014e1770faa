"""storage.paper_import on SQLite and PostgreSQL: a large file is checked with no transaction
open and stored in one short write, all or nothing, within each unit's cap.

- Forms stored in several insert batches are sealed exactly as one form at a time would be
  (same payload, same quality flags), with one audit event per unit.
- A refusal found after the check (a unit's cap reached by web answers in the meantime, a
  round closed in the meantime) leaves the row count of every table as it was.
- While a file is being checked, a respondent's submission from another thread goes through:
  the check holds no lock (the import is paused in its check until the submission commits;
  no timing is measured or asserted).
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
import sqlalchemy as sa

from storage.engine import transaction
from storage.errors import InvalidInput
from storage.instrument_repo import get_instrument_version, sync_library
from storage.models import AuditEvent, Base, ResponseMode, Round, SealedSubmission
from storage.organization_repo import add_unit, create_organization
from storage.paper_import import (
    INSERT_BATCH,
    ImportProblems,
    check_paper_forms,
    csv_text,
    import_paper_file,
    paper_round,
    store_paper_forms,
    template_header,
)
from storage.round_service import (
    UnitInvitation,
    close_round,
    create_round,
    issue_codes,
    open_round,
)
from storage.survey_service import (
    DraftUpdate,
    PaperForm,
    paper_quality_flags,
    seal_paper_forms,
    seal_response,
    submit_response,
)

N_FORMS = 2 * INSERT_BATCH + 345  # three insert batches


@pytest.fixture
def agency(session_factory, make_instrument):
    """An open round of ti-test over two units: intake (room for every form of the file) and
    a small team of 3."""
    with transaction(session_factory, write=True) as session:
        sync_library(session, [make_instrument()])
        version = get_instrument_version(session, "ti-test", "1.0.0")
        org = create_organization(session, "Test Agency")
        intake = add_unit(session, org, "Intake")
        small = add_unit(session, org, "Small team")
        round_ = create_round(
            session,
            org,
            name="Spring",
            instrument_version=version,
            invitations=[UnitInvitation(intake, N_FORMS + 10), UnitInvitation(small, 3)],
            languages=["en", "es"],
        )
        open_round(session, round_)
        return org.id, round_.id


def find(round_id):
    def find_round(session):
        return session.get(Round, round_id)

    return find_round


def forms_csv(session_factory, round_id: int, rows: list[list[str]]) -> str:
    with transaction(session_factory) as session:
        header = template_header(find(round_id)(session))
    return csv_text([header, *rows])


def row_counts(session_factory) -> dict[str, int]:
    with transaction(session_factory) as session:
        return {
            table.name: session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


def many_forms() -> list[list[str]]:
    rows = []
    for n in range(N_FORMS):
        first, second = str(1 + n % 5), "NA" if n % 7 == 0 else str(1 + (n * 3) % 5)
        role = ("frontline", "", "manager")[n % 3]
        rows.append(["intake", role, ("en", "es")[n % 2], first, second])
    return rows


def test_forms_in_several_batches_are_sealed_like_one_at_a_time(session_factory, agency):
    _, round_id = agency
    rows = many_forms()
    text = forms_csv(session_factory, round_id, rows)
    report = import_paper_file(session_factory, find(round_id), text, source="forms.csv")
    assert report.responses == N_FORMS and report.by_unit == {"intake": N_FORMS}
    with transaction(session_factory) as session:
        payloads = session.scalars(
            sa.select(SealedSubmission.payload).where(SealedSubmission.round_id == round_id)
        ).all()
        events = session.scalars(
            sa.select(AuditEvent.detail).where(AuditEvent.action == "responses.import")
        ).all()
    assert len(payloads) == N_FORMS
    assert [(e["unit"], e["count"], e["source"]) for e in events] == [
        ("intake", N_FORMS, "forms.csv")
    ]
    roles = sorted((p["role"] or "", p["language"], p["mode"], p["bucket"]) for p in payloads)
    assert roles == sorted((r[1], r[2], "paper", None) for r in rows)
    answers = sorted(repr(sorted(p["answers"].items())) for p in payloads)
    assert answers == sorted(
        repr(sorted({"SAF-01": int(r[3]), "SAF-02": r[4] if r[4] == "NA" else int(r[4])}.items()))
        for r in rows
    )


def test_bulk_payloads_are_those_of_one_form_at_a_time(session_factory, make_instrument):
    """Payloads (answers, role, language, mode, no time bucket, quality flags computed for a
    whole file at once) are those `seal_response` writes for one form at a time."""
    with transaction(session_factory, write=True) as session:
        sync_library(session, [make_instrument()])
        version = get_instrument_version(session, "ti-test", "1.0.0")
        org = create_organization(session, "Agency B")
        unit = add_unit(session, org, "Intake")
        round_ = create_round(
            session, org, name="R", instrument_version=version,
            invitations=[UnitInvitation(unit, 50)], languages=["en", "es"],
        )
        open_round(session, round_)
        round_id = round_.id
    cases = [{"SAF-01": 4, "SAF-02": 4}, {"SAF-01": "NA"}, {"SAF-01": 1, "SAF-02": 5}, {}]
    with transaction(session_factory, write=True) as session:
        round_ = find(round_id)(session)
        instrument = round_.instrument_version.instrument()
        unit_id = round_.units[0].id
        shown = np.array(
            [[float(a[i]) if isinstance(a.get(i), int) else np.nan
              for i in instrument.item_ids()] for a in cases]
        )
        flags = paper_quality_flags(shown)
        seal_paper_forms(
            session, round_,
            [PaperForm(unit_id, answers, None, "en", flags[n]) for n, answers in enumerate(cases)],
            batch_size=3,
        )
        for answers in cases:
            seal_response(session, round_, unit_id, instrument, answers, {}, role=None,
                          language="en", mode=ResponseMode.PAPER, seconds=None)
        payloads = session.scalars(sa.select(SealedSubmission.payload)).all()
    as_text = sorted(repr(sorted(p.items())) for p in payloads)
    assert as_text[0::2] == as_text[1::2], "each bulk payload has its one-at-a-time twin"


def test_a_cap_reached_while_the_file_was_checked_refuses_it_whole(session_factory, agency):
    _, round_id = agency
    text = forms_csv(session_factory, round_id, [["small-team", "", "", "4", "4"]] * 3)
    with transaction(session_factory) as session:
        paper = paper_round(find(round_id)(session))
    checked = check_paper_forms(paper, text, source="late.csv")
    # meanwhile one person of the small team answers on the web
    with transaction(session_factory, write=True) as session:
        round_ = find(round_id)(session)
        team = next(u for u in round_.units if u.code == "small-team")
        [code] = issue_codes(session, round_, team, 1)
    with transaction(session_factory, write=True) as session:
        submit_response(session, code, answer(3))
    before = row_counts(session_factory)
    with pytest.raises(ImportProblems, match=r"small-team .* 3 paper forms, but at most 2"):
        with transaction(session_factory, write=True) as session:
            store_paper_forms(session, find(round_id)(session), checked)
    assert row_counts(session_factory) == before


def test_a_round_closed_while_the_file_was_checked_takes_nothing(session_factory, agency):
    _, round_id = agency
    text = forms_csv(session_factory, round_id, [["intake", "", "", "4", "4"]] * 5)
    with transaction(session_factory) as session:
        paper = paper_round(find(round_id)(session))
    checked = check_paper_forms(paper, text)
    with transaction(session_factory, write=True) as session:
        close_round(session, find(round_id)(session))
    before = row_counts(session_factory)
    with pytest.raises(InvalidInput, match="only while the round is open"):
        with transaction(session_factory, write=True) as session:
            store_paper_forms(session, find(round_id)(session), checked)
    assert row_counts(session_factory) == before


def test_a_refused_large_file_leaves_every_table_as_it_was(session_factory, agency):
    _, round_id = agency
    rows = many_forms()
    rows[-1][3] = "9"  # one bad cell on the last row
    text = forms_csv(session_factory, round_id, rows)
    before = row_counts(session_factory)
    with pytest.raises(ImportProblems) as caught:
        import_paper_file(session_factory, find(round_id), text, source="forms.csv")
    assert caught.value.problems == [
        f"forms.csv row {N_FORMS + 1}, column SAF-01: '9' is not a point of the scale agree5 "
        "(1–5), NA or empty"
    ]
    assert row_counts(session_factory) == before


def answer(value: int) -> DraftUpdate:
    return DraftUpdate(
        answers={"SAF-01": value, "SAF-02": "NA"}, comments={}, role=None, language="en",
        current_page=0,
    )


def test_a_submission_goes_through_while_a_large_file_is_checked(session_factory, agency):
    org_id, round_id = agency
    with transaction(session_factory, write=True) as session:
        round_ = find(round_id)(session)
        team = next(u for u in round_.units if u.code == "small-team")
        [code] = issue_codes(session, round_, team, 1)
    text = forms_csv(session_factory, round_id, many_forms())
    checking = threading.Event()
    submitted = threading.Event()
    outcome: dict[str, object] = {}

    def paused_in_the_check(rows_checked: int) -> None:
        if not checking.is_set():
            checking.set()
            # the check waits here for the submission; a check that held the write lock
            # would make the submission wait for it instead, and this would time out
            outcome["submitted during the check"] = submitted.wait(timeout=60)

    def run_import() -> None:
        try:
            outcome["report"] = import_paper_file(
                session_factory, find(round_id), text, source="big.csv",
                progress=paused_in_the_check,
            )
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcome["import error"] = exc

    importer = threading.Thread(target=run_import)
    importer.start()
    assert checking.wait(timeout=60), "the check never started"
    with transaction(session_factory, write=True) as session:
        submit_response(session, code, answer(4))
    submitted.set()
    importer.join(timeout=120)
    assert not importer.is_alive()
    assert outcome.get("submitted during the check") is True
    assert "import error" not in outcome, outcome.get("import error")
    assert outcome["report"].responses == N_FORMS
    with transaction(session_factory) as session:
        assert session.scalar(
            sa.select(sa.func.count()).select_from(SealedSubmission)
        ) == N_FORMS + 1


def test_quality_flags_of_a_whole_file_are_those_of_one_form_at_a_time():
    """Long strings, zero variance and mixed forms of the 62-item staff form: the flags
    computed for all forms at once are those computed for each form alone."""
    from instruments.registry import resolve
    from storage.survey_service import _timing_and_quality

    instrument = resolve("ti-staff@1.1.0")
    item_ids = instrument.item_ids()
    rng = np.random.default_rng(7)
    forms: list[dict[str, int | str]] = [
        dict.fromkeys(item_ids, 4),
        {i: (3 if j % 9 else "NA") for j, i in enumerate(item_ids)},
        {i: 1 + j % 5 for j, i in enumerate(item_ids)},
        {i: 2 for i in item_ids[:9]},
        {i: (5 if j < 40 else 1 + j % 5) for j, i in enumerate(item_ids)},
    ]
    forms += [
        {i: int(v) for i, v in zip(item_ids, rng.integers(1, 6, len(item_ids)), strict=True)
         if rng.random() > 0.2}
        for _ in range(30)
    ]
    shown = np.array(
        [[float(f[i]) if isinstance(f.get(i), int) else np.nan for i in item_ids] for f in forms]
    )
    together = paper_quality_flags(shown)
    alone = [tuple(_timing_and_quality(instrument, f, None)[1]) for f in forms]
    assert together == alone
    assert any(together), "some forms are flagged, so the comparison means something"


# -- not applicable as people write it; every problem of a file at once -------------------------


@pytest.mark.parametrize(
    "cell",
    ["NA", "na", "Na", " nA ", "N/A", "n/a", "  N/a\t", "Not applicable", " not  APPLICABLE ",
     "No aplica", "NO APLICA"],
)
def test_not_applicable_is_read_however_it_is_written(session_factory, agency, cell):
    """NA and N/A in any case with spaces around, and the instrument's own "not applicable"
    label in each of its languages (ti-test: "Not applicable", "No aplica"), all mean not
    applicable, never a problem and never a number."""
    _, round_id = agency
    text = forms_csv(session_factory, round_id, [["intake", "", "", "4", cell]])
    with transaction(session_factory) as session:
        paper = paper_round(find(round_id)(session))
    checked = check_paper_forms(paper, text, source="forms.csv")
    assert [dict(form.answers) for form in checked.forms] == [{"SAF-01": 4, "SAF-02": "NA"}]


@pytest.mark.parametrize("cell", ["N", "A", "N/", "NA NA", "Not", "aplica", "n.a"])
def test_what_only_looks_like_not_applicable_is_a_problem(session_factory, agency, cell):
    _, round_id = agency
    text = forms_csv(session_factory, round_id, [["intake", "", "", "4", cell]])
    with transaction(session_factory) as session:
        paper = paper_round(find(round_id)(session))
    with pytest.raises(ImportProblems) as caught:
        check_paper_forms(paper, text, source="forms.csv")
    [problem] = caught.value.problems
    assert problem.startswith("forms.csv row 2, column SAF-02: ")


def test_header_and_row_problems_are_reported_together_and_nothing_is_stored(
    session_factory, agency
):
    """A file with a misspelled column and bad rows: one list names every problem (file, row,
    column, what), the header's first, and not one form is stored."""
    _, round_id = agency
    text = csv_text(
        [
            ["unit", "role", "SAF-01", "SAF-2", "SAF-02"],
            ["intake", "", "4", "", "7"],
            ["nowhere", "boss", "3", "", "2"],
            ["intake", "", "2", "", "N/A"],
        ]
    )
    before = row_counts(session_factory)
    with pytest.raises(ImportProblems) as caught:
        import_paper_file(session_factory, find(round_id), text, source="forms.csv")
    problems = caught.value.problems
    assert problems[0].startswith("forms.csv row 1, column 'SAF-2': not an item of ti-test@1.0.0")
    assert problems[1:] == [
        "forms.csv row 2, column SAF-02: '7' is not a point of the scale agree5 (1–5), "
        "NA or empty",
        "forms.csv row 3, column unit: 'nowhere' is not a unit of the round (its units: "
        "intake, small-team)",
        "forms.csv row 3, column role: 'boss' is not one of frontline, supervisor, manager, "
        "support, other (leave empty for prefer not to say)",
    ]
    assert row_counts(session_factory) == before


def test_a_missing_unit_column_is_reported_with_the_rows_problems(session_factory, agency):
    _, round_id = agency
    text = csv_text([["SAF-01", "SAF-02"], ["4", "9"]])
    with transaction(session_factory) as session:
        paper = paper_round(find(round_id)(session))
    with pytest.raises(ImportProblems) as caught:
        check_paper_forms(paper, text, source="forms.csv")
    assert caught.value.problems == [
        "forms.csv row 1: the column 'unit' (the unit code) is missing",
        "forms.csv row 2, column SAF-02: '9' is not a point of the scale agree5 (1–5), "
        "NA or empty",
    ]


def test_a_column_named_twice_is_named_with_the_rows_problems(session_factory, agency):
    _, round_id = agency
    text = csv_text([["unit", "SAF-01", "SAF-01"], ["intake", "4", "x"]])
    with transaction(session_factory) as session:
        paper = paper_round(find(round_id)(session))
    with pytest.raises(ImportProblems) as caught:
        check_paper_forms(paper, text, source="forms.csv")
    assert caught.value.problems[0] == (
        "forms.csv row 1, column 'SAF-01': the header names this column twice; keep one"
    )
    assert caught.value.problems[1].startswith("forms.csv row 2, column SAF-01: 'x'")
