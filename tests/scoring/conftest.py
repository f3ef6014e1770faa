"""Fixtures for the scoring tests: the small reference data sets of ``tests/scoring/data``.

In those CSV files an empty cell is a skipped item and ``NA`` is "not applicable"; both
become ``nan`` in the item matrix, and ``NA`` is also marked in the not-applicable mask.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class ReferenceData:
    items: tuple[str, ...]
    x: np.ndarray  # respondents × items, nan for missing
    na_mask: np.ndarray  # True where the cell says NA
    other: dict[str, np.ndarray]  # non-item columns, as strings


def load_reference_data(name: str) -> ReferenceData:
    with (DATA / name).open(newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    item_cols = [j for j, h in enumerate(header) if h[:1].isupper() and h[1:].isdigit()]
    cells = np.array(body, dtype=object)
    raw = cells[:, item_cols].astype(str)
    missing = (raw == "") | (raw == "NA")
    x = np.where(missing, "nan", raw).astype(float)
    other = {header[j]: cells[:, j].astype(str) for j in range(len(header)) if j not in item_cols}
    return ReferenceData(tuple(header[j] for j in item_cols), x, raw == "NA", other)


@pytest.fixture(scope="session")
def reference_data() -> Callable[[str], ReferenceData]:
    """``reference_data("domain_a.csv")`` → the file's :class:`ReferenceData`."""
    return load_reference_data
