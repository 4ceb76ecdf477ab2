"""The award certificates of a set of entries as one PDF, to print them in one go.

Each certificate is drawn (or taken from the cache) as its own one-page A4 PDF, exactly as
its holder downloads it (results/certificates.py), and the pages are joined with pypdf into a
spooled temporary file: memory holds one drawn page at a time, the result goes to disk
beyond a few megabytes.
"""

import io
import tempfile

from django.db.models import QuerySet
from pypdf import PdfReader, PdfWriter

from ..models import AwardCertificate, Entry
from ..results.certificates import KIND

IN_MEMORY_BYTES = 8 * 1024 * 1024


def certificates_of(entries: QuerySet[Entry]) -> QuerySet[AwardCertificate]:
    """The certificates of the published awards of `entries`: by entry number, each
    award's student certificate before the teacher's."""
    return AwardCertificate.objects.filter(
        award__entry__in=entries, award__published=True
    ).order_by("award__entry__number", "award__kind", "award__rank", "holder")


def certificates_pdf(certificates, request):
    """One PDF with a page per certificate, as an open binary file positioned at the start.
    Raises content.reach.posters.PosterFontMissing without a CJK font."""
    writer = PdfWriter()
    for certificate in certificates:
        page = KIND.cached_file(certificate, "pdf", request)
        writer.add_page(PdfReader(io.BytesIO(page)).pages[0])
    output = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115
    writer.write(output)
    output.seek(0)
    return output
