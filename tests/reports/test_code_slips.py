"""The codes as they are handed out: the CSV for a mail merge and the printable slips.

- Every row of the CSV carries the survey address with its code, ready to be merged into an
  e-mail, and no cell of it is a live spreadsheet formula.
- Every slip says in each language of the round, in large type, how to answer; each language
  has its own QR code, which opens the survey with the code and in that language
  (``?code=...&lang=es``), and the printed address of the Spanish line is the Spanish one.
- Nothing printed leaves the page, whatever names the agency typed.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader

from reports.code_slips import (
    PER_PAGE,
    SlipRound,
    SurveyAddressRefused,
    codes_csv,
    slip_links,
    slips_pdf,
    survey_base,
    survey_link,
    unit_codes_csv,
    unit_slips_pdf,
)
from reports.print_fonts import register_fonts
from storage.access_codes import new_code
from tests.pdf_text_boxes import text_boxes

BASE = "https://tisa.example.org/survey"


def slip_round(**changes) -> SlipRound:
    fields = dict(
        organization="River County",
        round_name="Spring 2027",
        unit_name="North office",
        closes_on=date(2027, 4, 30),
        languages=("en", "es"),
        survey_url=BASE,
        min_group_size=5,
    )
    fields.update(changes)
    return SlipRound(**fields)


def test_survey_link_carries_the_code_and_the_language():
    assert survey_link(BASE, "K7QXM-2RB9T-WHN46") == f"{BASE}?code=K7QXM-2RB9T-WHN46"
    assert survey_link(BASE, "K7QXM-2RB9T-WHN46", "es") == (
        f"{BASE}?code=K7QXM-2RB9T-WHN46&lang=es"
    )
    assert slip_links(slip_round(), "K7QXM-2RB9T-WHN46") == {
        "en": f"{BASE}?code=K7QXM-2RB9T-WHN46&lang=en",
        "es": f"{BASE}?code=K7QXM-2RB9T-WHN46&lang=es",
    }


def test_codes_csv_has_a_ready_survey_address_per_code():
    text = codes_csv(slip_round(), ["AAAAA-BBBBB-CCCCC", "DDDDD-EEEEE-FFFFF"]).decode("utf-8-sig")
    assert text.splitlines() == [
        "organization,round,unit,survey_url,code",
        f"River County,Spring 2027,North office,{BASE}?code=AAAAA-BBBBB-CCCCC,AAAAA-BBBBB-CCCCC",
        f"River County,Spring 2027,North office,{BASE}?code=DDDDD-EEEEE-FFFFF,DDDDD-EEEEE-FFFFF",
    ]


def test_codes_csv_of_many_units_names_each_codes_unit():
    north, south = slip_round(), slip_round(unit_name="=South office")
    text = unit_codes_csv([(north, ["AAAAA-BBBBB-CCCCC"]), (south, ["DDDDD-EEEEE-FFFFF"])])
    lines = text.decode("utf-8-sig").splitlines()
    assert lines[1].startswith("River County,Spring 2027,North office,")
    assert lines[2].startswith("River County,Spring 2027,'=South office,")  # no live formula
    assert lines[2].endswith(f"{BASE}?code=DDDDD-EEEEE-FFFFF,DDDDD-EEEEE-FFFFF")


# -- the slips -------------------------------------------------------------------------------


def page_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_slip_has_its_code_and_the_instruction_in_each_language():
    codes = [new_code() for _ in range(PER_PAGE + 1)]
    pdf = slips_pdf(slip_round(), codes)
    pages = page_text(pdf)
    assert len(pages) == 2
    text = " ".join("\n".join(pages).split())  # lines wrap where they must
    for code in codes:
        assert text.count(code) == 1, code
    assert text.count("Scan the square with your phone") == len(codes)
    assert text.count("Escanee el cuadro con la cámara") == len(codes)
    assert text.count("Anonymous and voluntary") == len(codes)
    assert text.count("Anónima y voluntaria") == len(codes)
    assert text.count("Open until 2027-04-30") == len(codes)
    # the printed address of each language is that language's: the Spanish one ends in lang=es
    joined = flat(text)
    for code in codes:
        assert flat(f"{BASE}?code={code}&lang=es") in joined
        assert flat(f"{BASE}?code={code}&lang=en") in joined


def test_slips_of_many_units_start_each_unit_on_its_own_page():
    pdf = unit_slips_pdf(
        [
            (slip_round(), ["AAAAA-BBBBB-CCCCC"]),
            (slip_round(unit_name="South"), ["DDDDD-EEEEE-FFFFF"]),
        ]
    )
    pages = page_text(pdf)
    assert len(pages) == 2
    assert "North office" in pages[0] and "AAAAA-BBBBB-CCCCC" in pages[0]
    assert "South" in pages[1] and "DDDDD-EEEEE-FFFFF" in pages[1]


def qr_payloads(pdf: bytes, tmp_path) -> list[str]:
    """Every QR code on the pages, decoded by zbarimg from a 300 dpi rendering."""
    source = tmp_path / "slips.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", str(source), str(tmp_path / "page")], check=True
    )
    found: list[str] = []
    for image in sorted(tmp_path.glob("page*.png")):
        result = subprocess.run(
            ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
            capture_output=True, text=True, check=False,
        )
        found += [line for line in result.stdout.splitlines() if line]
    return found


@pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
    reason="decoding the QR codes needs pdftoppm (poppler-utils) and zbarimg (zbar-tools)",
)
def test_each_qr_code_opens_the_survey_with_the_code_in_its_language(tmp_path):
    codes = [new_code() for _ in range(3)]
    pdf = slips_pdf(slip_round(), codes)
    found = qr_payloads(pdf, tmp_path)
    expected = [survey_link(BASE, code, lang) for code in codes for lang in ("en", "es")]
    assert sorted(found) == sorted(expected)
    for url in found:
        query = parse_qs(urlsplit(url).query)
        assert set(query) == {"code", "lang"}


def test_the_qr_codes_hold_the_links_of_the_slip():
    """What each QR code encodes, read from the widgets the slip draws (the decoding test above
    reads the printed codes themselves where a decoder is installed)."""
    from reports.code_slips import qr_widget

    url = survey_link(BASE, "K7QXM-2RB9T-WHN46", "es")
    assert qr_widget(url, 60).value == url


# -- nothing outside the page ------------------------------------------------------------------


HOSTILE_NAMES = [
    "W" * 200,
    "Área de protección infantil y acompañamiento familiar de la región " * 3,
    r"$\frac{1}{2}$ <b>bold</b> **x** \\",
    "ﷺ" * 60,
]


@pytest.mark.parametrize(
    ("name", "languages"),
    [(name, ("en", "es")) for name in HOSTILE_NAMES] + [(HOSTILE_NAMES[0], ("en",))],
)
def test_nothing_printed_leaves_the_page(name, languages):
    slip = slip_round(
        organization=name, round_name=name, unit_name=name, languages=languages,
        survey_url="https://" + "long-agency-name." * 6 + "example.org/tisa/survey",
    )
    codes = [new_code() for _ in range(PER_PAGE)]
    pdf = slips_pdf(slip, codes)
    register_fonts()
    boxes = text_boxes(pdf)
    assert boxes
    for box in boxes:
        assert box.inside_page(), box
    text = "\n".join(page_text(pdf))
    for code in codes:
        assert code in text


def test_slips_fit_on_letter_paper_too():
    from reportlab.lib.pagesizes import LETTER

    pdf = slips_pdf(slip_round(), [new_code() for _ in range(PER_PAGE)], page_size=LETTER)
    reader = PdfReader(io.BytesIO(pdf))
    assert float(reader.pages[0].mediabox.height) == LETTER[1]
    register_fonts()
    assert all(box.inside_page() for box in text_boxes(pdf))


# -- the address printed and encoded ---------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "https://tisa.example.org",
        "http://localhost:8501/",
        "https://agency.example.org/tisa",
        "https://niños.example.org/",
    ],
)
def test_a_web_address_is_taken_as_the_survey_base(address):
    assert survey_base(address) == address.rstrip("/") + "/survey"


@pytest.mark.parametrize(
    ("address", "what"),
    [
        ("", "is empty"),
        ("tisa.example.org", "must start with http:// or https://"),
        ("javascript:alert(1)", "must start with http:// or https://"),
        ("https://", "has no host"),
        ("https://tisa.example.org/?x=1", "has a query or fragment"),
        ("https://tisa.example.org/#top", "has a query or fragment"),
        ("https://tisa.example.org/a b", "holds a space or control character"),
        ("https://tisa.example.org/\u202eevil", "holds a space or control character"),
        ("https://tisa.example.org/\x00", "holds a space or control character"),
        ("https://x.org/" + "x" * 400, "is longer than 300 characters"),
        (r"$\frac{1}{2}$", "must start with http:// or https://"),
    ],
)
def test_an_address_that_cannot_be_printed_or_encoded_is_refused(address, what):
    with pytest.raises(SurveyAddressRefused) as refused:
        survey_base(address)
    assert what in str(refused.value)
