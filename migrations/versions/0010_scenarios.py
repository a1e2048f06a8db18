"""Scenario explorer: FaIR results for each point of the lever grid.

Revision ID: 0010_scenarios
Revises: 0007_assessment
Create Date: 2026-12-01 06:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_scenarios'
down_revision = '0007_assessment'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'scenario_runs',
        sa.Column('model_version', sa.String(length=40), nullable=False),
        sa.Column('key', sa.String(length=60), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('model_version', 'key', name=op.f('pk_scenario_runs')),
    )


def downgrade():
    op.drop_table('scenario_runs')
