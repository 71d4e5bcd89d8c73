"""the periodic task scheduler's lease rows

Revision ID: core_0005
Revises: core_0004
Create Date: 2026-12-03 10:30:00.000000

"""
from alembic import op
import sqlalchemy as sa
import sentryapi.database  # noqa: F401  (column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = 'core_0005'
down_revision = 'core_0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('scheduled_task',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('next_run_at', sentryapi.database.UTCDateTime(), nullable=False),
    sa.Column('locked_until', sentryapi.database.UTCDateTime(), nullable=True),
    sa.Column('last_started_at', sentryapi.database.UTCDateTime(), nullable=True),
    sa.Column('last_finished_at', sentryapi.database.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_scheduled_task'))
    )


def downgrade():
    op.drop_table('scheduled_task')
