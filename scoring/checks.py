"""Small checks and conversions shared by the scoring modules."""

from __future__ import annotations

import numpy as np

from scoring.errors import ScoringError


def float_or_none(value: float) -> float | None:
    """A plain float, or None for NaN (results never carry NaN)."""
    return None if np.isnan(value) else float(value)


def check_confidence(confidence: float) -> float:
    """A confidence level strictly between 0 and 1, as a float; `ScoringError` otherwise."""
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise ScoringError(f"confidence must be a number such as 0.95, got {confidence!r}")
    if not 0 < confidence < 1:
        raise ScoringError(
            f"confidence must lie strictly between 0 and 1 (e.g. 0.95), got {confidence!r}"
        )
    return float(confidence)
