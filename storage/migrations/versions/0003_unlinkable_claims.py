"""Unlinkable claims: a code's use is recorded under a keyed hash, never on the ledger row.

- ``rounds.claim_key``: a random secret per round (64 hex characters), wiped at close. Rounds
  that are still in draft or open get one here; closed and published rounds get none.
- ``code_claims``: one row per used code, keyed by HMAC-SHA256(claim_key, code), which is not
  the ledger's hash: without the plain code no query joins a claim to a ledger row.
  ``WITHOUT ROWID`` on SQLite, no timestamps.
- ``drafts`` are keyed by the same keyed hash and dated (``updated_on``), never timed. Drafts
  stored before this revision were keyed by the ledger's hash and cannot be re-keyed without
  the plain code: **they are deleted** (the ``drafts`` table is dropped and created anew).
  Someone who had started answering before the upgrade starts again from the first page;
  submitted answers are not affected.
- ``access_codes.issued_at`` (a timestamp) becomes ``issued_on`` (a date). The ``state``
  column stays for codes used before this revision (``submitted``, still refused); nothing
  writes it on a respondent's action any more. Every ledger row and every waiting sealed
  submission is rewritten here, so on PostgreSQL none of them keeps the transaction id of the
  submission that once wrote both.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    connection = op.get_bind()
    postgres = connection.dialect.name == "postgresql"

    op.add_column('rounds', sa.Column('claim_key', sa.String(length=64), nullable=True))
    rounds = sa.table('rounds', sa.column('id', sa.Integer), sa.column('status', sa.String),
                      sa.column('claim_key', sa.String))
    live = connection.execute(
        sa.select(rounds.c.id).where(rounds.c.status.in_(('draft', 'open')))
    ).scalars().all()
    for round_id in live:
        connection.execute(
            rounds.update().where(rounds.c.id == round_id).values(claim_key=secrets.token_hex(32))
        )

    op.drop_index(op.f('ix_drafts_round_unit_id'), table_name='drafts')
    op.drop_index(op.f('ix_drafts_round_id'), table_name='drafts')
    op.drop_table('drafts')

    with op.batch_alter_table('access_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issued_on', sa.Date(), nullable=True))
    if postgres:
        op.execute("UPDATE access_codes SET issued_on = CAST(issued_at AT TIME ZONE 'UTC' AS date)")
    else:
        op.execute("UPDATE access_codes SET issued_on = substr(issued_at, 1, 10)")
    with op.batch_alter_table('access_codes', schema=None) as batch_op:
        batch_op.alter_column('issued_on', existing_type=sa.Date(), nullable=False)
        batch_op.drop_column('issued_at')
    if postgres:
        # Rewrite every ledger row and every waiting sealed submission in this transaction.
        op.execute("UPDATE access_codes SET state = state")
        op.execute("UPDATE sealed_submissions SET round_id = round_id")

    op.create_table('code_claims',
    sa.Column('claim_hash', sa.String(length=64), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_code_claims_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('claim_hash', name=op.f('pk_code_claims')),
    sqlite_with_rowid=False
    )
    op.create_index(op.f('ix_code_claims_round_id'), 'code_claims', ['round_id'], unique=False)

    op.create_table('drafts',
    sa.Column('claim_hash', sa.String(length=64), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('round_unit_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('comments', sa.JSON(), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=True),
    sa.Column('current_page', sa.Integer(), nullable=False),
    sa.Column('active_seconds', sa.Integer(), nullable=False),
    sa.Column('updated_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_drafts_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_unit_id'], ['round_units.id'], name=op.f('fk_drafts_round_unit_id_round_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('claim_hash', name=op.f('pk_drafts')),
    sqlite_with_rowid=False
    )
    op.create_index(op.f('ix_drafts_round_id'), 'drafts', ['round_id'], unique=False)
    op.create_index(op.f('ix_drafts_round_unit_id'), 'drafts', ['round_unit_id'], unique=False)


def downgrade() -> None:
    """Back to 0002. Drafts and claims are dropped (the old drafts cannot be re-keyed either);
    codes keep the date they were issued on, at midnight UTC."""
    op.drop_index(op.f('ix_drafts_round_unit_id'), table_name='drafts')
    op.drop_index(op.f('ix_drafts_round_id'), table_name='drafts')
    op.drop_table('drafts')
    op.drop_index(op.f('ix_code_claims_round_id'), table_name='code_claims')
    op.drop_table('code_claims')

    with op.batch_alter_table('access_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issued_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE access_codes SET issued_at = issued_on")
    with op.batch_alter_table('access_codes', schema=None) as batch_op:
        batch_op.alter_column('issued_at', existing_type=sa.DateTime(timezone=True),
                              nullable=False)
        batch_op.drop_column('issued_on')

    op.create_table('drafts',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('round_unit_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('comments', sa.JSON(), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=True),
    sa.Column('current_page', sa.Integer(), nullable=False),
    sa.Column('active_seconds', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['code_hash'], ['access_codes.code_hash'], name=op.f('fk_drafts_code_hash_access_codes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_drafts_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_unit_id'], ['round_units.id'], name=op.f('fk_drafts_round_unit_id_round_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code_hash', name=op.f('pk_drafts'))
    )
    op.create_index(op.f('ix_drafts_round_id'), 'drafts', ['round_id'], unique=False)
    op.create_index(op.f('ix_drafts_round_unit_id'), 'drafts', ['round_unit_id'], unique=False)

    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('claim_key')
