"""Files that people upload to contests, real and hostile, and a way to run their check.

Every builder returns bytes made here (Pillow, zipfile, pypdf): photos with EXIF and GPS,
a PNG declaring 36 megapixels in 150 KB, a .docx whose document.xml unpacks to 90 MB,
Word and PDF files that carry their author's name in every metadata place Word and PDF
writers use.
"""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from PIL import Image

from tests.factories.pdfs import make_pdf

AUTHOR = "张小明"
AUTHOR_LATIN = "Zhang Xiaoming"
WORD_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def checked(action):
    """Run `action()` (an upload through entries.add_file/replace_file), then deliver what
    it queued after its commit: the outbox hands the check to Celery (eager in tests) and
    the worker records the verdict. Returns the EntryFile as the worker left it."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        entry_file = action()
    entry_file.refresh_from_db()
    return entry_file


def jpeg_with_gps(width=64, height=48, orientation=None) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x013B] = AUTHOR_LATIN  # Artist
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 5.0)}
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_bytes(width=8, height=8, mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), (10, 200, 10) if mode == "RGB" else (0, 0, 0, 0)).save(
        out, format="PNG"
    )
    return out.getvalue()


def big_png(width=6000, height=6000) -> bytes:
    """36 megapixels of one colour: about 120 KB on disk, 108 MB once decoded."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _document_xml(paragraphs) -> str:
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document {WORD_NS}>'
        f"<w:body>{body}</w:body></w:document>"
    )


def docx_bytes(paragraphs=("读《昆虫记》有感", "法布尔观察昆虫很有耐心。")) -> bytes:
    """A minimal real .docx."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", _document_xml(paragraphs))
    return out.getvalue()


def png_with_text(width=40, height=30) -> bytes:
    """A PNG whose text and eXIf chunks name its author (as photo and drawing apps write)."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", AUTHOR_LATIN)
    info.add_itxt("Description", f"{AUTHOR}画的", zip=True)
    exif = Image.Exif()
    exif[0x013B] = AUTHOR_LATIN  # Artist
    out = io.BytesIO()
    Image.new("RGB", (width, height), (250, 200, 0)).save(
        out, format="PNG", pnginfo=info, exif=exif.tobytes()
    )
    return out.getvalue()


def docx_with_photos() -> bytes:
    """A .docx with a phone photo (EXIF with GPS, the owner's name) and a PNG drawing
    (text chunks with the author's name) pasted in, as Word keeps them."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", _document_xml(["我拍的蝴蝶"]))
        archive.writestr("word/media/image1.jpeg", jpeg_with_gps(64, 48))
        archive.writestr("word/media/image2.png", png_with_text())
    return out.getvalue()


def docx_with_author(paragraphs=("读《昆虫记》有感", "法布尔观察昆虫很有耐心。")) -> bytes:
    """A .docx as Word writes it on a pupil's computer: the name in the core and app
    properties, a custom property, a comment, a tracked change, people.xml, and the template
    path under the Windows user's folder."""
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    body += (
        '<w:p><w:ins w:id="1" w:author="张小明" w:date="2026-03-01T10:00:00Z">'
        "<w:r><w:t>补充的一句话。</w:t></w:r></w:ins></w:p>"
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document {WORD_NS}>'
        f"<w:body>{body}</w:body></w:document>"
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/">'
        f"<dc:title>读后感</dc:title><dc:creator>{AUTHOR}</dc:creator>"
        f"<cp:lastModifiedBy>{AUTHOR_LATIN}</cp:lastModifiedBy>"
        "<cp:revision>3</cp:revision></cp:coreProperties>"
    )
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>Microsoft Office Word</Application>'
        f"<Company>{AUTHOR}的家</Company><Manager>{AUTHOR_LATIN}</Manager></Properties>"
    )
    custom = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
        f'name="学生"><vt:lpwstr>{AUTHOR}</vt:lpwstr></property></Properties>'
    )
    comments = (
        f"<w:comments {WORD_NS}>"
        f'<w:comment w:id="0" w:author="{AUTHOR}" w:initials="ZXM" w:date="2026-03-01T10:00:00Z">'
        "<w:p><w:r><w:t>这里再改改</w:t></w:r></w:p></w:comment></w:comments>"
    )
    people = (
        '<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
        f'<w15:person w15:author="{AUTHOR}"><w15:presenceInfo w15:providerId="AD" '
        f'w15:userId="S-1-5-21-{AUTHOR_LATIN}"/></w15:person></w15:people>'
    )
    settings_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/attachedTemplate" '
        'Target="file:///C:\\Users\\zhangxiaoming\\AppData\\Roaming\\Microsoft\\Templates\\'
        'Normal.dotm" TargetMode="External"/></Relationships>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
        archive.writestr("docProps/core.xml", core)
        archive.writestr("docProps/app.xml", app)
        archive.writestr("docProps/custom.xml", custom)
        archive.writestr("word/comments.xml", comments)
        archive.writestr("word/people.xml", people)
        archive.writestr("word/_rels/settings.xml.rels", settings_rels)
    return out.getvalue()


