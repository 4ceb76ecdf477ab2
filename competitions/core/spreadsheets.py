"""Tables from and to spreadsheets (.xlsx and .csv) that organisers edit in Excel or WPS.

Reading is defensive: uploads come from staff but are still untrusted files. The type is
decided by the content (a ZIP holding `xl/workbook.xml`, or text), sizes and row counts are
capped before anything is parsed in full, and every problem becomes a SpreadsheetError with
a message for the organiser, never an exception page. Nothing is stored.
"""

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.refusals import Refusal

ZIP_MAGIC, OLE_MAGIC = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"
# Excel reads a cell starting with one of these as a formula. Cells written to CSV get a
# leading apostrophe (Excel's own "this is text" mark), which the reader takes off again.
FORMULA_STARTS = ("=", "+", "-", "@")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
NUMBER_TYPES = (int, float, Decimal)


class SpreadsheetError(Refusal):
    """The file as a whole cannot be used; `message` tells the organiser why."""


@dataclass
class Table:
    headers: list[str]
    header_row: int  # as Excel numbers rows, from 1
    rows: list[tuple[int, list[str]]]  # (row number as Excel shows it, cell texts)
    labels: dict[str, str] = field(default_factory=dict)  # for callers: key -> header in file


def read_table(
    upload,
    *,
    is_header: Callable[[list[str]], bool],
    max_rows: int,
    max_bytes: int,
    header_search_rows: int = 5,
) -> Table:
    """The header row and the non-empty rows below it, from an uploaded .xlsx or .csv file.

    The header row is the first of the top `header_search_rows` rows for which `is_header`
    is true (organisers sometimes put a title above it). Cells are text, stripped; numbers
    lose a trailing ".0". A .csv may be UTF-8 with or without BOM, UTF-16 with BOM (Excel's
    "Unicode text", tab-separated) or GB18030 (Excel's "CSV" on Chinese Windows).
    Raises SpreadsheetError.
    """
    name = (getattr(upload, "name", "") or "").lower()
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SpreadsheetError(
            _("The file is larger than %(size)s MB. Split it into several files.")
            % {"size": _megabytes(max_bytes)}
        )
    if not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    if data.startswith(ZIP_MAGIC):
        rows = _xlsx_rows(data, max_unpacked=20 * max_bytes)
    elif data.startswith(OLE_MAGIC):
        raise SpreadsheetError(
            _(
                "This is an old Excel 97-2003 (.xls) file. In Excel choose “Save as” → "
                "“Excel workbook (*.xlsx)” and upload that file."
            )
        )
    elif name.endswith(".csv"):
        rows = _csv_rows(data)
    else:
        raise SpreadsheetError(_not_a_spreadsheet())
    return _table(rows, is_header, max_rows, header_search_rows)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def _not_a_spreadsheet() -> str:
    return _("The file is neither an Excel workbook (.xlsx) nor a CSV file (.csv).")


def _xlsx_rows(data: bytes, max_unpacked: int) -> Iterator[list[str]]:
    import openpyxl  # loaded on first use: most processes never read or write a workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(_("The Excel file is damaged and cannot be read.")) from exc
    if "xl/workbook.xml" not in names:
        raise SpreadsheetError(_not_a_spreadsheet())
    # A small file that unpacks to gigabytes is an attack, not a spreadsheet.
    if unpacked > max_unpacked:
        raise SpreadsheetError(_("The Excel file is too large once unpacked."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # Some programs record a wrong sheet size; read what is really there.
        sheet.reset_dimensions()
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
        workbook.close()
    except SpreadsheetError:
        raise
    except Exception as exc:  # openpyxl raises many kinds of errors on damaged files
        raise SpreadsheetError(_("The Excel file is damaged and cannot be read.")) from exc


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise SpreadsheetError(_not_a_spreadsheet())
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        for values in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [_cell_text(_unprotect(value)) for value in values]
    except csv.Error as exc:
        raise SpreadsheetError(
            _("The CSV file cannot be read: %(problem)s") % {"problem": exc}
        ) from exc


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(
        _("The CSV file's text encoding is not recognised. Save it as “CSV UTF-8” in Excel.")
    )


def _unprotect(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _table(rows, is_header, max_rows: int, header_search_rows: int) -> Table:
    header_row, headers, body = None, [], []
    for number, cells in enumerate(rows, start=1):
        if header_row is None:
            if is_header(cells):
                header_row, headers = number, cells
            elif number >= header_search_rows:
                break
            continue
        if not any(cells):
            continue
        body.append((number, cells))
        if len(body) > max_rows:
            raise SpreadsheetError(
                _(
                    "The file has more than %(limit)d rows. Split it into several files "
                    "of at most %(limit)d rows each."
                )
                % {"limit": max_rows}
            )
    if header_row is None:
        raise SpreadsheetError(
            _("No header row found. The first row must hold the column headers of the template.")
        )
    if not body:
        raise SpreadsheetError(_("The file has a header row but nothing below it."))
    return Table(headers=headers, header_row=header_row, rows=body)


# --- writing ----------------------------------------------------------------------------------


@dataclass
class Sheet:
    title: str
    rows: Iterable[list]
    column_widths: list[int] = field(default_factory=list)
    choices: dict[int, list[str]] = field(default_factory=dict)  # column index -> dropdown


def xlsx_bytes(sheets: list[Sheet]) -> bytes:
    """A workbook with the given sheets. Numbers (int, float, Decimal) are numbers Excel can
    sum and sort, dates and times are dates; everything else is text, never a formula."""
    from openpyxl import Workbook  # loaded on first use, as in `_xlsx_rows`
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title)
        for row_index, row in enumerate(spec.rows, start=1):
            for column_index, value in enumerate(row, start=1):
                if value in (None, ""):
                    continue
                cell = sheet.cell(row=row_index, column=column_index)
                if isinstance(value, NUMBER_TYPES) and not isinstance(value, bool):
                    cell.value = value
                elif isinstance(value, datetime):
                    # Excel has no time zones: local (Beijing) time, as organisers read it.
                    if timezone.is_aware(value):
                        value = timezone.localtime(value).replace(tzinfo=None)
                    cell.value = value
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(value, date):
                    cell.value = value
                    cell.number_format = "yyyy-mm-dd"
                else:
                    cell.value = str(value)
                    cell.data_type = TYPE_STRING  # "=…" stays text
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if row_index == 1:
                    cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, width in enumerate(spec.column_widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        for column_index, options in spec.choices.items():
            letter = get_column_letter(column_index + 1)
            validation = DataValidation(
                type="list", formula1='"{}"'.format(",".join(options)), allow_blank=True
            )
            validation.add(f"{letter}2:{letter}5001")
            sheet.add_data_validation(validation)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: Iterable[list]) -> bytes:
    """UTF-8 with a BOM, so Excel on Windows opens it with the right encoding."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_protect("" if value is None else str(value)) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _protect(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value
