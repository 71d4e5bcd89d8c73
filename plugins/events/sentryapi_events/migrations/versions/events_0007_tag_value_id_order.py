"""tag values: an index for a key's values in id order

Revision ID: events_0007
Revises: events_0006
Create Date: 2026-12-03 10:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'events_0007'
down_revision = 'events_0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('group_tag_value', schema=None) as batch_op:
        batch_op.create_index('ix_group_tag_value_group_id_key_id', ['group_id', 'key', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('group_tag_value', schema=None) as batch_op:
        batch_op.drop_index('ix_group_tag_value_group_id_key_id')
