"""transaction durations rolled up per project, day and transaction

Revision ID: discover_0002
Revises: discover_0001
Create Date: 2026-12-03 17:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'discover_0002'
down_revision = 'discover_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('discover_duration_day',
    sa.Column('project_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('transaction', sa.String(length=200), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('durations', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_discover_duration_day_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'day', 'transaction', name=op.f('pk_discover_duration_day'))
    )
    op.create_table('discover_rolled_day',
    sa.Column('project_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('rolled', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_discover_rolled_day_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'day', name=op.f('pk_discover_rolled_day'))
    )


def downgrade():
    op.drop_table('discover_rolled_day')
    op.drop_table('discover_duration_day')
