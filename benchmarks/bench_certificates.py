"""`certificates`: milliseconds per certificate of a 200-certificate bulk issuance.

Measured through the real path: `batches.start` records the batch, the worker (`tasks.run_batch`,
run inline) evaluates the rule, renders each chunk as one WeasyPrint document split into one
tagged PDF/A per certificate, stores the PDFs and queues the holders' mails (the outbox row; the
dispatcher sends it later, so no mail is delivered inside the measurement).

Baseline, in the same run: a ReportLab canvas drawing of the same certificates (the same texts,
module lines, signature line, code, verify address and the same QR matrix from segno; the same
bundled Liberation Sans embedded; title and language set), timed twice over the same 200
certificates; the faster round counts. Context lines follow: the naive path (one WeasyPrint
document per certificate), WeasyPrint's layout and its PDF writing per certificate (each against
the same baseline), and the share of the issuance spent inside WeasyPrint.
"""

import io
import time
from datetime import UTC, datetime, timedelta
from unittest import mock

import segno
from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from app.auth.models import Role, User
from app.bookings.models import Booking
from app.certificates import batches, rendering, tasks
from app.certificates.models import Certificate, CertificateBatch
from app.enrolments.models import Enrolment
from app.extensions import db
from app.pdf import ASSET_DIR
from app.programs.models import Cohort, Programme, TargetGroup
from app.sessions.models import TrainingSession
from app.sessions.timezones import local_date
from benchmarks.harness import bench_app, line

PEOPLE = 200
NAIVE_SAMPLE = 20
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SESSIONS = [  # kind, title, day offset, hours
    ("info", "Online-Infoveranstaltung", 0, 1.5),
    ("kickoff", "Auftaktworkshop Verkehrsplaner:innen", 14, 3),
    ("impulse", "Impuls-Training Verkehrsplaner:innen – Baustein 1", 28, 2),
    ("impulse", "Impuls-Training Verkehrsplaner:innen – Baustein 2", 35, 2),
    ("impulse", "Impuls-Training Verkehrsplaner:innen – Baustein 3", 42, 2),
    ("closing", "Abschlussveranstaltung mit Übergabe der Zertifikate", 59, 5),
]


def _cohort_that_took_place() -> tuple[Cohort, User]:
    """A cohort whose PEOPLE participants all attended every session (set up directly)."""
    organiser = User(
        email="organiser@bench.example",
        name="Olga Organisatorin",
        organisation="Kompetenznetz Klima Mobil",
        role=Role.ORGANISER.value,
    )
    programme = Programme(
        slug="mutig-voran",
        title="Mutig voran beim Klimaschutz im Verkehr",
        cert_requires_kickoff=True,
        cert_min_impulse_trainings=2,
        cert_requires_closing=True,
    )
    programme.managers.append(organiser)
    group = TargetGroup(slug="verkehrsplanung", name="Verkehrsplaner:innen")
    programme.target_groups.append(group)
    cohort = Cohort(
        programme=programme,
        slug="durchgang-2026",
        name="Durchgang 2026",
        status="running",
        signup_opens_at=START - timedelta(days=30),
        signup_closes_at=START,
    )
    sessions = [
        TrainingSession(
            cohort=cohort,
            kind=kind,
            title=title,
            target_group=None if kind in ("info", "closing") else group,
            starts_at=START + timedelta(days=day),
            ends_at=START + timedelta(days=day, hours=hours),
            capacity_max=PEOPLE,
        )
        for kind, title, day, hours in SESSIONS
    ]
    db.session.add_all([organiser, programme, cohort, *sessions])
    for number in range(PEOPLE):
        person = User(
            email=f"person{number}@kommune.example",
            name=f"Erika Mustermann-{number:03d}",
            organisation="Stadt Musterstadt",
            locale="de",
        )
        enrolment = Enrolment(
            cohort=cohort,
            user=person,
            target_group=group,
            status="approved",
            organisation="Stadt Musterstadt",
            job_function="Verkehrsplanung",
            confirmed_criteria=[],
            consent_text="Einwilligung",
            consented_at=START,
        )
        db.session.add_all([person, enrolment])
        for training_session in sessions:
            db.session.add(
                Booking(
                    enrolment=enrolment,
                    training_session=training_session,
                    status="booked",
                    attendance="attended",
                )
            )
    db.session.commit()
    return cohort, organiser


