import pytest
from flask_babel import force_locale


@pytest.fixture(autouse=True)
def english_messages(app):
    """Refusal messages are lazy strings; read them in English so assertions can name words."""
    with force_locale("en"):
        yield
