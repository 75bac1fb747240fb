"""A name written as HTML is printed as text: the renderer fetches nothing for it."""

import socket

import pytest

from app import pdf
from app.certificates import rendering, services
from app.certificates.rules import standing_of
from app.extensions import db
from tests.certificates.helpers import AFTER, demo_cohort, take_part
from tests.certificates.pdf_checks import reader, text
from tests.factories import UserFactory

HOSTILE_NAMES = ['<img src="file:///etc/passwd">', '<link href="http://127.0.0.1:1/">']


@pytest.fixture
def fetched(monkeypatch):
    """Every URL the renderer asks for; any attempt to open a network connection fails."""
    urls = []
    real_fetch = pdf.BundledAssetFetcher.fetch

    def recording_fetch(self, url, headers=None):
        urls.append(url)
        return real_fetch(self, url, headers)

    def no_network(*args, **kwargs):
        raise AssertionError(f"network connection attempted: {args}")

    monkeypatch.setattr(pdf.BundledAssetFetcher, "fetch", recording_fetch)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    return urls


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_name_is_printed_as_text_and_nothing_is_fetched(app, name, fetched):
    cohort = demo_cohort()
    organiser = cohort.programme.managers[0]
    enrolment = take_part(cohort, user=UserFactory(name=name, organisation=name))
    enrolment.organisation = f"{name} & Co"
    db.session.commit()

    html, _titles = rendering.certificate_html("de", [_content(enrolment, organiser)])
    assert name not in html  # escaped by Jinja's autoescape, never markup
    assert "&lt;" in html

    certificate = services.issue(enrolment, actor=organiser, now=AFTER)
    db.session.commit()

    printed = text(certificate.pdf)
    assert name in printed
    assert f"{name} & Co" in printed
    assert reader(certificate.pdf).metadata.title.endswith(name)
    # Only the bundled fonts and the QR code's data: URL were asked for.
    assert fetched, "the renderer fetched not even the bundled font"
    for url in fetched:
        assert url.startswith("data:image/png") or url.startswith(pdf.BASE_URL), url
    assert not any("passwd" in url or "127.0.0.1" in url for url in fetched)
    assert (len(reader(certificate.pdf).pages[0].images)) == 1  # the QR code, nothing else


def test_the_fetcher_refuses_everything_outside_the_bundled_assets():
    fetcher = pdf.BundledAssetFetcher()
    for url in ("file:///etc/passwd", "http://127.0.0.1:1/", f"{pdf.BASE_URL}../pdf.py"):
        with pytest.raises(pdf.RefusedURL):
            fetcher.fetch(url)


def test_a_hostile_name_on_the_verify_page_is_escaped(client, app, fetched):
    cohort = demo_cohort()
    enrolment = take_part(cohort, user=UserFactory(name=HOSTILE_NAMES[0]))
    certificate = services.issue(enrolment, actor=None, now=AFTER)
    db.session.commit()
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in page
    assert HOSTILE_NAMES[0] not in page


def _content(enrolment, organiser):
    return services.content_for(
        standing_of(enrolment, now=AFTER),
        code="TEST-CODE",
        issuer=services.Issuer.acting(organiser),
        now=AFTER,
    )
