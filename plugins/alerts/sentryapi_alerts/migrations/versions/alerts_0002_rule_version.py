"""alert rules: a version row for the processes' copies; per-minute counts move to the events plugin's issue counters

Revision ID: alerts_0002
Revises: alerts_0001
Create Date: 2026-12-03 13:40:00.000000

"""
from alembic import op
import sqlalchemy as sa
import sentryapi.database  # noqa: F401  (column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = 'alerts_0002'
down_revision = 'alerts_0001'
branch_labels = None
depends_on = ('events_0008',)


def upgrade():
    op.create_table('alerts_rule_version',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts_rule_version'))
    )
    op.drop_table('alerts_issue_minute')


def downgrade():
    op.create_table('alerts_issue_minute',
    sa.Column('group_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('bucket', sentryapi.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['event_group.id'], name=op.f('fk_alerts_issue_minute_group_id_event_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'bucket', name=op.f('pk_alerts_issue_minute'))
    )
    op.drop_table('alerts_rule_version')
