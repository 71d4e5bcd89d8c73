"""drop the hourly outcome counts: the stats plugin is the one store of outcomes

Revision ID: events_0002
Revises: events_0001
Create Date: 2026-12-03 08:10:00.000000

Nothing is lost: every record written here also reached the stats plugin's counters
through the same ``record_outcomes`` hook.
"""
from alembic import op
import sqlalchemy as sa
import sentryapi.database  # noqa: F401  (column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = 'events_0002'
down_revision = 'events_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event_outcome', schema=None) as batch_op:
        batch_op.drop_index('ix_event_outcome_project_bucket')

    op.drop_table('event_outcome')


def downgrade():
    op.create_table('event_outcome',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('organization_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('project_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('key_id', sa.BigInteger(), nullable=False),
    sa.Column('bucket', sentryapi.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_event_outcome_organization_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_event_outcome_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_outcome')),
    sa.UniqueConstraint('organization_id', 'project_id', 'key_id', 'bucket', 'category', 'outcome', 'reason', name=op.f('uq_event_outcome_organization_id_project_id_key_id_bucket_category_outcome_reason'))
    )
    with op.batch_alter_table('event_outcome', schema=None) as batch_op:
        batch_op.create_index('ix_event_outcome_project_bucket', ['project_id', 'bucket'], unique=False)
