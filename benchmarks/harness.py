"""Shared set-up for benchmarks: a throwaway app on a temporary SQLite database."""

import tempfile
from contextlib import contextmanager
from pathlib import Path

from flask_migrate import upgrade

from app import create_app
from config import TestConfig


@contextmanager
def bench_app(**overrides):
    with tempfile.TemporaryDirectory(prefix="fahrplan-bench-") as folder:
        settings = {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.sqlite'}",
            "INSTANCE_PATH": Path(folder),
            "MAIL_FILE_DIR": str(Path(folder) / "mail"),
            **overrides,
        }
        app = create_app(type("BenchConfig", (TestConfig,), settings))
        with app.app_context():
            upgrade()
            yield app


def line(name: str, value: float, unit: str, baseline: float) -> dict:
    return {
        "name": name,
        "value": round(value, 3),
        "unit": unit,
        "baseline": round(baseline, 3),
        "ratio": round(value / baseline, 3) if baseline else None,
    }
