"""Item lineage between versions: every class, and each domain's verdict."""

from pathlib import Path

from instruments import parse_instrument
from instruments.diff import ItemChange, Verdict, diff_instruments

MINIMAL = (Path(__file__).parent / "data" / "minimal.yaml").read_text()


def revise(*replacements: tuple[str, str]) -> str:
    text = MINIMAL.replace("version: 1.0.0", "version: 1.1.0")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def classes(result):
    return {(d.before_id, d.after_id): d.change for d in result.items}


def test_identical_versions_are_fully_comparable():
    before = parse_instrument(MINIMAL)
    result = diff_instruments(before, parse_instrument(revise()))
    assert {d.change for d in result.items} == {ItemChange.UNCHANGED}
    assert [(d.domain_id, d.verdict) for d in result.domains] == [
        ("SAF", Verdict.COMPARABLE),
        ("TRU", Verdict.COMPARABLE),
    ]
    assert result.domain("SAF").pairs == (("SAF-01", "SAF-01"), ("SAF-02", "SAF-02"))


def test_declared_rewording_stays_comparable():
    after = revise((
        "text: {en: I feel safe at work., es: Me siento seguro en el trabajo.}\n"
        "        scale: agree5",
        "text: {en: I feel safe where I work., es: Me siento seguro donde trabajo.}\n"
        "        scale: agree5\n        lineage: {from: SAF-01, change: reworded}",
    ))
    result = diff_instruments(parse_instrument(MINIMAL), parse_instrument(after))
    assert classes(result)[("SAF-01", "SAF-01")] is ItemChange.REWORDED
    assert result.domain("SAF").verdict is Verdict.COMPARABLE


def test_undeclared_text_change_counts_as_reworded_and_says_so():
    after = revise(("I feel safe at work.", "I feel safe at my job."))
    result = diff_instruments(parse_instrument(MINIMAL), parse_instrument(after))
    (item,) = [d for d in result.items if d.before_id == "SAF-01"]
    assert item.change is ItemChange.REWORDED
    assert "no lineage declared" in item.reason


def test_reverse_flip_is_a_change_even_when_declared_reworded():
    after = revise((
        "        scale: agree5\n        reverse: true",
        "        scale: agree5\n        lineage: {from: SAF-02, change: reworded}",
    ))
    result = diff_instruments(parse_instrument(MINIMAL), parse_instrument(after))
    assert classes(result)[("SAF-02", "SAF-02")] is ItemChange.CHANGED
    saf = result.domain("SAF")
    assert saf.verdict is Verdict.PARTIAL
    assert (saf.n_comparable, saf.n_total) == (1, 2)
    assert saf.summary == "SAF: comparable on 1 of 2 items"


def test_declared_meaning_change_is_not_comparable():
    after = revise((
        "es: La dirección explica sus decisiones.}\n        scale: agree5",
        "es: La dirección explica sus decisiones.}\n        scale: agree5\n"
        "        lineage: {from: TRU-01, change: changed}",
    ))
    result = diff_instruments(parse_instrument(MINIMAL), parse_instrument(after))
    assert classes(result)[("TRU-01", "TRU-01")] is ItemChange.CHANGED
    assert result.domain("TRU").verdict is Verdict.NOT_COMPARABLE


def test_added_and_removed_items():
    after = revise((
        "      - id: SAF-02\n        text: {en: I worry about my safety on home visits., "
        "es: Me preocupa mi seguridad en las visitas a domicilio.}\n        scale: agree5\n"
        "        reverse: true\n",
        "      - id: SAF-03\n        text: {en: I can report a safety concern without blame., "
        "es: Puedo avisar de un riesgo sin que me culpen.}\n        scale: agree5\n",
    ))
    result = diff_instruments(parse_instrument(MINIMAL), parse_instrument(after))
    got = classes(result)
    assert got[(None, "SAF-03")] is ItemChange.ADDED
    assert got[("SAF-02", None)] is ItemChange.REMOVED
    saf = result.domain("SAF")
    assert (saf.verdict, saf.n_comparable, saf.n_total) == (Verdict.PARTIAL, 1, 3)


def test_renamed_item_follows_its_lineage():
    after = revise((
        "      - id: TRU-01\n",
        "      - id: TRU-04\n        lineage: {from: TRU-01, change: unchanged}\n",
    ))
    result = diff_instruments(parse_instrument(MINIMAL), parse_instrument(after))
    assert classes(result)[("TRU-01", "TRU-04")] is ItemChange.UNCHANGED
    assert result.domain("TRU").pairs == (("TRU-01", "TRU-04"),)


def test_json_form_lists_items_and_verdicts():
    after = revise(("I feel safe at work.", "I feel safe at my job."))
    data = diff_instruments(parse_instrument(MINIMAL), parse_instrument(after)).to_dict()
    assert data["before"] == "tiny@1.0.0" and data["after"] == "tiny@1.1.0"
    assert data["domains"]["SAF"]["verdict"] == "comparable"
    expected = {"change": "reworded", "domain": "SAF", "before": "SAF-01", "after": "SAF-01"}
    assert expected.items() <= next(i for i in data["items"] if i["before"] == "SAF-01").items()
