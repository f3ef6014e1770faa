"""The admin pages' words in English and Spanish (merged into `ui.i18n.STRINGS`)."""

from __future__ import annotations

ADMIN_STRINGS: dict[str, dict[str, str]] = {}
