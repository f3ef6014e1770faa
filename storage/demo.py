"""The demo agency: a realistic organization to explore tisa with (`tisa init --demo`).

Riverbend Family Services has twelve units in three levels, an admin and two managers, and three
rounds of synthetic responses: a baseline and a six-month round on ti-staff 1.0.0 and a
twelve-month round on 1.1.0. The data are made to show what reports are for: safety and voice
improve, workforce well-being declines, one team is below the minimum group size (its results
are withheld, and so are a sibling's, to protect it), one caregiver-support item is answered by
too few people in one unit to be shown there, one team is polarized (half its staff see things
very differently from the other half), equity's items hang together less well than the others
(a reliability flag) with one collaboration item that does not fit its domain, and last round's
action items sit beside their domains. The units are large enough that withheld numbers are
the exception.

Everything is generated from a fixed seed, so the demo is the same on every machine. Nothing in
it is real; the sign-ins are printed on the sign-in page while the demo agency exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.instrument_repo import get_instrument_version
from storage.models import ActionItem, ActionStatus, Organization, ResponseMode, Role, Round
from storage.organization_repo import add_unit, create_organization
from storage.round_service import (
    UnitInvitation,
    close_round,
    create_round,
    open_round,
    publish_round,
)
from storage.survey_service import NOT_APPLICABLE, RESPONDENT_ROLES, seal_response
from storage.user_repo import add_user, set_unit_scope

DEMO_SLUG = "riverbend-demo"
DEMO_NAME = "Riverbend Family Services (demo)"
SEED = 20261201


@dataclass(frozen=True)
class DemoSignIn:
    username: str
    password: str
    role: str
    sees: str


DEMO_SIGN_INS = (
    DemoSignIn("director", "riverbend-leadership", Role.ADMIN.value, "the whole agency"),
    DemoSignIn("north.manager", "riverbend-north", Role.MANAGER.value, "North Region"),
    DemoSignIn("south.manager", "riverbend-south", Role.MANAGER.value, "South Region"),
)

# code, name, parent code, staff invited (None: a grouping unit with no staff of its own)
UNITS = (
    ("leadership-office", "Leadership Office", None, 10),
    ("north-region", "North Region", None, None),
    ("north-intake", "North Intake & Assessment", "north-region", 26),
    ("north-ongoing", "North Ongoing Services", "north-region", 30),
    ("north-foster", "North Foster Care", "north-region", 20),
    ("south-region", "South Region", None, None),
    ("south-intake", "South Intake & Assessment", "south-region", 22),
    ("south-ongoing", "South Ongoing Services", "south-region", 28),
    ("south-family-support", "South Family Support", "south-region", 4),  # below k = 5
    ("support-services", "Support Services", None, None),
    ("support-training", "Training & Coaching", "support-services", 14),
    ("support-quality", "Quality & Data", "support-services", 12),
)
POLARIZED_UNIT = "north-ongoing"
# Quality & Data staff rarely work with caregivers directly: most of them answer "not
# applicable" to the first caregiver-support item, so that item is withheld for their unit
# (fewer than k answered) while the rest of their results are shown.
MOSTLY_NOT_APPLICABLE = ("support-quality", "CAR-01", 0.85)
# Answers to EQU's items vary more around each person's view: its reliability is lower, for
# the report to say "interpret with caution".
ITEM_NOISE = {"EQU": 0.95}
RESPONSE_SHARE = (0.72, 0.78, 0.84)  # of those invited, by round
PREPARED_DAYS = 14  # a round is set up this long before it opens

# Domain means on a 1-5 scale at baseline and the change by the 6- and 12-month rounds.
BASELINE = {
    "FND": 3.4, "SAF": 3.0, "TRU": 3.2, "VOI": 2.7, "EQU": 3.1, "WEL": 3.3,
    "TRN": 2.9, "SCR": 3.5, "CAR": 3.6, "COL": 3.3, "LEA": 3.1, "DAT": 2.8,
}
CHANGE = {
    "SAF": (0.35, 0.7), "VOI": (0.2, 0.65), "TRN": (0.3, 0.6),
    "WEL": (-0.3, -0.95), "DAT": (0.1, 0.25),
}
UNIT_OFFSET = {
    "north-intake": 0.15, "north-foster": -0.1, "south-intake": -0.2, "south-ongoing": 0.1,
    "support-training": 0.3, "support-quality": 0.2, "leadership-office": 0.45,
}
ROLE_WEIGHTS = {"frontline": 0.62, "supervisor": 0.16, "manager": 0.06, "support": 0.1,
                "other": 0.02, None: 0.04}

COMMENTS = {
    "SAF": (
        "The new check-in after critical incidents has helped a lot.",
        "Home visits at night still feel unsafe without a second worker.",
        "El espacio de visitas para familias por fin se siente acogedor.",
    ),
    "WEL": (
        "Caseloads have gone up again and people are exhausted.",
        "We lost three coworkers this year and nobody talks about it.",
        "Necesitamos tiempo protegido para la supervisión reflexiva.",
        "Peer support group is good but I can rarely attend because of court.",
    ),
    "VOI": (
        "The parent advisory council actually changed our visitation policy. That mattered.",
        "Youth voice is still mostly a box to tick in case reviews.",
    ),
    "TRN": (
        "Coaching after the training made it stick.",
        "Me gustaría más formación sobre trauma histórico y racial.",
    ),
    "": (
        "Thank you for asking and for sharing results last time.",
        "I would like to see what changed because of the last survey.",
        "Gracias por preguntar en español.",
    ),
}

ACTIONS = (
    # (round index, domain, item, title, owner, months after round to due, indicator, status)
    (0, "SAF", None, "Pair workers for evening home visits and add a post-incident check-in",
     "Deputy Director, Operations", 3, "Share of evening visits done in pairs; SAF domain score",
     ActionStatus.DONE),
    (0, "TRN", None, "Follow every trauma training with three months of group coaching",
     "Training & Coaching lead", 4, "Coaching sessions held; TRN domain score",
     ActionStatus.DONE),
    (0, "VOI", None, "Give the parent advisory council a seat on the policy committee",
     "Director", 6, "Policies reviewed with the council; VOI domain score",
     ActionStatus.IN_PROGRESS),
    (1, "WEL", None, "Cap new assignments per worker and restore reflective supervision",
     "Regional managers", 4, "Average caseload; WEL domain score", ActionStatus.IN_PROGRESS),
    (1, "DAT", "DAT-02", "Share unit dashboards at monthly staff meetings",
     "Quality & Data lead", 2, "Meetings where data were discussed", ActionStatus.PLANNED),
)


def demo_exists(session: Session) -> bool:
    found = session.scalar(sa.select(Organization.id).where(Organization.slug == DEMO_SLUG))
    return found is not None


def demo_sign_ins(session: Session) -> tuple[DemoSignIn, ...]:
    """The demo's sign-ins while the demo agency is loaded (shown on the sign-in page), else
    nothing."""
    return DEMO_SIGN_INS if demo_exists(session) else ()


def load_demo(session: Session, today: date | None = None) -> Organization:
    """Store the demo agency with its users, three rounds of responses and action items.

    Runs in the caller's transaction; call only on a database without the demo (see
    `demo_exists`).
    """
    today = today or date.today()
    rng = np.random.default_rng(SEED)
    organization = create_organization(session, DEMO_NAME, slug=DEMO_SLUG)
    units = {}
    for code, name, parent, _ in UNITS:
        units[code] = add_unit(
            session, organization, name, code=code, parent=units.get(parent) if parent else None
        )
    for sign_in in DEMO_SIGN_INS:
        user = add_user(
            session, organization, sign_in.username, sign_in.password, role=sign_in.role,
            display_name=sign_in.username.replace(".", " ").title(),
        )
        if sign_in.role == Role.MANAGER.value:
            region = "north-region" if sign_in.username.startswith("north") else "south-region"
            set_unit_scope(session, user, [units[region]])

    schedule = [
        ("Baseline, autumn 2025", "1.0.0", today - timedelta(days=420)),
        ("Six-month follow-up, spring 2026", "1.0.0", today - timedelta(days=240)),
        ("Twelve-month follow-up, autumn 2026", "1.1.0", today - timedelta(days=50)),
    ]
    rounds = []
    for index, (name, version, opens_on) in enumerate(schedule):
        instrument_version = get_instrument_version(session, "ti-staff", version)
        round_ = create_round(
            session,
            organization,
            name=name,
            instrument_version=instrument_version,
            invitations=[
                UnitInvitation(units[code], invited)
                for code, _, _, invited in UNITS
                if invited is not None
            ],
            languages=["en", "es"],
            opens_on=opens_on,
            closes_on=opens_on + timedelta(days=21),
        )
        open_round(session, round_)
        _responses(session, rng, round_, index, opens_on)
        close_round(session, round_)
        publish_round(session, round_)
        opened = datetime.combine(opens_on, time(8), tzinfo=UTC)
        round_.created_at = opened - timedelta(days=PREPARED_DAYS)  # set up before its launch
        round_.opened_at = opened
        round_.closed_at = opened + timedelta(days=21)
        round_.published_at = opened + timedelta(days=35)
        rounds.append(round_)

    for index, domain, item, title, owner, months, indicator, status in ACTIONS:
        round_ = rounds[index]
        session.add(
            ActionItem(
                organization_id=organization.id,
                round_id=round_.id,
                domain_id=domain,
                item_id=item,
                title=title,
                owner=owner,
                due_on=(round_.closes_on or today) + timedelta(days=30 * months),
                indicator=indicator,
                status=status.value,
            )
        )
    session.flush()
    return organization


def _responses(
    session: Session, rng: np.random.Generator, round_: Round, index: int, opens_on: date
) -> None:
    instrument = round_.instrument_version.instrument()
    written: set[str] = set()  # each comment text once per round, as real people would write
    roles = list(ROLE_WEIGHTS)
    weights = np.array(list(ROLE_WEIGHTS.values()))
    for unit in round_.units:
        invited = unit.invited or 0
        if invited == 0:
            continue
        n = int(round(invited * RESPONSE_SHARE[index] + rng.normal(0, 0.8)))
        n = max(0, min(invited, n))
        if unit.code == "south-family-support":
            n = min(n, 3)  # always below the minimum group size
        offset = UNIT_OFFSET.get(unit.code, 0.0)
        person = rng.normal(0, 0.45, n)
        if unit.code == POLARIZED_UNIT:
            person = np.where(np.arange(n) % 2 == 0, 1.3, -1.3) + rng.normal(0, 0.2, n)
        for r in range(n):
            answers: dict[str, int | str] = {}
            for domain in instrument.domains:
                shift = CHANGE.get(domain.id, (0.05, 0.1))
                level = BASELINE[domain.id] + (0 if index == 0 else shift[index - 1])
                latent = level + offset + person[r]
                for item in domain.items:
                    draw = rng.random()
                    na_unit, na_item, na_share = MOSTLY_NOT_APPLICABLE
                    if unit.code == na_unit and item.id == na_item and draw < na_share:
                        answers[item.id] = NOT_APPLICABLE
                        continue
                    if draw < 0.025:
                        continue  # skipped
                    if draw < 0.06:
                        answers[item.id] = NOT_APPLICABLE
                        continue
                    noise = rng.normal(0, ITEM_NOISE.get(domain.id, 0.7))
                    value = latent + noise
                    if item.reverse:
                        # COL's reverse-keyed item is read as staff please: unrelated to the
                        # rest of its domain, so reports flag it as a weak item
                        value = 6 - value if domain.id != "COL" else 3 + noise
                    answers[item.id] = int(np.clip(np.rint(value), 1, 5))
            comments = {}
            if rng.random() < 0.22:
                domain_id = rng.choice(list(COMMENTS))
                text = _unwritten(COMMENTS[str(domain_id)],
                                  str(rng.choice(COMMENTS[str(domain_id)])), written)
                if text is not None:
                    comments[str(domain_id)] = text
            role = roles[int(rng.choice(len(roles), p=weights))]
            answered = sum(1 for v in answers.values() if v != NOT_APPLICABLE)
            spanish = rng.random() < 0.18
            paper = rng.random() < 0.08
            seal_response(
                session,
                round_,
                unit.id,
                instrument,
                answers,
                comments,
                role=role if role in RESPONDENT_ROLES else None,
                language="es" if spanish else "en",
                mode=ResponseMode.PAPER if paper else ResponseMode.WEB,
                seconds=None if paper else float(answered * rng.uniform(4, 14)),
                today=opens_on + timedelta(days=int(rng.integers(0, 21))),
            )


def _unwritten(pool: tuple[str, ...], drawn: str, written: set[str]) -> str | None:
    """`drawn`, or the next text of its pool not written yet this round (None when all are),
    marked as written. Only the drawn text depends on the random generator, so the demo's
    answers stay the same whichever comment is kept."""
    start = pool.index(drawn)
    for text in pool[start:] + pool[:start]:
        if text not in written:
            written.add(text)
            return text
    return None
