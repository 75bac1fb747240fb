"""Security headers, the CSP the pages must live with, CSRF, cookies, secrets, error pages."""

import stat
from collections import Counter
from html.parser import HTMLParser

import pytest

from app import create_app
from config import Config, ProductionConfig
from tests.auth.helpers import login, tr
from tests.factories import UserFactory


class PageScan(HTMLParser):
    """What the CSP and CSRF rules care about in one rendered page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.inline_scripts = 0
        self.style_elements = 0
        self.style_attributes: list[str] = []
        self.event_handlers: list[str] = []
        self.javascript_urls: list[str] = []
        self.ids: list[str] = []
        self.forms: list[dict] = []
        self._in_inline_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if "style" in attributes:
            self.style_attributes.append(tag)
        self.event_handlers += [name for name in attributes if name.startswith("on")]
        for name in ("href", "src", "action"):
            if (attributes.get(name) or "").strip().lower().startswith("javascript:"):
                self.javascript_urls.append(attributes[name])
        if tag == "script":
            self._in_inline_script = "src" not in attributes
            self.inline_scripts += self._in_inline_script
        elif tag == "style":
            self.style_elements += 1
        elif tag == "form":
            self.forms.append({"method": (attributes.get("method") or "get").lower(), "inputs": []})
        elif tag == "input" and self.forms:
            self.forms[-1]["inputs"].append(attributes)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    @staticmethod
    def csrf_tokens(form) -> list[str]:
        return [
            field.get("value") or ""
            for field in form["inputs"]
            if field.get("name") == "csrf_token" and field.get("type") == "hidden"
        ]


ANONYMOUS_PAGES = [
    "/",
    "/privacy",
    "/auth/login",
    "/auth/register",
    "/auth/forgot-password",
    "/auth/confirm",
    "/no-such-page",
]
ADMIN_PAGES = ["/", "/account/", "/admin/users", "/admin/users/new", "/auth/invite-coach"]


@pytest.fixture
def rendered_pages(client, login_as, mailbox):
    """Every page of this domain as anonymous visitor and as admin (with an invitation)."""
    pages = {f"anonymous {path}": client.get(path) for path in ANONYMOUS_PAGES}
    login_as("admin")
    client.submit(
        "/auth/invite-coach",
        {"name": "Chris Coach", "email": "chris@beratung.example"},
        form_page="/auth/invite-coach",
    )
    pages |= {f"admin {path}": client.get(path) for path in ADMIN_PAGES}
    client.submit("/auth/logout")
    pages["anonymous invitation"] = client.get(mailbox.last_link("chris@beratung.example"))
    pages["anonymous failed login"] = login(client, "chris@beratung.example", "wrong")
    return pages


def test_pages_use_no_inline_script_style_or_handlers(rendered_pages):
    for name, response in rendered_pages.items():
        assert response.status_code in (200, 404, 422), name
        scan = PageScan(response.get_data(as_text=True))
        assert scan.inline_scripts == 0, name
        assert scan.style_elements == 0, name
        assert scan.style_attributes == [], name
        assert scan.event_handlers == [], name
        assert scan.javascript_urls == [], name


def test_every_post_form_carries_a_csrf_token(rendered_pages):
    for name, response in rendered_pages.items():
        post_forms = [
            form
            for form in PageScan(response.get_data(as_text=True)).forms
            if form["method"] == "post"
        ]
        assert post_forms, f"{name}: not even the language switcher?"
        for form in post_forms:
            tokens = PageScan.csrf_tokens(form)
            assert len(tokens) == 1, name
            assert len(tokens[0]) > 20, name


def test_element_ids_are_unique_on_every_page(rendered_pages):
    for name, response in rendered_pages.items():
        ids = Counter(PageScan(response.get_data(as_text=True)).ids)
        assert [i for i, n in ids.items() if n > 1] == [], name


@pytest.mark.parametrize("path", ["/", "/auth/login", "/no-such-page", "/healthz"])
def test_security_headers_on_every_response(client, path):
    headers = client.get(path).headers

    csp = {
        directive.split()[0]: directive.split()[1:]
        for directive in headers["Content-Security-Policy"].split(";")
        if directive.strip()
    }
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert "unsafe" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers


def test_a_post_without_csrf_token_gets_the_friendly_400(client):
    user = UserFactory()

    response = client.post("/auth/login", data={"email": user.email, "password": "x"})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert '<main id="main"' in html
    assert tr("The request could not be processed") in html
    assert (
        tr(
            "Your form has expired or was sent from another site. "
            "Please go back, reload the page and try again."
        )
        in html
    )


def test_a_token_from_another_session_is_refused(client, server_app):
    stranger = server_app.test_client()
    foreign_token = stranger.csrf_token("/auth/login")
    user = UserFactory()
    client.get("/auth/login")

    response = client.post(
        "/auth/login", data={"email": user.email, "password": "x", "csrf_token": foreign_token}
    )

    assert response.status_code == 400


def _set_cookies(response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


def test_session_cookies_are_http_only_and_same_site_lax(client):
    user = UserFactory()

    response = login(client, user.email, remember="y")

    cookies = _set_cookies(response)
    for name in ("session", "remember_token"):
        flags = [flag.strip().lower() for flag in cookies[name].split(";")]
        assert "httponly" in flags, name
        assert "samesite=lax" in flags, name
        assert "secure" not in flags, name


@pytest.mark.parametrize("config_overrides", [{"SESSION_COOKIE_SECURE": True}])
def test_cookies_are_secure_and_hsts_is_sent_when_configured(client):
    user = UserFactory()

    response = login(client, user.email, remember="y")

    cookies = _set_cookies(response)
    assert {"session", "remember_token"} <= set(cookies)  # the remember-me cookie follows
    for name, header in cookies.items():
        assert "secure" in [flag.strip().lower() for flag in header.split(";")], name
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def _production(tmp_path, **settings):
    return type(
        "ProductionUnderTest",
        (ProductionConfig,),
        {
            "INSTANCE_PATH": tmp_path,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "PASSWORD_HASH_PROFILE": "CHEAPEST",
            **settings,
        },
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite://")

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(_production(tmp_path, SECRET_KEY=None))
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(_production(tmp_path, SECRET_KEY=""))
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_to_start_without_a_database_url(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)

    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app(_production(tmp_path, SECRET_KEY="a-real-production-secret"))


def test_production_starts_with_both_and_uses_secure_cookies(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite://")

    app = create_app(_production(tmp_path, SECRET_KEY="a-real-production-secret"))

    assert app.config["SECRET_KEY"] == "a-real-production-secret"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_the_embedded_default_generates_its_secret_once_and_keeps_it(tmp_path):
    instance = tmp_path / "instance"
    embedded = type(
        "EmbeddedUnderTest",
        (Config,),
        {
            "SECRET_KEY": None,
            "INSTANCE_PATH": instance,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "PASSWORD_HASH_PROFILE": "CHEAPEST",
        },
    )

    first = create_app(embedded)
    key_file = instance / "secret_key"
    written = key_file.read_text()
    second = create_app(embedded)

    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == written.strip()
    assert len(written.strip()) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    signed = first.session_interface.get_signing_serializer(first).dumps({"lang": "en"})
    assert second.session_interface.get_signing_serializer(second).loads(signed) == {"lang": "en"}

    other = type("OtherInstance", (embedded,), {"INSTANCE_PATH": tmp_path / "elsewhere"})
    assert create_app(other).config["SECRET_KEY"] != first.config["SECRET_KEY"]


def test_unknown_pages_get_the_404_page_in_the_layout(client):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert '<main id="main"' in html
    assert 'class="site-header"' in html
    assert tr("Page not found") in html


def test_forbidden_pages_get_the_403_page_in_the_layout(client, login_as):
    login_as("participant")

    response = client.get("/admin/users")

    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert '<main id="main"' in html
    assert tr("Access denied") in html
    assert tr("You do not have permission to open this page.") in html


@pytest.mark.parametrize("config_overrides", [{"PROPAGATE_EXCEPTIONS": False}])
def test_a_crash_gets_the_500_page_in_the_layout(server_app, client, caplog):
    def crash():
        raise RuntimeError("boom")

    server_app.add_url_rule("/test-crash", "test_crash", crash)

    response = client.get("/test-crash")

    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert '<main id="main"' in html
    assert tr("Something went wrong") in html
    assert "boom" not in html
    assert any(
        isinstance(record.exc_info[1], RuntimeError) for record in caplog.records if record.exc_info
    )
