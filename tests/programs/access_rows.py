from tests.access import ORGANISERS, AccessRow

ROWS = [
    AccessRow("programs.index", lambda s: "/manage/", ORGANISERS),
]
