"""issue counters under an hour (per minute, for alert rules): a partial index to prune them

Revision ID: events_0008
Revises: events_0007
Create Date: 2026-12-03 13:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'events_0008'
down_revision = 'events_0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('group_stat', schema=None) as batch_op:
        batch_op.create_index('ix_group_stat_fine_bucket', ['bucket'], unique=False,
                              sqlite_where=sa.text('resolution < 3600'),
                              postgresql_where=sa.text('resolution < 3600'))


def downgrade():
    with op.batch_alter_table('group_stat', schema=None) as batch_op:
        batch_op.drop_index('ix_group_stat_fine_bucket', sqlite_where=sa.text('resolution < 3600'),
                            postgresql_where=sa.text('resolution < 3600'))
