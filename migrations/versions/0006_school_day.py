"""School day: race-proof attempts (one open attempt, unique numbers) and pending answers kept server-side.

Existing data is repaired first: duplicate open attempts from before (two clicks at once) are closed by deleting
all but the oldest open one (open attempts hold no answers yet), attempts are renumbered 1, 2, ... per student and
module in the order they were started, and module_progress.attempts is recomputed from the submitted attempts.

Revision ID: 0006_school_day
Revises: 0005_inline_checks
Create Date: 2026-12-01 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_school_day'
down_revision = '0005_inline_checks'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "DELETE FROM quiz_attempts WHERE status = 'in_progress' AND id > ("
        " SELECT min(other.id) FROM quiz_attempts other WHERE other.user_id = quiz_attempts.user_id"
        " AND other.module_id = quiz_attempts.module_id AND other.status = 'in_progress')"
    )
    op.execute(
        "UPDATE quiz_attempts SET number = ("
        " SELECT count(*) FROM quiz_attempts other WHERE other.user_id = quiz_attempts.user_id"
        " AND other.module_id = quiz_attempts.module_id AND other.id <= quiz_attempts.id)"
    )
    op.execute(
        "UPDATE module_progress SET attempts = ("
        " SELECT count(*) FROM quiz_attempts a WHERE a.user_id = module_progress.user_id"
        " AND a.module_id = module_progress.module_id AND a.status = 'submitted')"
    )
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_quiz_attempts_user_id_module_id_number'),
                                          ['user_id', 'module_id', 'number'])
        batch_op.create_index('uq_quiz_attempts_one_open', ['user_id', 'module_id'], unique=True,
                              sqlite_where=sa.text("status = 'in_progress'"),
                              postgresql_where=sa.text("status = 'in_progress'"))

    op.create_table('pending_answers',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('attempt_id', sa.Integer(), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['attempt_id'], ['quiz_attempts.id'],
                                name=op.f('fk_pending_answers_attempt_id_quiz_attempts'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_answers'))
    )
    with op.batch_alter_table('pending_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_answers_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_answers_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('pending_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_answers_expires_at'))
        batch_op.drop_index(batch_op.f('ix_pending_answers_attempt_id'))
    op.drop_table('pending_answers')

    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_index('uq_quiz_attempts_one_open')
        batch_op.drop_constraint(batch_op.f('uq_quiz_attempts_user_id_module_id_number'), type_='unique')