class ReportLabCertificate:
    """The same certificate drawn on a ReportLab canvas."""

    def __init__(self):
        fonts = ASSET_DIR / "fonts"
        pdfmetrics.registerFont(TTFont("Liberation", str(fonts / "LiberationSans-Regular.ttf")))
        pdfmetrics.registerFont(TTFont("Liberation-Bold", str(fonts / "LiberationSans-Bold.ttf")))

    def draw(self, certificate: Certificate, verify_url: str) -> bytes:
        language = certificate.language
        zone = "Europe/Berlin"
        buffer = io.BytesIO()
        page = canvas.Canvas(buffer, pagesize=A4, lang=language)
        page.setTitle(_("Certificate of participation: %(name)s", name=certificate.holder_name))
        width, height = A4
        left, text_width = 24 * mm, width - 48 * mm
        y = height - 24 * mm

        def write(text, size=11, bold=False, gap=1.35, colour=(0.1, 0.1, 0.1)):
            nonlocal y
            font = "Liberation-Bold" if bold else "Liberation"
            page.setFillColorRGB(*colour)
            page.setFont(font, size)
            for part in simpleSplit(text, font, size, text_width):
                y -= size * gap
                page.drawString(left, y, part)

        def day(value):
            instant = datetime.fromisoformat(value) if isinstance(value, str) else value
            return format_date(local_date(instant, zone), "medium", locale=language)

        green, grey = (0.04, 0.36, 0.23), (0.29, 0.29, 0.29)
        write(_("Certificate of participation"), size=26, bold=True, gap=1.2, colour=green)
        y -= 12 * mm
        write(certificate.holder_name, size=20, bold=True)
        write(certificate.holder_organisation, size=12)
        y -= 8 * mm
        write(_("has taken part in the programme"))
        write(certificate.programme_title, size=15, bold=True)
        write(f"{certificate.cohort_name} · {certificate.target_group_name}")
        y -= 9 * mm
        write(_("Modules attended"), bold=True)
        for module in certificate.modules:
            hours = format_decimal(module["hours"], locale=language)
            write(f"{day(module['starts_at'])} · {module['title']} · {hours} h")
        total = format_decimal(certificate.total_hours, locale=language)
        write(_("Total: %(hours)s hours", hours=total), bold=True)
        y -= 14 * mm
        write(
            _(
                "Issued on %(date)s by %(issuer)s",
                date=day(certificate.issued_at),
                issuer=certificate.issuer_name,
            )
        )
        y -= 14 * mm
        page.setLineWidth(0.6)
        page.line(left, y, left + 85 * mm, y)
        write(certificate.signatory_name or certificate.issuer_name, size=10)
        y -= 14 * mm
        write(_("Verification code: %(code)s", code=certificate.code), bold=True)
        write(_("Anyone can check this certificate at:"), size=9, colour=grey)
        write(verify_url, size=9, colour=grey)
        matrix = segno.make(verify_url, error="m").matrix
        module_size = 30 * mm / (len(matrix) + 8)
        x0, y0 = width - 24 * mm - 30 * mm, y - 5 * mm
        path = page.beginPath()
        for row, modules in enumerate(matrix):
            for column, dark in enumerate(modules):
                if dark:
                    path.rect(
                        x0 + (column + 4) * module_size,
                        y0 + (len(matrix) + 3 - row) * module_size,
                        module_size,
                        module_size,
                    )
        page.setFillColorRGB(0, 0, 0)
        page.drawPath(path, stroke=0, fill=1)
        page.showPage()
        page.save()
        return buffer.getvalue()


def _per_certificate_ms(action, items) -> float:
    started = time.perf_counter()
    for item in items:
        action(item)
    return (time.perf_counter() - started) * 1000 / len(items)


