"""the mail outbox and invitation links

Revision ID: core_0006
Revises: core_0005
Create Date: 2026-12-03 10:50:00.000000

"""
from alembic import op
import sqlalchemy as sa
import sentryapi.database  # noqa: F401  (column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = 'core_0006'
down_revision = 'core_0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_outbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('guid', sa.String(length=32), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('due_at', sentryapi.database.UTCDateTime(), nullable=False),
    sa.Column('locked_until', sentryapi.database.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('date_created', sentryapi.database.UTCDateTime(), nullable=False),
    sa.Column('date_sent', sentryapi.database.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox')),
    sa.UniqueConstraint('guid', name=op.f('uq_mail_outbox_guid'))
    )
    op.create_index('ix_mail_outbox_status_due_at', 'mail_outbox', ['status', 'due_at'], unique=False)
    op.create_table('organization_member_invite',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('member_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sentryapi.database.UTCDateTime(), nullable=False),
    sa.Column('date_created', sentryapi.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['organization_member.id'], name=op.f('fk_organization_member_invite_member_id_organization_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization_member_invite')),
    sa.UniqueConstraint('member_id', name=op.f('uq_organization_member_invite_member_id'))
    )


def downgrade():
    op.drop_table('organization_member_invite')
    op.drop_index('ix_mail_outbox_status_due_at', table_name='mail_outbox')
    op.drop_table('mail_outbox')
