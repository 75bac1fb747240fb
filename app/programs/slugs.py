"""URL slugs: readable, ASCII, derived from a German or English title."""

import re
import unicodedata
from collections.abc import Callable

SLUG_MAX = 80
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


def slugify(text: str, *, max_length: int = SLUG_MAX) -> str:
    ascii_text = (
        unicodedata.normalize("NFKD", text.translate(_GERMAN)).encode("ascii", "ignore").decode()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def is_valid_slug(slug: str) -> bool:
    return len(slug) <= SLUG_MAX and bool(SLUG_PATTERN.match(slug))


def unique_slug(base: str, taken: Callable[[str], bool], *, fallback: str) -> str:
    """`base`, or `base-2`, `base-3`, … whichever is not `taken` yet."""
    base = base or fallback
    candidate, number = base, 1
    while taken(candidate):
        number += 1
        suffix = f"-{number}"
        candidate = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
    return candidate
