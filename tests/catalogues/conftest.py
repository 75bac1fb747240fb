"""Every catalogue test runs at NOW, a day after the demo was loaded: before every session."""

import pytest
import time_machine

from tests.catalogues.helpers import NOW


@pytest.fixture(autouse=True)
def frozen_clock():
    """Before the app exists, so sessions are signed in the same (frozen, ticking) time."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller
