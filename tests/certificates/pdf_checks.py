"""Reading the stored PDFs back with pypdf (text, metadata, tags, fonts, the QR image)."""

import io

from pypdf import PdfReader


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text(pdf: bytes) -> str:
    """The extracted text with line breaks folded, so wrapped lines read as one."""
    extracted = "\n".join(page.extract_text() for page in reader(pdf).pages)
    return " ".join(extracted.split())


def fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names
