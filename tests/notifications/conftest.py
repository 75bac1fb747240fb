import pytest
import time_machine

from tests.notifications.helpers import NOW, SmtpServer


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
