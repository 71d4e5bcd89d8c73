"""shared blob store: blob rows index bytes kept in the core's store

Revision ID: sourcemaps_0004
Revises: sourcemaps_0003
Create Date: 2026-12-03 13:40:00

Rows written before keep their bytes in ``data`` (and are read from there); new rows
leave it empty. The retention cleanup looks bundles and debug files up by age.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'sourcemaps_0004'
down_revision = 'sourcemaps_0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sourcemaps_blob') as batch_op:
        batch_op.alter_column('data', existing_type=sa.LargeBinary(), nullable=True)
    op.create_index('ix_sourcemaps_artifact_bundle_date_added', 'sourcemaps_artifact_bundle',
                    ['date_added'], unique=False)
    op.create_index('ix_sourcemaps_debug_file_date_created', 'sourcemaps_debug_file',
                    ['date_created'], unique=False)


def downgrade():
    op.drop_index('ix_sourcemaps_debug_file_date_created', table_name='sourcemaps_debug_file')
    op.drop_index('ix_sourcemaps_artifact_bundle_date_added', table_name='sourcemaps_artifact_bundle')
    # Rows whose bytes are in the shared store cannot go back into the table.
    op.execute("DELETE FROM sourcemaps_blob WHERE data IS NULL")
    with op.batch_alter_table('sourcemaps_blob') as batch_op:
        batch_op.alter_column('data', existing_type=sa.LargeBinary(), nullable=False)
