"""Sealed submissions: web responses wait here and are released in shuffled batches.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sealed_submissions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('round_unit_id', sa.Integer(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_sealed_submissions_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_unit_id'], ['round_units.id'], name=op.f('fk_sealed_submissions_round_unit_id_round_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sealed_submissions')),
    sqlite_with_rowid=False
    )
    op.create_index(op.f('ix_sealed_submissions_round_id'), 'sealed_submissions', ['round_id'], unique=False)
    op.create_index(op.f('ix_sealed_submissions_round_unit_id'), 'sealed_submissions', ['round_unit_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_sealed_submissions_round_unit_id'), table_name='sealed_submissions')
    op.drop_index(op.f('ix_sealed_submissions_round_id'), table_name='sealed_submissions')
    op.drop_table('sealed_submissions')