def run() -> list[dict]:
    # The holders' mails wait in the outbox for the dispatcher instead of going out after each
    # commit; queuing them is part of the measurement, delivering them is not.
    with bench_app(NOTIFY_SEND_AFTER_COMMIT=False, CERTIFICATE_BATCH_CHUNK=25) as app:
        cohort, organiser = _cohort_that_took_place()
        with app.test_request_context("/", base_url="http://fahrplan.example/"):
            drawing = ReportLabCertificate()
            started = time.perf_counter()
            batch = batches.start(
                cohort,
                actor=organiser,
                now=START + timedelta(days=70),
                base_url="http://fahrplan.example/",
            )
            db.session.commit()
            inside_weasyprint = _timed(rendering, "_render_same_language")
            layout = _timed(rendering, "render_document")
            writing = _timed(rendering, "write_document")
            with inside_weasyprint, layout, writing:
                tasks.run_batch(app, batch.id)
            elapsed = time.perf_counter() - started
            db.session.expire_all()
            batch = db.session.get(CertificateBatch, batch.id)
            if batch.state != "done" or batch.issued != PEOPLE:
                raise RuntimeError(f"the bulk issuance did not complete: {batch!r}")
            issuance_ms = elapsed * 1000 / PEOPLE

            certificates = db.session.query(Certificate).order_by(Certificate.id).all()
            urls = {c.id: f"http://fahrplan.example/verify/{c.code}" for c in certificates}
            with force_locale("de"):
                drawing.draw(certificates[0], urls[certificates[0].id])
                baseline = min(
                    _per_certificate_ms(lambda c: drawing.draw(c, urls[c.id]), certificates)
                    for _round in range(2)
                )

            naive_ms = _naive(certificates[:NAIVE_SAMPLE])

    return [
        line("certificates", issuance_ms, "ms", baseline),
        line("certificates_naive", naive_ms, "ms", baseline),
        # Where WeasyPrint's time goes, each against the whole ReportLab drawing.
        line("certificates_layout", layout.seconds * 1000 / PEOPLE, "ms", baseline),
        line("certificates_write", writing.seconds * 1000 / PEOPLE, "ms", baseline),
        {
            "name": "certificates_weasyprint_share",
            "value": round(inside_weasyprint.seconds * 1000 / PEOPLE, 3),
            "unit": "ms",
            "baseline": round(issuance_ms, 3),
            "ratio": round(inside_weasyprint.seconds * 1000 / PEOPLE / issuance_ms, 3),
        },
    ]


def _naive(certificates: list[Certificate]) -> float:
    """One WeasyPrint document per certificate, as a first implementation would do."""
    contents = [_content(c) for c in certificates]
    rendering.render_certificates(contents[:1])
    return _per_certificate_ms(lambda c: rendering.render_certificates([c]), contents)


def _content(certificate: Certificate) -> rendering.CertificateContent:
    return rendering.CertificateContent(
        code=certificate.code,
        verify_url=f"http://fahrplan.example/verify/{certificate.code}",
        language=certificate.language,
        timezone="Europe/Berlin",
        holder_name=certificate.holder_name,
        holder_organisation=certificate.holder_organisation,
        programme_title=certificate.programme_title,
        cohort_name=certificate.cohort_name,
        target_group_name=certificate.target_group_name,
        issuer_name=certificate.issuer_name,
        signatory_name=certificate.signatory_name,
        modules=tuple(
            rendering.Module(
                title=m["title"],
                kind=m["kind"],
                starts_at=datetime.fromisoformat(m["starts_at"]),
                ends_at=datetime.fromisoformat(m["ends_at"]),
                hours=m["hours"],
            )
            for m in certificate.modules
        ),
        total_hours=certificate.total_hours,
        issued_at=certificate.issued_at,
    )


class _timed:
    """Adds up the time spent in one function of a module while active."""

    def __init__(self, module, name):
        self.seconds = 0.0
        real = getattr(module, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        self._patch = mock.patch.object(module, name, timed)

    def __enter__(self):
        self._patch.start()
        return self

    def __exit__(self, *exc):
        self._patch.stop()
