"""The impact report: the programme's organisers and admins only."""

from tests.access import ORGANISERS, AccessRow

MANAGERS = ORGANISERS | {"other_organiser": 403}


def _report(s) -> str:
    return f"/manage/programmes/{s.programme.id}/report"


ROWS = [
    AccessRow("reports.programme", _report, MANAGERS),
    AccessRow("reports.programme_xlsx", lambda s: f"{_report(s)}.xlsx", MANAGERS),
]
