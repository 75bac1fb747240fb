"""Password hashing with Argon2id.

The cost comes from `PASSWORD_HASH_PROFILE`, one of argon2-cffi's profiles: RFC 9106's
low-memory profile in production; the test configuration uses the cheapest one so the suite
stays fast (the same code path, weaker parameters). Hashes carry their parameters, so changing
the profile rehashes each password at its next successful login.
"""

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

_state: dict[str, PasswordHasher | str] = {}


def configure(profile_name: str) -> None:
    hasher = PasswordHasher.from_parameters(getattr(profiles, profile_name))
    _state["hasher"] = hasher
    # Verified against when the e-mail is unknown, so both failures cost the same time.
    _state["dummy"] = hasher.hash("fahrplan-timing-equaliser")


def _hasher() -> PasswordHasher:
    if "hasher" not in _state:
        configure("RFC_9106_LOW_MEMORY")
    return _state["hasher"]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher = _hasher()
    try:
        return hasher.verify(password_hash or _state["dummy"], password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
