"""Reading the organiser pages like a browser: field errors, flashes, text."""

import re
from html import unescape

FLASH_RE = re.compile(r'<p class="alert alert-(\w+)">(.*?)</p>', re.S)


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def error_on(response, field_id: str) -> str | None:
    """The error shown next to a field, which must point to it (aria-describedby)."""
    html = response.get_data(as_text=True)
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S)
    if match is None:
        return None
    control = re.search(rf'<(?:input|select|textarea)\b[^>]*\bid="{re.escape(field_id)}"', html)
    assert control, f"no form control with id {field_id}"
    tag = html[control.start() : html.index(">", control.start())]
    assert f"{field_id}-error" in tag, f"{field_id} does not point to its error"
    return unescape(match.group(1)).strip()


def flashes(client, response) -> list[tuple[str, str]]:
    """Follow a redirect and read the flashed messages the page shows."""
    assert response.status_code == 302, response.status_code
    page = client.get(response.headers["Location"])
    return [(kind, unescape(body).strip()) for kind, body in FLASH_RE.findall(page.text)]


def input_value(response, field_id: str) -> str:
    """The value an <input> is shown with."""
    tag = re.search(rf'<input\b[^>]*\bid="{re.escape(field_id)}"[^>]*>', response.text)
    assert tag, f"no input with id {field_id}"
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return unescape(value.group(1)) if value else ""
