"""organization tokens record who created them

Revision ID: core_0004
Revises: core_0003
Create Date: 2026-12-03 08:20:00.000000

"""
from alembic import op
import sqlalchemy as sa
import sentryapi.database  # noqa: F401  (column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = 'core_0004'
down_revision = 'core_0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.create_foreign_key('fk_api_token_created_by_id_sentry_user', 'sentry_user', ['created_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_constraint('fk_api_token_created_by_id_sentry_user', type_='foreignkey')
        batch_op.drop_column('created_by_id')
