"""Round reports: the report of a closed round, computed once at close and kept.

One row per (round, scope): the report as JSON (`reports.frozen`) and its SHA-256. Rounds
closed before this revision get theirs on first read.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'round_reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('scope_key', sa.Integer(), nullable=False),
        sa.Column('report', sa.Text(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['rounds.id'],
                                name=op.f('fk_round_reports_round_id_rounds'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_round_reports')),
        sa.UniqueConstraint('round_id', 'scope_key',
                            name=op.f('uq_round_reports_round_id_scope_key')),
    )


def downgrade() -> None:
    op.drop_table('round_reports')
