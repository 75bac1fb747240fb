"""One layout for a batch, one complete PDF per certificate, in the order asked for."""

from flask_babel import force_locale, gettext

from app.certificates.rendering import render_certificates
from tests.certificates.helpers import certificate_content as content
from tests.certificates.pdf_checks import reader, text


def test_each_certificate_gets_its_own_pdf_with_only_its_pages(app):
    long_one = content("Anna", modules=60)  # more modules than fit on one page
    pdfs = render_certificates([long_one, content("Bert"), content("Cleo", language="en")])

    assert [len(reader(pdf).pages) for pdf in pdfs] == [2, 1, 1]
    for pdf, own, others in (
        (pdfs[0], "Anna", ("Bert", "Cleo")),
        (pdfs[1], "Bert", ("Anna", "Cleo")),
        (pdfs[2], "Cleo", ("Anna", "Bert")),
    ):
        printed = text(pdf)
        assert own in printed
        assert not any(other in printed for other in others)
        assert reader(pdf).metadata.title.endswith(own)
    assert "Impuls-Training 59" in text(pdfs[0])
    assert [reader(pdf).trailer["/Root"]["/Lang"] for pdf in pdfs] == ["de", "de", "en"]
    assert "Total: 6 hours" in text(pdfs[2])
    with force_locale("de"):  # German words and dates in a German certificate
        issued = gettext(
            "Issued on %(date)s by %(issuer)s",
            date="03.01.2027",
            issuer="Kompetenznetz Klima Mobil",
        )
    assert issued in text(pdfs[1])


def test_nothing_to_render(app):
    assert render_certificates([]) == []
