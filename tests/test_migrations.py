"""The Alembic migrations build exactly the models' schema, and can be walked down and up."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app import create_app
from app.extensions import db
from tests.conftest import make_config


def _schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": False}
        )
        return compare_metadata(context, db.metadata)


def test_the_migrated_test_database_matches_the_models(app):
    assert _schema_differences() == []


def test_downgrade_to_base_and_upgrade_again(tmp_path):
    """On a throwaway SQLite file: the shared test database keeps its tables."""
    database = tmp_path / "migrations.sqlite"
    app = create_app(make_config(f"sqlite:///{database}", tmp_path / "instance"))
    runner = app.test_cli_runner()
    with app.app_context():
        try:
            upgraded = runner.invoke(args=["db", "upgrade"])
            assert upgraded.exit_code == 0, upgraded.output
            model_tables = set(db.metadata.tables)
            assert model_tables <= set(inspect(db.engine).get_table_names())

            downgraded = runner.invoke(args=["db", "downgrade", "base"])
            assert downgraded.exit_code == 0, downgraded.output
            assert set(inspect(db.engine).get_table_names()) & model_tables == set()

            again = runner.invoke(args=["db", "upgrade"])
            assert again.exit_code == 0, again.output
            assert _schema_differences() == []
        finally:
            db.engine.dispose()
