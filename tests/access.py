"""The role × URL access matrix, shared by every domain.

Each domain lists its protected URLs as `AccessRow`s in `tests/<domain>/access_rows.py`;
`tests/test_access_matrix.py` checks every row for every actor, and checks that every route of
the app appears in some row (or in `PUBLIC_ENDPOINTS`), so a new unguarded URL fails the suite.

Actors (see `AccessScenario`): anonymous, participant, coach (runs the demo cohort's sessions),
other_coach (runs none), organiser (manages the demo programme), other_organiser (manages
none), admin.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ACTORS = (
    "anonymous",
    "participant",
    "coach",
    "other_coach",
    "organiser",
    "other_organiser",
    "admin",
)

# Expected statuses: 200 (page), 302 (redirect: anonymous to login, or a POST that worked),
# 403 (signed in, wrong role), 404 (signed in, but the object is not theirs to see).
ONLY_ADMIN = dict.fromkeys(ACTORS, 403) | {"anonymous": 302, "admin": 200}
SIGNED_IN = dict.fromkeys(ACTORS, 200) | {"anonymous": 302}
ORGANISERS = dict.fromkeys(ACTORS, 403) | {
    "anonymous": 302,
    "organiser": 200,
    "other_organiser": 200,
    "admin": 200,
}


@dataclass(frozen=True)
class AccessRow:
    endpoint: str
    url: Callable[["AccessScenario"], str]
    expect: dict[str, int]
    method: str = "GET"
    data: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint}"


@dataclass
class AccessScenario:
    """The demo programme plus one account per actor; objects are looked up by the rows."""

    users: dict
    programme: object
    cohort: object
    sessions: list
    extra: dict = field(default_factory=dict)
