"""`tisa codes issue --all-units` and the survey address on codes, against a real SQLite file."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa
from pypdf import PdfReader

from storage.models import AccessCode, AuditEvent
from tests.cli.test_round_cli import agency, count, create_round, db, run  # noqa: F401

CODE = r"[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}"


def test_codes_for_every_invited_unit_at_once(agency, tmp_path):  # noqa: F811
    round_id = str(create_round()["id"])  # intake 12 invited, foster 4, north-region none
    out = tmp_path / "codes.csv"
    result = run("codes", "issue", round_id, "--all-units", "--out", str(out))
    assert "16 codes for 2 units" in result.stdout
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "organization,round,unit,survey_url,code"
    units = [line.split(",")[2] for line in lines[1:]]
    assert units == ["Foster care"] * 4 + ["Intake"] * 12
    for line in lines[1:]:
        url, code = line.split(",")[3:]
        assert re.fullmatch(CODE, code)
        assert url == f"http://localhost:8501/survey?code={code}"
    assert count(agency, sa.select(sa.func.count()).select_from(AccessCode)) == 16
    # a second time there is nothing left to issue: refused, no file, nothing stored
    again = tmp_path / "again.pdf"
    refused = run("codes", "issue", round_id, "--all-units", "--out", str(again), ok=False)
    assert refused.exit_code == 2
    assert "every invited unit already has a code for each person invited" in refused.stderr
    assert not again.exists()
    assert count(agency, sa.select(sa.func.count()).select_from(AccessCode)) == 16
    assert count(
        agency, sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "codes.issue")
    ) == 2


def test_slips_for_every_invited_unit(agency, tmp_path):  # noqa: F811
    round_id = str(create_round()["id"])
    out = tmp_path / "slips.pdf"
    run("codes", "issue", round_id, "--all-units", "--out", str(out),
        "--base-url", "https://tisa.example.org/")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages]
    assert len(pages) == 3  # foster's 4 on one page, intake's 12 on two
    assert "Foster care" in pages[0] and "Intake" in pages[1]
    text = re.sub(r"\s+", "", "".join(pages))
    codes = re.findall(CODE, "".join(pages))
    assert len(set(codes)) == 16
    assert f"https://tisa.example.org/survey?code={codes[0]}&lang=es" in text


def test_codes_issue_names_what_is_wrong_with_its_options(agency, tmp_path):  # noqa: F811
    round_id = str(create_round()["id"])
    out = str(tmp_path / "codes.csv")
    cases = [
        ((), "give --unit UNIT --count N, or --all-units"),
        (("--unit", "intake"), "--count: how many codes for intake"),
        (("--all-units", "--unit", "intake"), "--all-units issues codes for every unit"),
        (("--all-units", "--count", "3"), "--all-units issues codes for every unit"),
        (("--unit", "intake", "--count", "2", "--base-url", "tisa.example.org"),
         "--base-url: the survey's address 'tisa.example.org' must start with http://"),
    ]
    for options, message in cases:
        result = run("codes", "issue", round_id, "--out", out, *options, ok=False)
        assert result.exit_code == 2, options
        assert message in result.stderr, (options, result.stderr)
    assert count(agency, sa.select(sa.func.count()).select_from(AccessCode)) == 0


# -- the paper questionnaire -----------------------------------------------------------------


def test_paper_form_in_spanish_from_the_command_line(agency, tmp_path):  # noqa: F811
    round_id = str(create_round()["id"])
    out = tmp_path / "form.pdf"
    result = run("paper", "form", round_id, "--lang", "es", "--out", str(out))
    assert f"written to {out}" in result.stdout
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
        .split()
    )
    assert "No escriba su nombre" in text and "(columna unit)" in text
    assert "Foster care [foster]" in text and "Intake [intake]" in text
    assert "North Region [north-region]" not in text  # nobody invited there


def test_paper_form_names_what_is_wrong(agency, tmp_path):  # noqa: F811
    round_id = str(create_round()["id"])
    out = tmp_path / "form.pdf"
    out.write_bytes(b"kept")
    cases = [
        (("--lang", "fr", "--out", str(tmp_path / "x.pdf")),
         "--lang: 'fr' is not a language of the round; choose one of en, es"),
        (("--out", str(out)), f"--out: {out} exists"),
        (("--out", str(tmp_path / "x.txt")), "must end in .pdf"),
    ]
    for options, message in cases:
        result = run("paper", "form", round_id, *options, ok=False)
        assert result.exit_code == 2, options
        assert message in result.stderr, (options, result.stderr)
    assert out.read_bytes() == b"kept"
    missing = run("paper", "form", "99", "--out", str(tmp_path / "y.pdf"), ok=False)
    assert missing.exit_code == 2 and "99" in missing.stderr


def test_codes_take_the_public_address_of_the_app(agency, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("TISA_PUBLIC_URL", "https://tisa.example.org/")
    round_id = str(create_round()["id"])
    out = tmp_path / "codes.csv"
    run("codes", "issue", round_id, "--unit", "intake", "--count", "1", "--out", str(out))
    [row] = out.read_text(encoding="utf-8-sig").splitlines()[1:]
    assert row.split(",")[3].startswith("https://tisa.example.org/survey?code=")


def test_slips_and_forms_are_on_the_paper_of_the_setting(agency, tmp_path, monkeypatch):  # noqa: F811
    """Letter unless --paper or TISA_PAPER_SIZE says a4, as the report."""
    from reportlab.lib.pagesizes import A4, LETTER

    def height(path):
        return round(float(PdfReader(io.BytesIO(path.read_bytes())).pages[0].mediabox.height))

    round_id = str(create_round()["id"])
    monkeypatch.delenv("TISA_PAPER_SIZE", raising=False)
    letter, a4 = tmp_path / "letter.pdf", tmp_path / "a4.pdf"
    run("codes", "issue", round_id, "--unit", "intake", "--count", "1", "--out", str(letter))
    run("paper", "form", round_id, "--out", str(a4), "--paper", "a4")
    assert (height(letter), height(a4)) == (round(LETTER[1]), round(A4[1]))
    monkeypatch.setenv("TISA_PAPER_SIZE", "A4")
    set_a4 = tmp_path / "set-a4.pdf"
    run("codes", "issue", round_id, "--unit", "intake", "--count", "1", "--out", str(set_a4))
    assert height(set_a4) == round(A4[1])
    monkeypatch.setenv("TISA_PAPER_SIZE", "legal")
    refused = run("paper", "form", round_id, "--out", str(tmp_path / "x.pdf"), ok=False)
    assert refused.exit_code == 2 and "TISA_PAPER_SIZE must be one of letter, a4" in refused.stderr
