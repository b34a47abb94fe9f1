"""call times: departments, shoot days, scenes, calls

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 21:06:11.076440
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "departments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("production_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["production_id"],
            ["productions.id"],
            name=op.f("fk_departments_production_id_productions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_departments")),
        sa.UniqueConstraint("production_id", "key", name=op.f("uq_departments_production_id_key")),
    )
    op.create_table(
        "production_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column("production_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["production_id"],
            ["productions.id"],
            name=op.f("fk_production_choices_production_id_productions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_production_choices_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_production_choices")),
        sa.UniqueConstraint(
            "workspace_id",
            "slack_user_id",
            name=op.f("uq_production_choices_workspace_id_slack_user_id"),
        ),
    )
    op.create_table(
        "shoot_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("production_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("day_number", sa.Integer(), nullable=True),
        sa.Column("general_call", sa.Integer(), nullable=False),
        sa.Column("shooting_call", sa.Integer(), nullable=True),
        sa.Column("wrap", sa.Integer(), nullable=True),
        sa.Column("location_name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("parking", sa.String(length=500), nullable=False),
        sa.Column("hospital", sa.String(length=500), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "scheduled",
                "cancelled",
                "wrapped",
                name="day_status",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "general_call >= 0 AND general_call < 2880", name=op.f("ck_shoot_days_general_call")
        ),
        sa.ForeignKeyConstraint(
            ["production_id"],
            ["productions.id"],
            name=op.f("fk_shoot_days_production_id_productions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shoot_days")),
        sa.UniqueConstraint("production_id", "date", name=op.f("uq_shoot_days_production_id_date")),
    )
    op.create_table(
        "scenes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shoot_day_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("set_name", sa.String(length=200), nullable=False),
        sa.Column("day_night", sa.String(length=10), nullable=False),
        sa.Column("eighths", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shoot_day_id"],
            ["shoot_days.id"],
            name=op.f("fk_scenes_shoot_day_id_shoot_days"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenes")),
    )
    with op.batch_alter_table("scenes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scenes_shoot_day_id"), ["shoot_day_id"], unique=False)

    op.create_table(
        "calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shoot_day_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("crew_member_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "clock",
                "offset",
                "off",
                name="call_kind",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "(department_id IS NULL) != (crew_member_id IS NULL)", name=op.f("ck_calls_one_subject")
        ),
        sa.ForeignKeyConstraint(
            ["crew_member_id"],
            ["crew_members.id"],
            name=op.f("fk_calls_crew_member_id_crew_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_calls_department_id_departments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shoot_day_id"],
            ["shoot_days.id"],
            name=op.f("fk_calls_shoot_day_id_shoot_days"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calls")),
        sa.UniqueConstraint(
            "shoot_day_id", "crew_member_id", name=op.f("uq_calls_shoot_day_id_crew_member_id")
        ),
        sa.UniqueConstraint(
            "shoot_day_id", "department_id", name=op.f("uq_calls_shoot_day_id_department_id")
        ),
    )
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calls_crew_member_id"), ["crew_member_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_calls_shoot_day_id"), ["shoot_day_id"], unique=False)

    with op.batch_alter_table("crew_members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("department_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_crew_members_department_id"), ["department_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_crew_members_department_id_departments"),
            "departments",
            ["department_id"],
            ["id"],
            ondelete="SET NULL",
        )

    _departments_from_text()

    with op.batch_alter_table("productions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("schedule_version", sa.Integer(), nullable=False, server_default="1")
        )

    with op.batch_alter_table("crew_members", schema=None) as batch_op:
        batch_op.drop_column("department")


def _departments_from_text() -> None:
    """Turn each crew member's department name into a row of the new departments table."""
    connection = op.get_bind()
    pairs = connection.execute(
        sa.text(
            "SELECT DISTINCT production_id, department FROM crew_members WHERE department <> ''"
        )
    ).all()
    ids: dict[tuple[int, str], int] = {}
    for production_id, name in pairs:
        key = " ".join(name.lower().split())
        if (production_id, key) not in ids:
            ids[(production_id, key)] = connection.execute(
                sa.text(
                    "INSERT INTO departments (production_id, name, key) "
                    "VALUES (:production_id, :name, :key) RETURNING id"
                ),
                {"production_id": production_id, "name": " ".join(name.split()), "key": key},
            ).scalar_one()
        connection.execute(
            sa.text(
                "UPDATE crew_members SET department_id = :department_id "
                "WHERE production_id = :production_id AND department = :name"
            ),
            {
                "department_id": ids[(production_id, key)],
                "production_id": production_id,
                "name": name,
            },
        )


def downgrade() -> None:
    with op.batch_alter_table("productions", schema=None) as batch_op:
        batch_op.drop_column("schedule_version")

    with op.batch_alter_table("crew_members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("department", sa.VARCHAR(length=100), nullable=False, server_default="")
        )
        batch_op.drop_constraint(
            batch_op.f("fk_crew_members_department_id_departments"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_crew_members_department_id"))
        batch_op.drop_column("department_id")

    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calls_shoot_day_id"))
        batch_op.drop_index(batch_op.f("ix_calls_crew_member_id"))

    op.drop_table("calls")
    with op.batch_alter_table("scenes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenes_shoot_day_id"))

    op.drop_table("scenes")
    op.drop_table("shoot_days")
    op.drop_table("production_choices")
    op.drop_table("departments")
