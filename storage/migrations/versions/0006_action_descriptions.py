"""Action items get a description: what the action involves, beside its short title.

``action_items.description`` is text, empty for the actions planned before it existed.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('action_items',
                  sa.Column('description', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    op.drop_column('action_items', 'description')
