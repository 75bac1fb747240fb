import pytest
import time_machine

from tests.notifications.helpers import NOW, SmtpServer, demo_cohort, impulse_sessions


@pytest.fixture(autouse=True)
def clock():
    """The real clock starts at NOW (the demo's 2 September 2026) and runs on: what the app does
    on its own after a commit happens at the time the test's services are told it is."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1, running; `smtp.stop()` takes it down."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def cohort(app):
    """The open demo cohort (modules that need other settings override this)."""
    return demo_cohort()


@pytest.fixture
def slot(cohort):
    """An online impulse training of the Verkehrsplaner:innen, with the demo coach."""
    return impulse_sessions(cohort, "verkehrsplanung")[0]
