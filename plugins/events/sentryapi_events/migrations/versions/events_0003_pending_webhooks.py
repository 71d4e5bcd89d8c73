"""webhooks a digest batch owes, built after it commits

Revision ID: events_0003
Revises: events_0002
Create Date: 2026-12-03 08:20:00.000000

"""
from alembic import op
import sqlalchemy as sa
import sentryapi.database  # noqa: F401  (column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = 'events_0003'
down_revision = 'events_0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_pending_webhook',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('organization_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('project_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('resource', sa.String(length=16), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('group_id', sa.BigInteger(), nullable=True),
    sa.Column('event_id', sa.String(length=32), nullable=True),
    sa.Column('date_created', sentryapi.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_event_pending_webhook_organization_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_event_pending_webhook_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_pending_webhook'))
    )


def downgrade():
    op.drop_table('event_pending_webhook')
