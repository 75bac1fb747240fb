"""Issuing under real concurrency: parallel clicks never give a person two current
certificates, and a cohort never gets two open batches."""

import threading

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from app.certificates import batches, services
from app.certificates.models import Certificate, CertificateBatch
from app.enrolments.models import Enrolment
from app.extensions import db
from app.programs.models import Cohort
from tests.certificates.helpers import AFTER, demo_cohort, take_part

ATTEMPTS = 6


@pytest.fixture
def config_overrides():
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": ATTEMPTS + 2, "max_overflow": 0}}


def _in_parallel(app, action) -> list[str]:
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []

    def attempt():
        with app.app_context():
            db.session.connection()
            barrier.wait()
            try:
                action()
                db.session.commit()
                outcomes.append("done")
            except services.CertificateRefused:
                db.session.rollback()
                outcomes.append("refused")
            except (IntegrityError, OperationalError):
                db.session.rollback()
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_parallel_issuance_for_one_person_issues_one_certificate(app):
    cohort = demo_cohort()
    enrolment_id = take_part(cohort).id
    db.session.remove()

    def issue():
        services.issue(db.session.get(Enrolment, enrolment_id), actor=None, now=AFTER)

    outcomes = _in_parallel(app, issue)
    assert outcomes.count("done") == 1
    assert len(outcomes) == ATTEMPTS
    assert db.session.query(Certificate).count() == 1


def test_parallel_bulk_starts_open_one_batch(app):
    cohort = demo_cohort()
    cohort_id = cohort.id
    take_part(cohort)
    db.session.remove()

    def start():
        batches.start(
            db.session.get(Cohort, cohort_id), actor=None, now=AFTER, base_url="http://localhost/"
        )

    outcomes = _in_parallel(app, start)
    assert outcomes.count("done") == 1
    assert db.session.query(CertificateBatch).count() == 1
