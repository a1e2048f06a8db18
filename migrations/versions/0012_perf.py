"""Performance: a content version per course, changed whenever its course, modules or texts change; the
fingerprint of the course files it was last synced from.

Web workers cache a course's outline and module texts and compare this token once per request.

Revision ID: 0012_perf
Revises: 0011_lti
Create Date: 2026-12-01 06:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012_perf'
down_revision = '0011_lti'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.String(length=32), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('files_hash', sa.String(length=64), nullable=False, server_default=''))


def downgrade():
    # Not "recreate the table" (SQLite's batch default): with foreign keys on, dropping the old courses table would
    # cascade to every module, text, attempt and progress row. SQLite 3.35+ drops a column in place.
    with op.batch_alter_table('courses', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('files_hash')
        batch_op.drop_column('version')
