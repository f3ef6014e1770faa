"""storage.demo through `initialize(demo=True)`: the demo agency is complete, deterministic and
shows what it promises (a unit below k, a polarized unit, a decline and improvements)."""

from __future__ import annotations

import numpy as np
import sqlalchemy as sa

from storage.bootstrap import initialize
from storage.demo import DEMO_SIGN_INS, DEMO_SLUG, POLARIZED_UNIT
from storage.engine import make_engine, session_factory, transaction
from storage.models import ActionItem, Answer, Organization, Response, Round, RoundUnit, User
from storage.passwords import verify_password


def test_demo_loads_once_with_everything_it_promises(db_url):
    report = initialize(db_url, demo=True)
    assert report.demo == "loaded"
    assert initialize(db_url, demo=True).demo == "present"
    engine = make_engine(db_url)
    try:
        with transaction(session_factory(engine)) as session:
            org = session.scalar(sa.select(Organization).where(Organization.slug == DEMO_SLUG))
            assert len(org.units) == 12
            depth = {u.id: 0 for u in org.units if u.parent_id is None}
            while len(depth) < 12:
                depth |= {u.id: depth[u.parent_id] + 1 for u in org.units if u.parent_id in depth}
            assert max(depth.values()) == 1  # grouping regions over teams, plus top-level units
            rounds = list(session.scalars(sa.select(Round).order_by(Round.id)))
            assert [(r.instrument_version.version, r.status) for r in rounds] == [
                ("1.0.0", "published"),
                ("1.0.0", "published"),
                ("1.1.0", "published"),
            ]
            users = {u.username: u for u in session.scalars(sa.select(User))}
            for sign_in in DEMO_SIGN_INS:
                assert verify_password(users[sign_in.username].password_hash, sign_in.password)
            assert session.scalar(sa.select(sa.func.count()).select_from(ActionItem)) == 5

            per_unit = dict(
                session.execute(
                    sa.select(RoundUnit.code, sa.func.count(Response.id))
                    .join(Response, Response.round_unit_id == RoundUnit.id)
                    .where(RoundUnit.round_id == rounds[-1].id)
                    .group_by(RoundUnit.code)
                ).all()
            )
            assert per_unit["south-family-support"] < rounds[-1].min_group_size
            assert per_unit["north-ongoing"] >= rounds[-1].min_group_size

            def domain_mean(round_, prefix, unit=None):
                """Each respondent's mean over the domain's items that are not reverse-keyed."""
                instrument = round_.instrument_version.instrument()
                forward = [
                    item.id
                    for domain in instrument.domains
                    if domain.id == prefix
                    for item in domain.items
                    if not item.reverse
                ]
                query = (
                    sa.select(Response.id, sa.func.avg(Answer.value))
                    .join(Answer)
                    .where(Response.round_id == round_.id, Answer.item_id.in_(forward))
                    .group_by(Response.id)
                )
                if unit is not None:
                    query = query.join(RoundUnit, RoundUnit.id == Response.round_unit_id).where(
                        RoundUnit.code == unit
                    )
                return np.array([float(v) for _, v in session.execute(query)])

            # a clear rise in SAF and a fall in WEL over the year
            assert domain_mean(rounds[2], "SAF").mean() > domain_mean(rounds[0], "SAF").mean()
            assert domain_mean(rounds[2], "WEL").mean() < domain_mean(rounds[0], "WEL").mean()
            polarized = domain_mean(rounds[2], "FND", POLARIZED_UNIT)
            assert polarized.std() > 2 * domain_mean(rounds[2], "FND", "north-intake").std()
    finally:
        engine.dispose()


def test_demo_is_not_loaded_beside_real_data(db_url):
    initialize(db_url, admin_user="ana", admin_password="a long enough password")
    assert initialize(db_url, demo=True).demo == "not empty"
