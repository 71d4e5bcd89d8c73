"""team members: an index for a team's members in the order they joined

Revision ID: teams_0002
Revises: teams_0001
Create Date: 2026-12-03 10:45:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'teams_0002'
down_revision = 'teams_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('team_member', schema=None) as batch_op:
        batch_op.create_index('ix_team_member_team_id_date_created_id', ['team_id', 'date_created', 'id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('team_member', schema=None) as batch_op:
        batch_op.drop_index('ix_team_member_team_id_date_created_id')
