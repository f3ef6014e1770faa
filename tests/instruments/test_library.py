"""The bundled instrument library: every file loads, and the forms keep the promises they make."""

from collections import Counter

from instruments.model import Form, Instrument, Status, localized_places
from instruments.registry import LIBRARY_DIR, library, resolve

EXPECTED = {
    ("ti-leadership", "1.0.0"): Form.LEADERSHIP,
    ("ti-pulse", "1.0.0"): Form.PULSE,
    ("ti-staff", "1.0.0"): Form.STAFF,
    ("ti-staff", "1.1.0"): Form.STAFF,
}

STAFF_DOMAINS = [
    "FND", "SAF", "TRU", "VOI", "EQU", "WEL", "TRN", "SCR", "CAR", "COL", "LEA", "DAT",
]


def staff_versions() -> list[Instrument]:
    return [i for i in library() if i.id == "ti-staff"]


def test_every_bundled_file_loads_through_the_registry():
    found = {(i.id, i.version): i.form for i in library()}
    assert found == EXPECTED
    assert len(list(LIBRARY_DIR.glob("*.yaml"))) == len(EXPECTED)


def test_every_bundled_version_is_published_and_ready_to_launch():
    for instrument in library():
        assert instrument.status is Status.PUBLISHED, instrument.ref
        assert instrument.languages == ["en", "es"], instrument.ref
        assert instrument.scoring.min_answered == 0.75, instrument.ref
        assert instrument.not_applicable["en"] == "Not applicable / unable to rate"
    assert resolve("ti-staff").version == "1.1.0"


def test_staff_form_has_the_twelve_domains_in_order_with_four_to_six_items():
    for staff in staff_versions():
        assert [d.id for d in staff.domains] == STAFF_DOMAINS, staff.ref
        for domain in staff.domains:
            assert 4 <= len(domain.items) <= 6, f"{staff.ref} {domain.id}: {len(domain.items)}"


def test_item_ids_are_unique_within_each_instrument():
    for instrument in library():
        counts = Counter(instrument.item_ids())
        assert [i for i, n in counts.items() if n > 1] == [], instrument.ref


def test_every_item_id_starts_with_its_domain_id():
    for instrument in library():
        for domain, item in instrument.items():
            assert item.id.startswith(f"{domain.id}-"), f"{instrument.ref} {item.id}"


def test_staff_and_leadership_item_ids_never_collide():
    staff_ids = {item_id for staff in staff_versions() for item_id in staff.item_ids()}
    leadership = resolve("ti-leadership@1.0.0")
    assert staff_ids.isdisjoint(leadership.item_ids())
    for item_id in leadership.item_ids():
        assert int(item_id.split("-")[1]) >= 51, item_id


def test_every_text_is_translated_and_the_spanish_is_not_a_copy():
    for instrument in library():
        for place, texts in localized_places(instrument):
            if place[0] == "scales":
                continue
            assert set(texts) == {"en", "es"}, f"{instrument.ref} {place}"
            assert texts["es"] != texts["en"], f"{instrument.ref} {place}: {texts['en']!r}"
        for scale_id, scale in instrument.scales.items():
            assert set(scale.labels) == {"en", "es"}, f"{instrument.ref} {scale_id}"
            for en, es in zip(scale.labels["en"], scale.labels["es"], strict=True):
                assert en != es, f"{instrument.ref} {scale_id}: {en!r}"


def test_staff_reverse_keying_is_sparing_but_present():
    for staff in staff_versions():
        reversed_per_domain = {
            d.id: sum(item.reverse for item in d.items) for d in staff.domains
        }
        assert max(reversed_per_domain.values()) <= 2, (staff.ref, reversed_per_domain)
        with_reverse = [d for d, n in reversed_per_domain.items() if n >= 1]
        assert len(with_reverse) >= 10, (staff.ref, reversed_per_domain)


def test_only_agreement_items_are_reverse_keyed():
    for instrument in library():
        for _, item in instrument.items():
            if item.reverse:
                assert item.scale == "agree5", f"{instrument.ref} {item.id}"


def test_both_scales_are_defined_the_same_everywhere_and_used():
    reference = resolve("ti-staff@1.0.0").scales
    assert set(reference) == {"agree5", "stage5"}
    assert reference["stage5"].labels["en"][0] == "Not in place"
    assert reference["stage5"].labels["en"][-1] == "Sustained and monitored"
    for instrument in library():
        assert instrument.scales == reference, instrument.ref
        used = {item.scale for _, item in instrument.items()}
        assert used == {"agree5", "stage5"}, instrument.ref
    for staff in staff_versions():
        for domain in staff.domains:
            used = {item.scale for item in domain.items}
            assert used == {"agree5", "stage5"}, f"{staff.ref} {domain.id}"


def test_pulse_items_are_staff_items_word_for_word():
    staff = resolve("ti-staff@1.0.0")
    pulse = resolve("ti-pulse@1.0.0")
    assert 10 <= len(pulse.item_ids()) <= 14
    assert 4 <= len(pulse.domains) <= 6
    for domain, item in pulse.items():
        original = staff.item(item.id)
        assert original.text == item.text, item.id
        assert original.scale == item.scale, item.id
        assert original.reverse == item.reverse, item.id
        staff_domain = staff.domain(domain.id)
        assert original in staff_domain.items, item.id
        assert (domain.title, domain.why) == (staff_domain.title, staff_domain.why), domain.id
    for domain in pulse.domains:
        assert 2 <= len(domain.items) <= 3, domain.id


def test_leadership_form_shares_the_staff_domains():
    leadership = resolve("ti-leadership@1.0.0")
    assert [d.id for d in leadership.domains] == STAFF_DOMAINS
    for domain in leadership.domains:
        assert 3 <= len(domain.items) <= 5, domain.id


def test_staff_revision_lineage_points_into_the_previous_version():
    before = resolve("ti-staff@1.0.0")
    after = resolve("ti-staff@1.1.0")
    old_ids = set(before.item_ids())
    for _, item in after.items():
        if item.lineage is not None:
            assert item.lineage.from_ in old_ids, item.id
            if item.lineage.change.value == "reworded":
                assert item.text != before.item(item.lineage.from_).text, item.id
        elif item.id in old_ids:
            assert item.text == before.item(item.id).text, f"{item.id} changed without lineage"
