"""The report's figures: matplotlib `Figure`s (never pyplot) whose alt text states the key
numbers in words, drawn from the demo agency's reports (agency, a withheld unit, a first
round with nothing to compare with)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.text import Text

from reports import display, figures
from reports.builder import build_report
from reports.figures import (
    Chart,
    change_chart,
    domain_scores_chart,
    heatmap_chart,
    item_chart,
    png_bytes,
    role_chart,
    summary_chart,
    svg_text,
    trend_chart,
)
from reports.words import (
    number,
    percent,
    reason_text,
    role_name,
    verdict_name,
    withheld_words,
)
from scoring.change import DECLINED, IMPROVED, STABLE, TOO_FEW
from scoring.disclosure import SHOWN, WITHHELD
from storage.bootstrap import initialize
from storage.engine import make_engine, session_factory, transaction
from storage.models import Round

CHARTS = {
    "domains": domain_scores_chart,
    "change": change_chart,
    "trend": trend_chart,
    "heatmap": heatmap_chart,
    "items": lambda report, lang: item_chart(report, "SAF", lang),
    "roles": role_chart,
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('figures') / 'demo.db'}"
    initialize(url, demo=True)
    engine = make_engine(url)
    try:
        with transaction(session_factory(engine)) as session:
            round_ = session.get(Round, 3)
            agency = build_report(session, round_)
            hidden = next(c for c in agency.units if c.status == WITHHELD)
            return {
                "agency": agency,
                "withheld": build_report(session, round_, int(hidden.key)),
                "first": build_report(session, session.get(Round, 1)),
            }
    finally:
        engine.dispose()


@pytest.mark.parametrize("name", sorted(CHARTS))
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_chart_is_a_figure_with_alt_text_and_no_pyplot_state(reports, name, lang):
    before = plt.get_fignums()
    chart = CHARTS[name](reports["agency"], lang)
    assert isinstance(chart, Chart)
    assert isinstance(chart.figure, Figure)
    assert len(chart.alt) > 80
    assert any(ch.isdigit() for ch in chart.alt)
    assert plt.get_fignums() == before  # nothing registered with pyplot
    assert png_bytes(chart, 60).startswith(b"\x89PNG")


def test_domain_chart_alt_states_each_mean_ci_and_favorable(reports):
    report = reports["agency"]
    alt = domain_scores_chart(report, "en").alt
    for d in report.domains:
        ci = display.mean_ci(d)  # held within the scale
        favorable = display.favorable(d)
        assert (f"{d.title['en']}: mean {number(d.mean, 'en')} (95% CI "
                f"{number(ci[0], 'en')} to {number(ci[1], 'en')}), "
                + ("% favorable not shown" if favorable is None else
                   f"{percent(favorable, 'en')} favorable")) in alt
    spanish = domain_scores_chart(report, "es").alt
    assert f"media {number(report.domains[0].mean, 'es')}" in spanish
    assert "," in number(report.domains[0].mean, "es")


def test_change_chart_says_the_verdicts_and_how_many_items_compared(reports):
    report = reports["agency"]
    chart = change_chart(report, "en")
    counts = {v: sum(c.verdict == v for c in report.change)
              for v in (IMPROVED, DECLINED, STABLE, TOO_FEW)}
    assert counts[IMPROVED] and counts[DECLINED], "the demo improves and declines"
    assert (f"{counts[IMPROVED]} improved, {counts[DECLINED]} declined, "
            f"{counts[STABLE]} stable and {counts[TOO_FEW]} too few to tell") in chart.alt
    for c in report.change:
        assert f"comparable on {c.n_items_compared} of {c.n_items} items" in chart.alt
        assert verdict_name(c.verdict, "en") in chart.alt
    assert "◆ stable   ○ too few to tell" in chart.figure.axes[0].get_xlabel()  # the legend
    texts = [t.get_text() for ax in chart.figure.axes for t in ax.texts]
    assert any(t.startswith("▲ improved") for t in texts)
    assert any(t.startswith("▼ declined") for t in texts)


def test_heatmap_marks_withheld_rows_by_hatch_and_label(reports):
    report = reports["agency"]
    chart = heatmap_chart(report, "en")
    withheld = [c for c in report.units if c.status == WITHHELD]
    k = report.min_group_size
    texts = [t.get_text() for ax in chart.figure.axes for t in ax.texts]
    for cell in withheld:  # each row says its own reason, on the chart and in the alt text
        reason = withheld_words(cell.reason, "en", k)
        assert reason in texts
        assert f"{cell.name}: {reason}" in chart.alt
    assert {c.reason for c in withheld} == {"below_k", "protects_smaller"}
    assert f"withheld: fewer than {k} answered" in texts
    assert "withheld to protect a smaller group" in texts
    hatched = [p for ax in chart.figure.axes for p in ax.patches if p.get_hatch()]
    held_cells = sum(len(c.domain_reasons) for c in report.units if c.status == SHOWN)
    assert len(hatched) == len(withheld) + held_cells
    shown = [c for c in report.units if c.status == SHOWN]
    assert f"{len(shown)} units shown, {len(withheld)} withheld" in chart.alt


def test_item_chart_alt_gives_favorable_and_not_applicable_per_item(reports):
    report = reports["agency"]
    domain = report.domain("SAF")
    alt = item_chart(report, "SAF", "en").alt
    for item in domain.items:
        assert (f"{item.item_id}: {percent(item.pct_favorable, 'en')} favorable") in alt
        assert f"{percent(item.pct_na, 'en')} not applicable ({item.n} answers)" in alt
    assert "reverse-worded items are flipped" in alt


def test_role_chart_names_the_withheld_roles_without_numbers(reports):
    report = reports["agency"]
    alt = role_chart(report, "en").alt
    for cell in report.roles:
        name = role_name(cell.name, "en")
        if cell.status == SHOWN:
            assert f"{name} (n = {cell.n})" in alt
        else:
            assert f"{name} (n =" not in alt
            assert (f"{name} ({reason_text(cell.reason, 'en', report.min_group_size)})"
                    in alt.split("Not shown")[1])


def test_trend_chart_has_one_panel_per_domain_and_names_the_rounds(reports):
    report = reports["agency"]
    chart = trend_chart(report, "en")
    visible = [ax for ax in chart.figure.axes if ax.get_visible() and ax.axison]
    assert len(visible) == len(report.domains)
    for point in report.trend:
        assert point.round_name in chart.alt


@pytest.mark.parametrize("name", sorted(set(CHARTS) - {"roles"}))
def test_a_withheld_scope_gets_a_figure_that_says_so(reports, name):
    report = reports["withheld"]
    chart = CHARTS[name](report, "en")
    assert isinstance(chart.figure, Figure)
    reason = reason_text(report.scope_reason, "en", report.min_group_size)
    assert chart.alt == f"Results for {report.scope_name} are withheld: {reason}."


def test_a_first_round_change_chart_says_there_is_no_earlier_round(reports):
    chart = change_chart(reports["first"], "es")
    assert "no hay una ronda anterior" in chart.alt


def test_svg_output_needs_no_external_resource(reports):
    svg = svg_text(domain_scores_chart(reports["agency"], "en"))
    assert svg.lstrip().startswith("<?xml")
    assert "xlink:href=\"http" not in svg and "href=\"http" not in svg


# -- the board report's figures: nothing clipped, a readable difference heat map ---------------


BOARD_CHARTS = {
    **CHARTS,
    "heatmap_difference": lambda report, lang: heatmap_chart(report, lang, view="difference"),
    "summary": summary_chart,
}


@pytest.mark.parametrize("name", sorted(BOARD_CHARTS))
@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_text_of_a_chart_is_cut_off_by_its_edges(reports, name, lang):
    """Every title, label and number lies inside the figure (a clipped title is the symptom)."""
    chart = BOARD_CHARTS[name](reports["agency"], lang)
    figure = chart.figure
    canvas = FigureCanvasAgg(figure)  # the canvas a PNG is saved with
    canvas.draw()  # lays the figure out as it is saved
    renderer = canvas.get_renderer()
    box = figure.bbox
    for text in figure.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        extent = text.get_window_extent(renderer)
        assert extent.x0 >= box.x0 - 1 and extent.x1 <= box.x1 + 1, (name, text.get_text())
        assert extent.y0 >= box.y0 - 1 and extent.y1 <= box.y1 + 1, (name, text.get_text())


def test_heatmap_difference_view_writes_each_signed_difference_from_the_agency(reports):
    report = reports["agency"]
    chart = heatmap_chart(report, "en", view="difference")
    reference = report.units[0]
    assert reference.status == SHOWN and reference.name == report.scope_name
    texts = [t.get_text() for ax in chart.figure.axes for t in ax.texts]
    expected = []
    for cell in report.units[1:]:
        if cell.status != SHOWN:
            continue
        for domain_id, value in cell.means.items():
            base = reference.means.get(domain_id)
            if value is not None and base is not None:
                expected.append(number(value - base, "en", 1, signed=True))
    assert expected and all(e in texts for e in expected)
    assert any(e.startswith("−") for e in expected) and any(e.startswith("+") for e in expected)
    # the legend says which side is better, and the alt text says what the numbers are
    legend = " ".join(t.get_text() for t in chart.figure.findobj(Text))
    assert "better" in legend and report.scope_name in legend
    assert "difference from" in chart.alt


def test_heatmap_difference_view_gives_withheld_cells_no_colour(reports):
    report = reports["agency"]
    k = report.min_group_size
    chart = heatmap_chart(report, "en", view="difference")
    texts = [t.get_text() for ax in chart.figure.axes for t in ax.texts]
    for cell in report.units:
        if cell.status == WITHHELD:
            assert withheld_words(cell.reason, "en", k) in texts
    hatched = [p for ax in chart.figure.axes for p in ax.patches if p.get_hatch()]
    held_cells = sum(len(c.domain_reasons) for c in report.units if c.status == SHOWN)
    assert len(hatched) == len([c for c in report.units if c.status == WITHHELD]) + held_cells
    grey = to_rgba(figures.WITHHELD_FILL)
    assert all(tuple(p.get_facecolor()) == grey for p in hatched)


def test_heatmap_difference_view_is_translated(reports):
    chart = heatmap_chart(reports["agency"], "es", view="difference")
    legend = " ".join(t.get_text() for t in chart.figure.findobj(Text))
    assert "mejor" in legend and "diferencia" in chart.alt.lower()


def test_every_heatmap_cell_number_has_enough_contrast_on_its_colour():
    """WCAG AA (4.5:1) for the number written in a cell, whatever the cell's colour, in both
    views."""
    for cmap, values in ((figures.DIFFERENCE_CMAP, np.linspace(0, 1, 201)),
                         (figures.SCORES_CMAP, np.linspace(0, 1, 201))):
        for v in values:
            face = figures.colormaps[cmap](v)
            ink = figures.text_colour(face)
            assert figures.contrast(to_rgba(ink), face) >= 4.5, (cmap, v)
