"""Saved answers: a quiz attempt keeps the answers given so far while it is open.

Revision ID: 0008_saved_answers
Revises: 0010_scenarios
Create Date: 2026-12-01 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008_saved_answers'
down_revision = '0010_scenarios'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('saved_answers', sa.JSON(none_as_null=True), nullable=True))
        batch_op.add_column(sa.Column('saved_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_column('saved_at')
        batch_op.drop_column('saved_answers')
