"""Verification codes: 160 random bits from `secrets`, written for people to read and type.

Base32 (A–Z, 2–7) has one case and no look-alike pairs such as 0/O or 1/l; grouped in fours it
reads like "K7QF-2M9X-…". Lookups accept the code in any case, with or without dashes or spaces.
"""

import base64
import re
import secrets

CODE_BYTES = 20  # 160 bits: guessing one valid code is hopeless, even at any request rate
CODE_LETTERS = CODE_BYTES * 8 // 5  # 32 base32 letters, no padding
GROUP = 4
_NOT_CODE = re.compile(r"[^A-Z2-7]")


def new_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii").rstrip("=")
    return _group(raw)


def normalise(typed: str) -> str | None:
    """The stored form of a typed code, or None when it cannot be one."""
    letters = _NOT_CODE.sub("", typed.upper())
    if len(letters) != CODE_LETTERS:
        return None
    return _group(letters)


def _group(letters: str) -> str:
    return "-".join(letters[i : i + GROUP] for i in range(0, len(letters), GROUP))
