"""The display rules (`reports.display`) through `build_report` on a real SQLite database, in the
document the PDF and HTML share, the PDF and HTML themselves, the XLSX and the CSV, in English
and Spanish (`reports.display`): reliability only from 30 complete responses, a negative alpha
in words, omega withheld with its reason, ICCs below 0 as 0, mean intervals within the scale,
% favorable on the scored respondents and never without its mean, agreement in LeBreton &
Senter's bands; and a report frozen before these rules still renders by them.

The round is `tests.display_rules_world` (its docstring says which domain hits which rule)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re

import numpy as np
import openpyxl
import pytest
from pypdf import PdfReader

from reports import display
from reports.builder import build_report
from reports.document import Table, all_blocks, report_document, row_text
from reports.figures import domain_scores_chart
from reports.frozen import decode_report, encode_report
from reports.html_export import report_html
from reports.pdf_export import report_pdf
from reports.table_export import aggregate_records, report_csv, report_xlsx
from reports.words import word
from storage.bootstrap import initialize
from storage.engine import make_engine, session_factory, transaction
from storage.models import Round
from storage.organization_repo import create_organization
from tests.display_rules_world import TRN_UNSCORED, K, add_display_round, keyed_answers

LANGS = ("en", "es")
# a number with two decimals as the reports write it, in either language, with any sign
NUMBER = re.compile(r"[−-]?\d+[.,]\d\d")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The agency's report of the edge-case round, read back as frozen JSON (what pages and
    exports read)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('display') / 'display.db'}"
    initialize(url)
    engine = make_engine(url)
    try:
        factory = session_factory(engine)
        with transaction(factory, write=True) as session:
            round_id = add_display_round(session, create_organization(session, "Edge agency")).id
        with transaction(factory) as session:
            built = build_report(session, session.get(Round, round_id))
    finally:
        engine.dispose()
    return decode_report(encode_report(built))


@pytest.fixture(scope="module")
def documents(report):
    return {lang: report_document(report, lang, item_charts=False) for lang in LANGS}


@pytest.fixture(scope="module")
def pdf_text(report):
    out = {}
    for lang in LANGS:
        reader = PdfReader(io.BytesIO(report_pdf(report, lang)))
        out[lang] = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    return out


@pytest.fixture(scope="module")
def html_text(report):
    return {lang: " ".join(re.sub(r"<[^>]+>", " ", report_html(report, lang)).split())
            for lang in LANGS}


@pytest.fixture(scope="module")
def csv_rows(report):
    text = report_csv(report, "en")[0].decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def xlsx_domains(report):
    """{lang: {domain id: {header: cell value}}} of the domains sheet."""
    out = {}
    for lang in LANGS:
        sheet = openpyxl.load_workbook(io.BytesIO(report_xlsx(report, lang)))["domains"]
        rows = list(sheet.iter_rows(values_only=True))
        out[lang] = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    return out


def reliability_row(documents, lang: str, domain_id: str, report) -> tuple[str, ...]:
    title = report.domain(domain_id).title[lang]
    [table] = [b for b in all_blocks(documents[lang])
               if isinstance(b, Table) and b.caption == word("tab.reliability", lang)]
    [row] = [r for r in table.rows if r.cells[0] == title]
    return row_text(row)


def domain_row(documents, lang: str, domain_id: str, report) -> tuple[str, ...]:
    title = report.domain(domain_id).title[lang]
    [table] = [b for b in all_blocks(documents[lang])
               if isinstance(b, Table) and b.caption == word("tab.domains", lang)]
    [row] = [r for r in table.rows if r.cells[0] == title]
    return row_text(row)


def record(csv_rows, domain_id: str, statistic: str) -> dict[str, str]:
    [row] = [r for r in csv_rows if r["section"] == "domain" and r["domain"] == domain_id
             and r["statistic"] == statistic]
    return row


# -- reliability -------------------------------------------------------------------------------


def test_a_negative_alpha_is_said_in_words_with_no_number_and_no_interval(
        report, documents, pdf_text, html_text, csv_rows, xlsx_domains):
    fnd = report.domain("FND")
    assert fnd.n_complete == 40 and fnd.alpha is not None and fnd.alpha < 0  # kept as computed
    alpha = f"{fnd.alpha:.2f}".replace("-", "")
    for lang in LANGS:
        words = word("disp.alpha.negative", lang)
        row = reliability_row(documents, lang, "FND", report)
        assert row[2] == words and not NUMBER.search(row[2])
        assert words in pdf_text[lang] and words in html_text[lang]
        assert xlsx_domains[lang]["FND"][word("xl.alpha", lang)] == words
        assert xlsx_domains[lang]["FND"][word("xl.alpha_ci_low", lang)] == words
        for text in (pdf_text[lang], html_text[lang]):
            assert f"−{alpha}" not in text and f"-{alpha}" not in text
            assert f"−{alpha.replace('.', ',')}" not in text
    for statistic in ("alpha", "alpha_ci_low", "alpha_ci_high", "alpha_ci_method"):
        row = record(csv_rows, "FND", statistic)
        assert (row["value"], row["status"], row["reason"]) == (
            "", "not available", display.NEGATIVE_ALPHA)


def test_omega_is_withheld_naming_the_items_that_seem_reversed(
        report, documents, pdf_text, html_text, csv_rows, xlsx_domains):
    fnd = report.domain("FND")
    assert fnd.omega is None and fnd.omega_withheld == "reversed"
    assert set(fnd.reversed_items) == {"FND-05", "FND-06"}
    expected = {"en": "items FND-05 and FND-06 seem reversed: check their keying",
                "es": "los ítems FND-05 y FND-06 parecen invertidos: revise su codificación"}
    for lang in LANGS:
        assert reliability_row(documents, lang, "FND", report)[3] == expected[lang]
        assert expected[lang] in pdf_text[lang] and expected[lang] in html_text[lang]
        assert xlsx_domains[lang]["FND"][word("col.omega", lang)] == expected[lang]
    row = record(csv_rows, "FND", "omega")
    assert (row["value"], row["status"], row["reason"]) == (
        "", "not available", display.OMEGA_REVERSED)


def test_omega_as_scored_comes_with_its_fit_and_alpha_names_its_interval_method(
        report, documents, csv_rows):
    saf = report.domain("SAF")
    assert saf.omega is not None and saf.omega_rmsr is not None and saf.omega_ci is not None
    assert saf.alpha_ci_method in ("feldt", "bootstrap")
    row = reliability_row(documents, "en", "SAF", report)
    method = "Feldt" if saf.alpha_ci_method == "feldt" else "bootstrap"
    assert row[2] == (f"{saf.alpha:.2f} (95% CI {saf.alpha_ci[0]:.2f} – {saf.alpha_ci[1]:.2f}, "
                      f"{method})")
    assert row[3] == (f"{saf.omega:.2f} (95% CI {saf.omega_ci[0]:.2f} – {saf.omega_ci[1]:.2f}, "
                      f"bootstrap; one-factor RMSR {saf.omega_rmsr:.2f})")
    assert float(record(csv_rows, "SAF", "omega_rmsr")["value"]) == saf.omega_rmsr
    assert record(csv_rows, "SAF", "alpha_ci_method")["value"] == saf.alpha_ci_method


def test_reliability_needs_thirty_complete_responses_and_says_so(
        report, documents, pdf_text, csv_rows, xlsx_domains):
    tru, wel = report.domain("TRU"), report.domain("WEL")
    assert tru.n_complete == 5 and tru.alpha is None and tru.omega is None
    assert wel.n_complete is None  # two complete responses: fewer than k, not even the count
    said = {
        "TRU": {"en": "reliability needs at least 30 complete responses; 5 here",
                "es": "la fiabilidad necesita al menos 30 respuestas completas; aquí hay 5"},
        "WEL": {"en": "reliability needs at least 30 complete responses; fewer than 5 here",
                "es": "la fiabilidad necesita al menos 30 respuestas completas; aquí hay menos "
                      "de 5"},
    }
    for domain_id, texts in said.items():
        for lang in LANGS:
            row = reliability_row(documents, lang, domain_id, report)
            assert row[2] == texts[lang]
            assert not any(NUMBER.search(cell) for cell in row[1:5])
            assert texts[lang] in pdf_text[lang]
            assert xlsx_domains[lang][domain_id][word("xl.alpha", lang)] == texts[lang]
    for statistic in ("alpha", "alpha_ci_low", "omega", "omega_rmsr"):
        assert record(csv_rows, "TRU", statistic)["reason"] == display.TOO_FEW_COMPLETE
        assert record(csv_rows, "TRU", statistic)["value"] == ""
        assert record(csv_rows, "WEL", statistic)["reason"] == "below_k"
    assert record(csv_rows, "TRU", "n_complete")["value"] == "5"
    assert record(csv_rows, "WEL", "n_complete")["value"] == ""


# -- between units -----------------------------------------------------------------------------


def test_an_icc2_below_zero_is_shown_as_zero_with_words(report, documents, pdf_text, csv_rows,
                                                         xlsx_domains):
    saf = report.domain("SAF")
    assert saf.icc2 < -100 and saf.icc1 < 0  # the units' means hardly differ: kept raw
    assert saf.icc_n0 == pytest.approx(20.0) and saf.icc_group_size == pytest.approx(20.0)
    expected = {
        "en": "units do not differ reliably (ICC(1) 0.00 with N/G = 20.0, 0.00 with n0 = 20.0, "
              "ICC(2) 0.00)",
        "es": "las unidades no difieren de forma fiable (ICC(1) 0,00 con N/G = 20,0, 0,00 con "
              "n0 = 20,0, ICC(2) 0,00)",
    }
    raw = f"{abs(saf.icc2):.2f}"
    for lang in LANGS:
        assert reliability_row(documents, lang, "SAF", report)[6] == expected[lang]
        assert expected[lang] in pdf_text[lang]
        assert raw not in pdf_text[lang] and raw.replace(".", ",") not in pdf_text[lang]
        assert xlsx_domains[lang]["SAF"]["ICC(2)"] == 0
        assert xlsx_domains[lang]["SAF"]["ICC(1)"] == 0
    assert float(record(csv_rows, "SAF", "icc2")["value"]) == 0.0
    assert float(record(csv_rows, "SAF", "icc1")["value"]) == 0.0
    assert float(record(csv_rows, "SAF", "icc1_n0")["value"]) == 0.0


def test_icc1_is_given_with_n0_beside_n_over_g(report):
    """TRN's unscored respondents are all in South: the units' scored sizes are 20 and 10, so
    n0 = (N − Σnⱼ²/N) / (G − 1) = 30 − 500/30 = 13.33 differs from N/G = 15."""
    trn = report.domain("TRN")
    assert trn.icc_group_size == pytest.approx(15.0)
    assert trn.icc_n0 == pytest.approx(30 - (20**2 + 10**2) / 30)
    assert "with N/G = 15.0" in display.icc_words(trn, "en")
    assert "with n0 = 13.3" in display.icc_words(trn, "en")


def test_agreement_is_read_in_lebreton_and_senters_bands(report, documents, pdf_text):
    tru = report.domain("TRU")
    [north] = tru.unit_agreement  # South has no complete TRU response: not listed
    assert north.unit == "Edge cases North" and north.n == K and north.band == "lack"
    assert tru.low_agreement_units == ("Edge cases North",)
    assert "Weak or lacking agreement in: Edge cases North (lack of agreement, rwg(j) 0.00" \
        in reliability_row(documents, "en", "TRU", report)[5]
    assert "Acuerdo débil o inexistente en: Edge cases North (falta de acuerdo" \
        in reliability_row(documents, "es", "TRU", report)[5]
    assert "lack of agreement" in pdf_text["en"]
    for d in report.domains:
        for unit in d.unit_agreement:  # every per-unit number rests on at least k people
            assert unit.n >= K and unit.band in display.BANDS
        assert "disagree strongly" not in display.agreement_words(d, "en")
    assert "two camps" not in pdf_text["en"] and "disagree strongly" not in pdf_text["en"]


# -- means and % favorable ---------------------------------------------------------------------


def test_a_mean_interval_beyond_the_scale_is_held_within_it(report, documents, pdf_text,
                                                             csv_rows, xlsx_domains):
    tru = report.domain("TRU")
    assert tru.mean == pytest.approx(3.4)
    # t interval 3.4 ± t(.975, 4) · sd / √5 = 3.4 ± 2.7203: R t.test(c(1, 1, 5, 5, 5))$conf.int
    # gives 0.6796505 6.1203495
    assert tru.ci == pytest.approx((0.6796505, 6.1203495), abs=1e-7)
    assert display.mean_ci(tru) == (1.0, 5.0) and display.ci_clipped(tru)
    assert domain_row(documents, "en", "TRU", report)[3] == "1.00 – 5.00"
    assert domain_row(documents, "es", "TRU", report)[3] == "1,00 – 5,00"
    for lang in LANGS:
        for raw in ("0.68 – 6.12", "0,68 – 6,12", "0.7 to 6.1", "0,7 a 6,1"):
            assert raw not in pdf_text[lang]
        row = xlsx_domains[lang]["TRU"]
        assert (row[word("xl.ci_low", lang)], row[word("xl.ci_high", lang)]) == (1.0, 5.0)
    assert word("disp.note.ci_clipped", "en", domains="TRU", low="1", high="5") \
        in pdf_text["en"]
    assert (float(record(csv_rows, "TRU", "ci_low")["value"]),
            float(record(csv_rows, "TRU", "ci_high")["value"])) == (1.0, 5.0)
    alt = domain_scores_chart(report, "en").alt
    assert "(95% CI 1.0 to 5.0)" in alt and "6.1" not in alt


def test_no_favorable_share_where_nobody_reached_the_min_answered_rule(
        report, documents, csv_rows, xlsx_domains):
    voi = report.domain("VOI")
    assert voi.n_scored is None and voi.mean is None and voi.pct_favorable is None
    assert display.favorable(voi) is None
    assert voi.items[0].n == 40  # its first item is answered by all and shown
    row = domain_row(documents, "en", "VOI", report)
    assert not re.search(r"\d+ ?%", " ".join(row))
    assert record(csv_rows, "VOI", "pct_favorable")["value"] == ""
    assert not isinstance(xlsx_domains["en"]["VOI"][word("col.favorable", "en")], float)


def test_favorable_rests_on_the_scored_respondents_like_the_mean(report):
    """TRN: ten people answered only TRN-01, with a 5; they have no score, so their answers
    are not in the domain's % favorable (they are in TRN-01's own)."""
    from instruments.registry import resolve

    instrument = resolve("ti-staff@1.1.0")
    ids = [item.id for item in instrument.domain("TRN").items]
    keyed = keyed_answers(instrument)
    answers = np.array([[keyed[r].get(i, np.nan) for i in ids]
                        for r in range(len(keyed)) if r not in TRN_UNSCORED], dtype=float)
    expected = 100 * np.isin(answers, (4, 5)).sum() / np.isfinite(answers).sum()
    trn = report.domain("TRN")
    assert trn.n_scored == 30 and trn.pct_favorable == pytest.approx(expected, abs=1e-12)
    first = trn.items[0]
    assert first.n == 40 and first.pct_favorable > trn.pct_favorable


def test_favorable_is_withheld_when_fewer_than_k_unscored_people_answered(
        report, documents, csv_rows):
    """EQU: three people answered one item only. The items' own counts include them, so a
    domain share on the other 37 would let their answers be worked out: withheld."""
    equ = report.domain("EQU")
    assert equ.mean is not None and equ.pct_favorable is None
    assert equ.pct_favorable_reason == "protects_smaller"
    assert domain_row(documents, "en", "EQU", report)[5] == "protects a smaller group"
    alt = domain_scores_chart(report, "en").alt
    assert f"{equ.title['en']}: mean {equ.mean:.1f}" in alt
    assert "% favorable not shown" in alt and "— favorable" not in alt
    row = record(csv_rows, "EQU", "pct_favorable")
    assert (row["value"], row["status"], row["reason"]) == ("", "withheld", "protects_smaller")


def test_the_codebook_explains_the_display_rules(report):
    codebook = dict(tuple(r) for r in csv.reader(io.StringIO(
        report_csv(report, "en")[1].decode("utf-8-sig"))))
    for code in (display.TOO_FEW_COMPLETE, display.NEGATIVE_ALPHA, display.OMEGA_REVERSED,
                 display.OMEGA_MULTIDIMENSIONAL):
        assert f"reason={code}" in codebook
    assert "held within the scale" in codebook["ci_low"]
    assert "written as 0" in codebook["icc2"]
    assert "staff with a score" in codebook["pct_favorable"]


# -- reports frozen before ---------------------------------------------------------------------


NEW_DOMAIN_FIELDS = ("alpha_ci_method", "omega_ci", "omega_rmsr", "omega_withheld",
                     "reversed_items", "icc1_n0", "icc_n0", "icc_group_size", "unit_agreement",
                     "pct_favorable_reason")


def as_stored_before(report, edit=None) -> str:
    """The report's JSON as tisa stored it before these rules: none of the new fields, and
    the split flag under its old name."""
    data = json.loads(encode_report(report))
    for domain in data["domains"]:
        for name in NEW_DOMAIN_FIELDS:
            del domain[name]
        domain["polarized_units"] = domain.pop("split_units")
        if edit is not None:
            edit(domain)
    return json.dumps(data, ensure_ascii=False)


def test_a_report_frozen_with_the_old_fields_still_renders(report):
    old = decode_report(as_stored_before(
        report, lambda d: d.update(polarized_units=["Edge cases South"])))
    assert old.domain("SAF").split_units == ("Edge cases South",)
    assert old.domain("SAF").unit_agreement == () and old.domain("SAF").omega_rmsr is None
    for lang in LANGS:
        assert report_pdf(old, lang).startswith(b"%PDF")
        report_xlsx(old, lang)
        report_html(old, lang)
    assert {r.statistic for r in aggregate_records(old)} >= {"alpha", "omega", "icc2"}
    text = report_html(old, "en")
    assert "Answers fall into two separate groups in: Edge cases South." in text
    # an alpha frozen without its method reads as Feldt's, the only method there was
    saf = old.domain("SAF")
    assert display.alpha_text(saf, "en", K).endswith(", Feldt)")


def test_a_report_frozen_before_follows_the_display_rules_too(report):
    """The old builder kept alpha, its interval and omega from k complete responses on, and
    negative ICCs as they came: read back now, none of them shows as a number."""
    def stored_like_before(domain):
        if domain["domain_id"] == "TRU":
            domain.update(alpha=-4.06, alpha_ci=[-17.88, 0.41], omega=0.98,
                          reliability_flags=["too few to judge reliability"])

    old = decode_report(as_stored_before(report, stored_like_before))
    tru = old.domain("TRU")
    assert tru.alpha == -4.06  # kept as it was frozen ...
    document = report_document(old, "en", item_charts=False)
    row = reliability_row({"en": document}, "en", "TRU", old)
    assert row[2] == "reliability needs at least 30 complete responses; 5 here"  # ... not shown
    text = report_html(old, "en")
    assert "4.06" not in text and "17.88" not in text and "0.98" not in text
    csv_text = report_csv(old, "en")[0].decode("utf-8-sig")
    assert "4.06" not in csv_text and "17.88" not in csv_text  # with either minus sign


def test_display_helpers_keep_nothing_of_a_withheld_domain(report):
    voi = report.domain("VOI")
    shown = display.reliability_shown(voi, K)
    assert not shown.shown and shown.alpha is None and shown.omega is None
    assert display.mean_ci(voi) is None
    withheld = dataclasses.replace(report.domain("SAF"), status="withheld", reason="below_k")
    assert display.alpha_text(withheld, "en", K) == "—"
    assert display.agreement_words(withheld, "en") == "—"


def test_omega_of_items_that_measure_more_than_one_thing_is_withheld_with_its_fit(report):
    """A multidimensional domain as the builder stores it (scoring.reliability withholds omega
    when the one-factor RMSR is poor): the words, with the RMSR beside them."""
    two = dataclasses.replace(report.domain("SAF"), omega=None,
                              omega_withheld="multidimensional", omega_rmsr=0.26, omega_ci=None)
    assert display.omega_text(two, "en", K) == (
        "these items measure more than one thing (one-factor RMSR 0.26)")
    assert display.omega_text(two, "es", K) == (
        "estos ítems miden más de una cosa (RMSR de un factor 0,26)")
    assert display.reliability_kind(two, K) == "caution"
    records = [r for r in aggregate_records(dataclasses.replace(report, domains=(two,)))
               if r.statistic == "omega"]
    assert [(r.value, r.reason) for r in records] == [(None, display.OMEGA_MULTIDIMENSIONAL)]


def test_reliability_waits_for_k_complete_responses_when_k_is_above_thirty(report):
    saf = dataclasses.replace(report.domain("SAF"), n_complete=35)
    assert display.reliability_minimum(40) == 40 and display.reliability_minimum(5) == 30
    assert not display.reliability_shown(saf, 40).shown
    assert display.alpha_text(saf, "en", 40) == (
        "reliability needs at least 40 complete responses; 35 here")
    assert display.reliability_shown(saf, 5).shown
