"""Every UI test runs against a database of its own: the app migrates the database named by
TISA_DATABASE_URL when it starts, and must never touch the developer's ``data/tisa.db``."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _own_database(tmp_path, monkeypatch):
    monkeypatch.setenv("TISA_DATABASE_URL", f"sqlite:///{tmp_path / 'ui-test.db'}")
