"""A closed round built to hit every display rule of `reports.display` at once, for
the report tests and the page tests alike.

Two units of 20 respondents each (k = 5), on ti-staff 1.1.0. Answers are chosen, per domain,
as keyed values (higher = more trauma-informed) and stored as answered (reverse-worded items
turned back):

- FND: four items follow a person's level, two go against it: alpha below zero at n = 40, and
  FND-05 and FND-06 load negatively (omega withheld, "seems reversed");
- SAF: South answers exactly as North does but for one answer of one person: the unit means
  hardly differ, so ICC(2) is far below zero;
- TRU: only five North respondents, scored 1, 1, 5, 5, 5 (every item alike): the t interval
  of the mean, 3.4 ± 2.72, runs beyond 1–5; five complete responses (< 30);
- VOI: everybody answers VOI-01 only: nobody reaches the min-answered rule (5 of 6);
- EQU: three people answer EQU-01 only: unscored, fewer than k, so the domain's % favorable
  is withheld beside its shown mean;
- WEL: two people answer every item, the others four of five (scored): 2 complete (< k);
- TRN: ten people answer TRN-01 only (a 5): unscored but at least k, so % favorable is shown
  on the scored respondents' answers, which leave those ten out;
- the other domains: ordinary correlated answers.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from storage.instrument_repo import get_instrument_version
from storage.models import ResponseMode, Round
from storage.organization_repo import add_unit
from storage.round_service import UnitInvitation, close_round, create_round, open_round
from storage.survey_service import seal_response

K = 5
PER_UNIT = 20
TRU_SCORES = (1, 1, 5, 5, 5)
EQU_UNSCORED = (37, 38, 39)  # respondents (0-based, North 0–19, South 20–39)
TRN_UNSCORED = tuple(range(30, 40))


def keyed_answers(instrument, seed: int = 11) -> list[dict[str, int]]:
    """The 40 respondents' answers as keyed values, item id → 1..5 (missing: skipped)."""
    rng = np.random.default_rng(seed)
    n = 2 * PER_UNIT
    level = np.clip(rng.normal(3.2, 0.9, n), 1, 5)
    out: list[dict[str, int]] = [{} for _ in range(n)]

    def point(x: float) -> int:
        return int(np.clip(np.rint(x), 1, 5))

    for domain in instrument.domains:
        ids = [item.id for item in domain.items]
        if domain.id == "SAF":
            north = [[point(level[r] + rng.normal(0, 0.5)) for _ in ids] for r in range(PER_UNIT)]
            for r in range(PER_UNIT):
                out[r].update(zip(ids, north[r], strict=True))
                south = list(north[r])
                if r == 0:
                    south[0] = south[0] + 1 if south[0] < 5 else south[0] - 1
                out[PER_UNIT + r].update(zip(ids, south, strict=True))
            continue
        for r in range(n):
            if domain.id == "FND":
                values = [point(level[r] + rng.normal(0, 0.4)) for _ in ids[:4]]
                values += [point(6 - level[r] + rng.normal(0, 0.4)) for _ in ids[4:]]
                out[r].update(zip(ids, values, strict=True))
            elif domain.id == "TRU":
                if r < len(TRU_SCORES):
                    out[r].update({i: TRU_SCORES[r] for i in ids})
            elif domain.id == "VOI":
                out[r][ids[0]] = point(level[r])
            elif domain.id == "EQU" and r in EQU_UNSCORED:
                out[r][ids[0]] = point(level[r])
            elif domain.id == "TRN" and r in TRN_UNSCORED:
                out[r][ids[0]] = 5
            elif domain.id == "WEL":
                values = [point(level[r] + rng.normal(0, 0.5)) for _ in ids]
                if r < 2:
                    values = [1, 5, 1, 5, 1] if r == 0 else [5, 1, 5, 1, 5]
                    out[r].update(zip(ids, values, strict=True))
                else:
                    out[r].update(zip(ids[:4], values[:4], strict=True))
            else:
                out[r].update({i: point(level[r] + rng.normal(0, 0.6)) for i in ids})
    return out


def as_answered(instrument, keyed: dict[str, int]) -> dict[str, int]:
    reverse = {item.id: item.reverse for _, item in instrument.items()}
    return {i: (6 - v if reverse[i] else v) for i, v in keyed.items()}


def add_display_round(session, organization, *, name: str = "Edge cases",
                      opens_on: date = date(2027, 3, 1)) -> Round:
    """Two new units under `organization` and a closed round on them with the answers above."""
    north = add_unit(session, organization, f"{name} North")
    south = add_unit(session, organization, f"{name} South")
    round_ = create_round(
        session, organization, name=name,
        instrument_version=get_instrument_version(session, "ti-staff", "1.1.0"),
        invitations=[UnitInvitation(north, 25), UnitInvitation(south, 25)], opens_on=opens_on,
        min_group_size=K,
    )
    open_round(session, round_)
    instrument = round_.instrument_version.instrument()
    units = {u.unit_id: u.id for u in round_.units}
    for r, keyed in enumerate(keyed_answers(instrument)):
        unit = units[north.id] if r < PER_UNIT else units[south.id]
        seal_response(session, round_, unit, instrument, as_answered(instrument, keyed), {},
                      role=None, language="en", mode=ResponseMode.PAPER, seconds=None)
    close_round(session, round_)
    return round_
