"""Sign-in throttles, the idle timeout of logins, and no more hard account locks.

- ``sign_in_throttles``: failed sign-ins per key (an account from one place, an address, an
  account from every unknown place) and how long the next attempt must wait, shared by every
  replica (`storage.signin_limits`).
- ``login_sessions.last_seen_at``: when the browser was last seen, for the idle timeout.
- ``users.locked_until`` is dropped: a stranger's wrong passwords no longer lock an account.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'sign_in_throttles',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('trusted_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('failures >= 0',
                           name=op.f('ck_sign_in_throttles_failures_not_negative')),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_sign_in_throttles')),
    )
    op.add_column('login_sessions',
                  sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))
    # SQLite 3.35 and later drop a plain column in place (no table rebuild, so nothing that
    # refers to users is touched).
    op.drop_column('users', 'locked_until')


def downgrade() -> None:
    op.add_column('users', sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
    op.drop_column('login_sessions', 'last_seen_at')
    op.drop_table('sign_in_throttles')
