"""Real PDFs for tests, written by hand: text in any script (a Type 0 font with Identity-H
codes and a ToUnicode map, as Chinese PDFs are made), one page per string; and encrypted
copies made with pypdf."""

import io


def _to_unicode_cmap(codes: dict[str, int]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    items = sorted(codes.items(), key=lambda item: item[1])
    for start in range(0, len(items), 100):
        chunk = items[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{code:04X}> <{ord(char):04X}>" for char, code in chunk]
        lines.append("endbfchar")
    lines += ["endcmap CMapName currentdict /CMap defineresource pop end end"]
    return "\n".join(lines).encode()


def make_pdf(pages: list[str]) -> bytes:
    """A PDF with one page per string; each string's lines are drawn as text lines."""
    chars = sorted({char for page in pages for char in page if char != "\n"})
    codes = {char: index + 1 for index, char in enumerate(chars)}
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes) -> bytes:
        return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    catalog = add(b"")  # filled in below
    pages_id = add(b"")
    cmap_id = add(stream(_to_unicode_cmap(codes)))
    descendant = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /KepuTestFont "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/DW 1000 >>"
    )
    font_id = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /KepuTestFont /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (descendant, cmap_id)
    )
    page_ids = []
    for text in pages:
        ops = [b"BT /F1 12 Tf 14 TL 50 780 Td"]
        for line in text.split("\n"):
            hexcodes = "".join(f"{codes[char]:04X}" for char in line)
            ops.append(b"<%s> Tj T*" % hexcodes.encode())
        ops.append(b"ET")
        content = add(stream(b"\n".join(ops)))
        page_ids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                % (pages_id, font_id, content)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    kids = b" ".join(b"%d 0 R" % pid for pid in page_ids)
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))

    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, xref)
    )
    return out.getvalue()


def encrypt_pdf(data: bytes, user_password: str) -> bytes:
    """`data` encrypted with pypdf (AES-256); an empty user password only restricts use
    (the owner password is the user password reversed plus a suffix, never empty)."""
    owner_password = user_password[::-1] + "-owner"
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password, owner_password, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
