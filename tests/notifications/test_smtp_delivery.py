"""Mail over real SMTP: an aiosmtpd server on 127.0.0.1 receives what the app sends."""

import logging
import socket
from email import policy
from email.parser import BytesParser

import pytest
from aiosmtpd.controller import Controller

from app.auth import services
from app.extensions import db
from tests.auth.helpers import (
    count_users,
    flashes,
    follow,
    link_path,
    location_path,
    register,
    registration_data,
    reload_user,
    tr,
)
from tests.factories import UserFactory

EMAIL = registration_data()["email"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class CollectingHandler:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self):
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(envelope.content) for envelope in self.envelopes]


@pytest.fixture
def smtp_server():
    handler = CollectingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def config_overrides(smtp_server):
    return {"MAIL_SERVER": smtp_server.hostname, "MAIL_PORT": smtp_server.port}


def test_registration_mail_arrives_over_smtp_in_german(client, smtp_server, mailbox):
    response = register(client)
    assert response.status_code == 302

    [envelope] = smtp_server.handler.envelopes
    assert envelope.rcpt_tos == [EMAIL]
    assert envelope.mail_from == "fahrplan@localhost"
    [message] = smtp_server.handler.messages
    assert message["To"] == EMAIL
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]

    assert message["Content-Language"] == "de"
    assert message["Subject"] == tr("Please confirm your e-mail address", "de")
    assert message["Subject"] != tr("Please confirm your e-mail address", "en")
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="de">' in html
    assert tr("Hello %(name)s,", "de", name="Renate Radweg") in text

    link = next(word for word in text.split() if word.startswith("http"))
    assert link_path(link).startswith("/auth/confirm/")
    assert f'href="{link}"' in html
    assert mailbox.messages == []

    confirmed = client.get(link)
    assert location_path(confirmed) == "/auth/login"
    assert reload_user(EMAIL).is_confirmed


def test_nothing_is_sent_when_the_transaction_is_rolled_back(app, smtp_server):
    services.register(
        email=EMAIL,
        name="Renate Radweg",
        organisation="Stadt Ulm",
        password="a long enough password",
        locale="de",
        config=app.config,
    )
    db.session.rollback()
    UserFactory()  # a later, unrelated commit on the same session

    assert smtp_server.handler.envelopes == []
    assert reload_user(EMAIL) is None


def test_mail_is_sent_only_once_the_transaction_commits(app, smtp_server):
    services.register(
        email=EMAIL,
        name="Renate Radweg",
        organisation="Stadt Ulm",
        password="a long enough password",
        locale="en",
        config=app.config,
    )
    db.session.flush()
    assert smtp_server.handler.envelopes == []

    db.session.commit()

    [message] = smtp_server.handler.messages
    assert message["To"] == EMAIL
    assert message["Content-Language"] == "en"
    assert message["Subject"] == tr("Please confirm your e-mail address", "en")
    db.session.commit()
    assert len(smtp_server.handler.envelopes) == 1


@pytest.mark.parametrize(
    "config_overrides", [{"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": _free_port()}]
)
def test_registration_succeeds_and_logs_when_smtp_is_down(client, caplog):
    with caplog.at_level(logging.ERROR, logger="app.notifications.mail"):
        response = register(client)

    assert response.status_code == 302
    assert location_path(response) == "/auth/login"
    assert flashes(follow(client, response)) == [
        ("success", tr("Almost done: we have sent you an e-mail with a confirmation link."))
    ]
    assert count_users() == 1
    [record] = [r for r in caplog.records if r.name == "app.notifications.mail"]
    assert record.levelno == logging.ERROR
    assert EMAIL in record.getMessage()
    assert isinstance(record.exc_info[1], OSError)
