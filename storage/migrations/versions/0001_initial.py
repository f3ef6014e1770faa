"""The initial schema: every entity of DESIGN.md section 4.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('instrument_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instrument_id', sa.String(length=40), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('form', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("form IN ('staff', 'leadership', 'pulse')", name=op.f('ck_instrument_versions_form')),
    sa.CheckConstraint("origin IN ('library', 'upload')", name=op.f('ck_instrument_versions_origin')),
    sa.CheckConstraint("status IN ('draft', 'published', 'retired')", name=op.f('ck_instrument_versions_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instrument_versions')),
    sa.UniqueConstraint('instrument_id', 'version', name=op.f('uq_instrument_versions_instrument_id_version'))
    )

    op.create_table('organizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations')),
    sa.UniqueConstraint('slug', name=op.f('uq_organizations_slug'))
    )

    op.create_table('rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('instrument_version_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=True),
    sa.Column('closes_on', sa.Date(), nullable=True),
    sa.Column('min_group_size', sa.Integer(), nullable=False),
    sa.Column('min_comment_group_size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'open', 'closed', 'published')", name=op.f('ck_rounds_status')),
    sa.CheckConstraint('min_comment_group_size >= min_group_size', name=op.f('ck_rounds_comment_threshold_not_below_k')),
    sa.CheckConstraint('min_group_size BETWEEN 3 AND 10', name=op.f('ck_rounds_min_group_size_range')),
    sa.CheckConstraint('opens_on IS NULL OR closes_on IS NULL OR closes_on >= opens_on', name=op.f('ck_rounds_dates_in_order')),
    sa.ForeignKeyConstraint(['instrument_version_id'], ['instrument_versions.id'], name=op.f('fk_rounds_instrument_version_id_instrument_versions')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_rounds_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rounds')),
    sa.UniqueConstraint('organization_id', 'name', name=op.f('uq_rounds_organization_id_name'))
    )
    op.create_index(op.f('ix_rounds_instrument_version_id'), 'rounds', ['instrument_version_id'], unique=False)
    op.create_index(op.f('ix_rounds_organization_id'), 'rounds', ['organization_id'], unique=False)

    op.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('parent_id IS NULL OR parent_id <> id', name=op.f('ck_units_not_own_parent')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_units_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['units.id'], name=op.f('fk_units_parent_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units')),
    sa.UniqueConstraint('organization_id', 'code', name=op.f('uq_units_organization_id_code'))
    )
    op.create_index(op.f('ix_units_organization_id'), 'units', ['organization_id'], unique=False)
    op.create_index(op.f('ix_units_parent_id'), 'units', ['parent_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('admin', 'manager')", name=op.f('ck_users_role')),
    sa.CheckConstraint('failed_attempts >= 0', name=op.f('ck_users_failed_attempts_not_negative')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_users_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_index(op.f('ix_users_organization_id'), 'users', ['organization_id'], unique=False)

    op.create_table('action_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('domain_id', sa.String(length=16), nullable=False),
    sa.Column('item_id', sa.String(length=16), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('indicator', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('planned', 'in progress', 'done', 'dropped')", name=op.f('ck_action_items_status')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_action_items_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_action_items_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_action_items_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_items'))
    )
    op.create_index(op.f('ix_action_items_organization_id'), 'action_items', ['organization_id'], unique=False)
    op.create_index(op.f('ix_action_items_round_id'), 'action_items', ['round_id'], unique=False)
    op.create_index(op.f('ix_action_items_unit_id'), 'action_items', ['unit_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('target', sa.String(length=300), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_audit_events_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_events_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    op.create_index(op.f('ix_audit_events_at'), 'audit_events', ['at'], unique=False)
    op.create_index(op.f('ix_audit_events_organization_id'), 'audit_events', ['organization_id'], unique=False)
    op.create_index(op.f('ix_audit_events_user_id'), 'audit_events', ['user_id'], unique=False)

    op.create_table('login_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_login_sessions_token_hash'))
    )
    op.create_index(op.f('ix_login_sessions_user_id'), 'login_sessions', ['user_id'], unique=False)

    op.create_table('round_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('invited', sa.Integer(), nullable=True),
    sa.CheckConstraint('invited IS NULL OR invited >= 0', name=op.f('ck_round_units_invited_not_negative')),
    sa.ForeignKeyConstraint(['parent_id'], ['round_units.id'], name=op.f('fk_round_units_parent_id_round_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_units_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_round_units_unit_id_units'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_units')),
    sa.UniqueConstraint('round_id', 'code', name=op.f('uq_round_units_round_id_code')),
    sa.UniqueConstraint('round_id', 'unit_id', name=op.f('uq_round_units_round_id_unit_id'))
    )
    op.create_index(op.f('ix_round_units_parent_id'), 'round_units', ['parent_id'], unique=False)
    op.create_index(op.f('ix_round_units_unit_id'), 'round_units', ['unit_id'], unique=False)

    op.create_table('user_unit_scopes',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_user_unit_scopes_unit_id_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_unit_scopes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'unit_id', name=op.f('pk_user_unit_scopes'))
    )
    op.create_index(op.f('ix_user_unit_scopes_unit_id'), 'user_unit_scopes', ['unit_id'], unique=False)

    op.create_table('access_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('round_unit_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('single', 'link')", name=op.f('ck_access_codes_kind')),
    sa.CheckConstraint("state IN ('issued', 'started', 'submitted')", name=op.f('ck_access_codes_state')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_access_codes_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_unit_id'], ['round_units.id'], name=op.f('fk_access_codes_round_unit_id_round_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_access_codes_code_hash'))
    )
    op.create_index(op.f('ix_access_codes_round_id'), 'access_codes', ['round_id'], unique=False)
    op.create_index(op.f('ix_access_codes_round_unit_id'), 'access_codes', ['round_unit_id'], unique=False)

    op.create_table('comments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('round_unit_id', sa.Integer(), nullable=False),
    sa.Column('domain_id', sa.String(length=16), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_comments_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_unit_id'], ['round_units.id'], name=op.f('fk_comments_round_unit_id_round_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments')),
    sqlite_with_rowid=False
    )
    op.create_index(op.f('ix_comments_round_id'), 'comments', ['round_id'], unique=False)
    op.create_index(op.f('ix_comments_round_unit_id'), 'comments', ['round_unit_id'], unique=False)

    op.create_table('responses',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('round_unit_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('mode', sa.String(length=8), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('seconds_per_item_bucket', sa.String(length=8), nullable=True),
    sa.Column('quality_flags', sa.JSON(), nullable=False),
    sa.CheckConstraint("mode IN ('web', 'paper')", name=op.f('ck_responses_mode')),
    sa.CheckConstraint("seconds_per_item_bucket IS NULL OR seconds_per_item_bucket IN ('<2', '2-5', '5-10', '10+')", name=op.f('ck_responses_seconds_per_item_bucket')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_responses_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_unit_id'], ['round_units.id'], name=op.f('fk_responses_round_unit_id_round_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_responses')),
    sqlite_with_rowid=False
    )
    op.create_index(op.f('ix_responses_round_id'), 'responses', ['round_id'], unique=False)
    op.create_index(op.f('ix_responses_round_unit_id'), 'responses', ['round_unit_id'], unique=False)

    op.create_table('unit_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('round_unit_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_unit_links_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_unit_id'], ['round_units.id'], name=op.f('fk_unit_links_round_unit_id_round_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_unit_links_token_hash'))
    )
    op.create_index(op.f('ix_unit_links_round_id'), 'unit_links', ['round_id'], unique=False)
    op.create_index(op.f('ix_unit_links_round_unit_id'), 'unit_links', ['round_unit_id'], unique=False)

    op.create_table('answers',
    sa.Column('response_id', sa.String(length=36), nullable=False),
    sa.Column('item_id', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.Column('not_applicable', sa.Boolean(), nullable=False),
    sa.CheckConstraint('value IS NULL OR NOT not_applicable', name=op.f('ck_answers_not_applicable_has_no_value')),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_answers_response_id_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', 'item_id', name=op.f('pk_answers')),
    sqlite_with_rowid=False
    )

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


def downgrade() -> None:
    op.drop_table('drafts')
    op.drop_table('answers')
    op.drop_table('unit_links')
    op.drop_table('responses')
    op.drop_table('comments')
    op.drop_table('access_codes')
    op.drop_table('user_unit_scopes')
    op.drop_table('round_units')
    op.drop_table('login_sessions')
    op.drop_table('audit_events')
    op.drop_table('action_items')
    op.drop_table('users')
    op.drop_table('units')
    op.drop_table('rounds')
    op.drop_table('organizations')
    op.drop_table('instrument_versions')
