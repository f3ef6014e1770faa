"""Fuzzed CSV text into the two CSV readers that need no database: `tisa analyze`'s
(`reports.csv_input.parse_analysis_csv`) and the paper forms' check
(`storage.paper_import.check_paper_forms`, which runs with no transaction open).

Whatever the text, each reader either returns its result or refuses with its own error whose
lines all name the file; no other exception escapes, and nothing it accepts holds a NUL.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from instruments.registry import resolve
from reports.csv_input import CsvInputError, parse_analysis_csv
from storage.paper_import import ImportProblems, PaperRound, check_paper_forms

PULSE = resolve("ti-pulse@1.0.0")
ITEMS = PULSE.item_ids()
PAPER = PaperRound(
    round_id=1,
    name="Spring",
    instrument=PULSE,
    units={"north": (1, "North"), "south": (2, "South")},
    languages=("en", "es"),
)

CELLS = st.one_of(
    st.sampled_from(["1", "2", "3", "4", "5", "NA", "na", "", " 4 ", "4.0", "0", "9", "-1",
                     "=1+1", "+4", "@A1", "north", "south", "frontline", "es", "en", "x" * 50]),
    st.text(max_size=12),
)
def mostly(*good: str) -> st.SearchStrategy[str]:
    """One of ``good`` nine times in ten, else any cell."""
    return st.integers(0, 9).flatmap(lambda k: CELLS if k == 0 else st.sampled_from(good))


ANSWER = mostly("1", "2", "3", "4", "5", "NA", "")
# paper forms also read N/A in any case and the instrument's own not-applicable words
PAPER_ANSWER = mostly(
    "1", "2", "3", "4", "5", "NA", "", "N/A", " n/a ", "na", PULSE.not_applicable["en"],
    PULSE.not_applicable["es"].upper(),
)
ROW_CELLS = {
    "unit": mostly("north", "south"),
    "role": mostly("frontline", "manager", ""),
    "language": mostly("en", "es", ""),
    "round": mostly("2025", "2026"),
}
PIECES = st.sampled_from([",", "\n", "\r\n", "\r", '"', '""', "\ufeff", "\x00", "\u202e", " "])


def csv_like(header: list[str], answer: st.SearchStrategy[str] = ANSWER):
    """A header (sometimes changed, or missing a column) then rows of cells, joined with
    hostile pieces."""

    @st.composite
    def build(draw) -> str:
        names = list(header)
        if draw(st.booleans()):
            names = draw(st.permutations(names))
        if draw(st.integers(0, 4)) == 0:
            names.append(draw(st.text(max_size=8)))
        if draw(st.integers(0, 6)) == 0:
            names.pop(draw(st.integers(0, len(names) - 1)))
        if draw(st.booleans()):  # rows as wide as the header, cells mostly as they should be
            row = st.tuples(*(ROW_CELLS.get(name, answer) for name in names)).map(list)
        else:
            row = st.lists(CELLS, min_size=0, max_size=len(names) + 2)
        rows = draw(st.lists(row, max_size=12))
        text = ",".join(names) + "\n" + "\n".join(",".join(row) for row in rows)
        if draw(st.booleans()):
            pieces = draw(st.lists(st.tuples(st.integers(0, len(text)), PIECES), max_size=4))
            for at, piece in sorted(pieces, reverse=True):
                text = text[:at] + piece + text[at:]
        return text

    return build()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=csv_like([*ITEMS, "unit", "round"]), group=st.booleans(), compare=st.booleans())
def test_analysis_reader_returns_or_refuses_with_its_place(text, group, compare):
    try:
        table = parse_analysis_csv(
            text, PULSE, group_col="unit" if group else None,
            compare_col="round" if compare else None, source="fuzz.csv",
        )
    except CsvInputError as refused:
        assert str(refused).startswith("fuzz.csv: ")
        assert "\n" not in str(refused)
        return
    assert table.answers.shape == (table.n_rows, len(ITEMS))
    finite = table.answers[np.isfinite(table.answers)]
    assert np.isin(finite, [1, 2, 3, 4, 5]).all()
    if table.groups is not None:
        assert not any("\x00" in g or "\u202e" in g for g in table.groups.tolist())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=csv_like(["unit", "role", "language", *ITEMS], PAPER_ANSWER))
def test_paper_check_returns_or_refuses_with_its_place(text):
    try:
        checked = check_paper_forms(PAPER, text, source="forms.csv")
    except ImportProblems as refused:
        assert refused.problems
        for line in str(refused).splitlines():
            assert line.startswith(("forms.csv", "... and ")), line
        return
    for form in checked.forms:
        assert form.round_unit_id in (1, 2)
        assert form.language in ("en", "es")
        for value in form.answers.values():
            assert value == "NA" or value in (1, 2, 3, 4, 5)
