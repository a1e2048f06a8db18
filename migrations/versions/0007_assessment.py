"""Assessment: pre/post assignments with crossover forms, result release, and the form and sitting of attempts.

Revision ID: 0007_assessment
Revises: 0006_school_day
Create Date: 2026-12-01 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007_assessment'
down_revision = '0006_school_day'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prepost', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('crossover', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('post_opened_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('results_released_at', sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        'assignment_forms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assignment_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('pre_form', sa.String(length=1), nullable=False),
        sa.Column('post_form', sa.String(length=1), nullable=False),
        sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'],
                                name=op.f('fk_assignment_forms_assignment_id_assignments'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_assignment_forms_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_forms')),
        sa.UniqueConstraint('assignment_id', 'user_id', name=op.f('uq_assignment_forms_assignment_id_user_id')),
    )
    with op.batch_alter_table('assignment_forms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_forms_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_forms_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('form', sa.String(length=1), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('sitting', sa.String(length=4), nullable=True))
        batch_op.create_index(batch_op.f('ix_quiz_attempts_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_quiz_attempts_assignment_id_assignments'), 'assignments',
                                    ['assignment_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint('sitting_known', "sitting IN ('pre', 'post')")


def downgrade():
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_constraint('sitting_known', type_='check')
        batch_op.drop_constraint(batch_op.f('fk_quiz_attempts_assignment_id_assignments'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_quiz_attempts_assignment_id'))
        batch_op.drop_column('sitting')
        batch_op.drop_column('form')
        batch_op.drop_column('assignment_id')
    with op.batch_alter_table('assignment_forms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_forms_user_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_forms_assignment_id'))
    op.drop_table('assignment_forms')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_column('results_released_at')
        batch_op.drop_column('post_opened_at')
        batch_op.drop_column('crossover')
        batch_op.drop_column('prepost')
