"""Stored instrument versions: the bundled library goes in frozen, published versions never
change, lifecycles move forward only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from instruments import Instrument, canonical_json, content_hash
from instruments.registry import library
from storage.engine import transaction
from storage.errors import Conflict, ImmutableVersion, NotFound
from storage.instrument_repo import (
    SyncReport,
    get_instrument_version,
    list_instrument_versions,
    sync_library,
)
from storage.models import InstrumentVersion, Round

MakeInstrument = Callable[..., Instrument]


def test_sync_library_stores_every_bundled_version_with_its_hash(
    session_factory: sessionmaker[Session],
) -> None:
    bundled = library()
    assert bundled, "the bundled library is empty"
    with transaction(session_factory) as session:
        report = sync_library(session)
    assert report == SyncReport(added=tuple(i.ref for i in bundled))

    with transaction(session_factory) as session:
        stored = {row.ref: row for row in list_instrument_versions(session)}
        assert set(stored) == {instrument.ref for instrument in bundled}
        for instrument in bundled:
            row = stored[instrument.ref]
            assert row.definition == canonical_json(instrument)
            assert row.sha256 == content_hash(instrument)
            assert (row.status, row.form, row.origin) == (
                instrument.status.value,
                instrument.form.value,
                "library",
            )
            assert row.title == instrument.title["en"]
            assert row.instrument() == instrument


def test_a_second_sync_changes_nothing(session_factory: sessionmaker[Session]) -> None:
    with transaction(session_factory) as session:
        sync_library(session)
    with transaction(session_factory) as session:
        report = sync_library(session)
    assert report.added == report.updated == ()
    assert len(report.unchanged) == len(library())


def test_a_changed_published_version_is_refused_and_nothing_is_written(
    session_factory: sessionmaker[Session], make_instrument: MakeInstrument
) -> None:
    original = make_instrument("ti-test", "1.0.0")
    with transaction(session_factory) as session:
        sync_library(session, [original])

    changed = make_instrument("ti-test", "1.0.0", item_text="Reworded after publishing.")
    newcomer = make_instrument("ti-other", "1.0.0")
    with pytest.raises(ImmutableVersion, match="new version number") as raised:
        with transaction(session_factory) as session:
            sync_library(session, [newcomer, changed])
    assert content_hash(original) in str(raised.value)
    assert content_hash(changed) in str(raised.value)

    with transaction(session_factory) as session:
        assert [row.ref for row in list_instrument_versions(session)] == ["ti-test@1.0.0"]
        row = get_instrument_version(session, "ti-test", "1.0.0")
        assert row.sha256 == content_hash(original)


def test_retiring_a_published_version_keeps_its_frozen_definition(
    session_factory: sessionmaker[Session], make_instrument: MakeInstrument
) -> None:
    published = make_instrument(status="published")
    with transaction(session_factory) as session:
        sync_library(session, [published])
    with transaction(session_factory) as session:
        report = sync_library(session, [make_instrument(status="retired")])
    assert report.updated == ("ti-test@1.0.0",)
    with transaction(session_factory) as session:
        row = get_instrument_version(session, "ti-test", "1.0.0")
        assert row.status == "retired"
        assert row.definition == canonical_json(published)
        assert row.sha256 == content_hash(published)


@pytest.mark.parametrize("stored_status", ["published", "retired"])
def test_a_published_version_cannot_become_a_draft_again(
    session_factory: sessionmaker[Session], make_instrument: MakeInstrument, stored_status: str
) -> None:
    with transaction(session_factory) as session:
        sync_library(session, [make_instrument(status=stored_status)])
    with pytest.raises(ImmutableVersion, match="cannot become a draft"):
        with transaction(session_factory) as session:
            sync_library(session, [make_instrument(status="draft")])


def test_a_draft_follows_its_file_until_it_is_published(
    session_factory: sessionmaker[Session], make_instrument: MakeInstrument
) -> None:
    with transaction(session_factory) as session:
        sync_library(session, [make_instrument(status="draft")])
    final = make_instrument(status="published", item_text="Final wording.")
    with transaction(session_factory) as session:
        assert sync_library(session, [final]).updated == ("ti-test@1.0.0",)
    with transaction(session_factory) as session:
        row = get_instrument_version(session, "ti-test", "1.0.0")
        assert (row.status, row.sha256) == ("published", content_hash(final))
        assert row.instrument().item("SAF-01").text["en"] == "Final wording."


def test_a_draft_used_by_a_round_cannot_change(
    session_factory: sessionmaker[Session], make_instrument: MakeInstrument, launched: object
) -> None:
    with transaction(session_factory) as session:
        sync_library(session, [make_instrument("ti-pilot", "0.1.0", status="draft")])
        pilot = get_instrument_version(session, "ti-pilot", "0.1.0")
        session.execute(sa.update(Round).values(instrument_version_id=pilot.id))
    with pytest.raises(ImmutableVersion, match="a round already uses"):
        with transaction(session_factory) as session:
            sync_library(
                session,
                [make_instrument("ti-pilot", "0.1.0", status="draft", item_text="Changed.")],
            )


def test_an_uploaded_instrument_with_a_bundled_id_and_version_is_a_conflict(
    session_factory: sessionmaker[Session], make_instrument: MakeInstrument
) -> None:
    instrument = make_instrument()
    with transaction(session_factory) as session:
        session.add(
            InstrumentVersion(
                instrument_id=instrument.id,
                version=instrument.version,
                title="Our own form",
                form="staff",
                status="published",
                origin="upload",
                definition=canonical_json(instrument),
                sha256=content_hash(instrument),
            )
        )
    with pytest.raises(Conflict, match="another id"):
        with transaction(session_factory) as session:
            sync_library(session, [instrument])


def test_versions_are_listed_in_semantic_version_order(
    session_factory: sessionmaker[Session], make_instrument: MakeInstrument
) -> None:
    with transaction(session_factory) as session:
        sync_library(
            session,
            [
                make_instrument("ti-test", "1.10.0"),
                make_instrument("ti-test", "1.9.0"),
                make_instrument("ti-alpha", "2.0.0", status="draft"),
            ],
        )
    with transaction(session_factory) as session:
        refs = [row.ref for row in list_instrument_versions(session)]
        drafts = [row.ref for row in list_instrument_versions(session, status="draft")]
        test_versions = [row.version for row in list_instrument_versions(session, "ti-test")]
    assert refs == ["ti-alpha@2.0.0", "ti-test@1.9.0", "ti-test@1.10.0"]
    assert drafts == ["ti-alpha@2.0.0"]
    assert test_versions == ["1.9.0", "1.10.0"]


def test_a_missing_version_is_not_found_with_the_versions_there_are(
    session_factory: sessionmaker[Session], make_instrument: MakeInstrument
) -> None:
    with transaction(session_factory) as session:
        sync_library(session, [make_instrument("ti-test", "1.0.0")])
        with pytest.raises(NotFound, match="stored versions: 1.0.0"):
            get_instrument_version(session, "ti-test", "2.0.0")
        with pytest.raises(NotFound, match="tisa init"):
            get_instrument_version(session, "ti-nothing", "1.0.0")
