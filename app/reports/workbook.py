"""The programme report as an Excel workbook (openpyxl): one sheet per table of the page.

Every text cell is written as text, never as a formula: a cohort named "=HYPERLINK(…)" must not
become a live formula in the organiser's spreadsheet (CSV/formula injection).
"""

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Font

from app.reports.programme import Line, ProgrammeReport

PERCENT = "0%"


def report_workbook(report: ProgrammeReport) -> bytes:
    book = Workbook()
    cohorts = book.active
    cohorts.title = _("Cohorts")
    _table(
        cohorts,
        [
            _("Cohort"),
            _("Sign-ups"),
            _("Participants"),
            _("Waiting list"),
            _("Sessions held"),
            _("Seats"),
            _("Booked"),
            _("Fill level"),
            _("Attended"),
            _("Attendance"),
            _("Certificates"),
            _("Share certified"),
            _("Ratings"),
            _("Average rating"),
        ],
        [_cohort_row(line) for line in [*report.cohorts, report.total]],
        percent_columns={8, 10, 12},
    )
    groups = book.create_sheet(_("Target groups"))
    _table(
        groups,
        [
            _("Target group"),
            _("Sign-ups"),
            _("Participants"),
            _("Certificates"),
            _("Share certified"),
        ],
        [
            [line.label, line.signups, line.participants, line.certificates, line.certificate_rate]
            for line in report.target_groups
        ],
        percent_columns={5},
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cohort_row(line: Line) -> list:
    return [
        line.label,
        line.signups,
        line.participants,
        line.waitlisted,
        line.sessions_held,
        line.capacity,
        line.booked,
        line.fill_rate,
        line.attended,
        line.attendance_rate,
        line.certificates,
        line.certificate_rate,
        line.ratings,
        line.average_rating,
    ]


def _table(sheet, headers: list[str], rows: list[list], *, percent_columns: set[int]) -> None:
    """A header row and the rows; `percent_columns` (1-based) hold shares shown as percent."""
    sheet.append([_text(sheet, header, bold=True) for header in headers])
    for row in rows:
        sheet.append([_text(sheet, value) if isinstance(value, str) else value for value in row])
    for column in percent_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = PERCENT
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = max(len(str(r[0] or "")) for r in [headers, *rows]) + 2


def _text(sheet, value: str, *, bold: bool = False) -> Cell:
    cell = Cell(sheet, value=value)
    cell.data_type = "s"  # a leading "=" stays text
    if bold:
        cell.font = Font(bold=True)
    return cell
