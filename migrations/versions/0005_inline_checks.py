"""Inline checks: the ungraded ```check blocks of each module text.

Revision ID: 0005_inline_checks
Revises: 0004_authoring
Create Date: 2026-11-25 16:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005_inline_checks'
down_revision = '0004_authoring'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('module_texts', schema=None) as batch_op:
        # Existing texts have no checks until their next sync renders them.
        batch_op.add_column(sa.Column('checks', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))


def downgrade():
    with op.batch_alter_table('module_texts', schema=None) as batch_op:
        batch_op.drop_column('checks')