def docx_bomb(unpacked_mb=90) -> bytes:
    """A real .docx of a few hundred KB whose word/document.xml unpacks to `unpacked_mb` MB
    (under the package's 100 MB unpacked cap, which the issue's file also was)."""
    paragraph = "<w:p><w:r><w:t>科普读后感。</w:t></w:r></w:p>".encode()
    block = paragraph * 2000
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as document:
            document.write(f'<?xml version="1.0"?><w:document {WORD_NS}><w:body>'.encode())
            for _ in range(unpacked_mb * 1024 * 1024 // len(block)):
                document.write(block)
            document.write(b"</w:body></w:document>")
    return out.getvalue()


def pdf_with_author(pages=("读后感：法布尔观察昆虫很有耐心。",)) -> bytes:
    """A PDF whose Info dictionary, XMP stream and a comment carry the author's name."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Text
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(list(pages)))))
    writer.add_metadata(
        {"/Author": f"{AUTHOR_LATIN} {AUTHOR}", "/Creator": f"Word ({AUTHOR_LATIN})"}
    )
    writer.xmp_metadata = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq>'
        f"<rdf:li>{AUTHOR_LATIN}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF>"
        '</x:xmpmeta><?xpacket end="w"?>'
    ).encode()
    note = Text(text="写得好", rect=(50, 550, 70, 570))
    note[NameObject("/T")] = TextStringObject(AUTHOR_LATIN)  # the comment's author
    writer.add_annotation(page_number=0, annotation=note)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def author_traces(data: bytes) -> list[str]:
    """Every form of the author's name found in `data` (UTF-8, UTF-16 as PDFs store
    strings, and the Windows user name)."""
    forms = {
        AUTHOR: [AUTHOR.encode(), AUTHOR.encode("utf-16-be")],
        AUTHOR_LATIN: [AUTHOR_LATIN.encode(), AUTHOR_LATIN.encode("utf-16-be")],
        "zhangxiaoming": [b"zhangxiaoming"],
    }
    return [name for name, encodings in forms.items() if any(e in data for e in encodings)]


def docx_author_traces(data: bytes) -> dict[str, list[str]]:
    """The author's name per part of a .docx package, read unpacked."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        found = {name: author_traces(archive.read(name)) for name in archive.namelist()}
    return {name: traces for name, traces in found.items() if traces}


def pdf_author_traces(data: bytes) -> list[str]:
    """The author's name anywhere in a PDF's objects: every string (however encoded:
    literal, hex, UTF-16) and every stream decoded, found by reading the file with pypdf;
    plus its raw bytes."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, StreamObject, TextStringObject

    reader = PdfReader(io.BytesIO(data))
    texts = [data]
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            stack = [reader.get_object(number)]
        except Exception:  # noqa: S112 (a free entry of the cross-reference table)
            continue
        while stack:
            item = stack.pop()
            if isinstance(item, StreamObject):
                texts.append(item.get_data())
            if isinstance(item, DictionaryObject):
                stack.extend(value for value in item.values() if not hasattr(value, "idnum"))
            elif isinstance(item, ArrayObject):
                stack.extend(value for value in item if not hasattr(value, "idnum"))
            elif isinstance(item, TextStringObject):
                texts.append(str(item).encode())
    return sorted({trace for text in texts for trace in author_traces(text)})
