import pytest


@pytest.fixture(autouse=True)
def _read_messages_in_english(english_messages):
    """Every test here matches English words in refusal messages."""
