"""Hand-made ACE ES-003 files for the analytics tests: the report's own column names, one
row per tariff ordinal, Chapter 99 rows before the commodity row of their line (the CSMS
18-000624 order), the value on the commodity row and each 9903 row's own duty."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

HEADER = ("Entry Summary Number,Entry Summary Line Number,Entry Type Code,Entry Date,"
          "Country of Origin Code,Manufacturer ID,Line SPI Code,Tariff Ordinal Number,"
          "HTS Number - Full,Line Tariff Quantity (1),Line Tariff UOM (1) Code,"
          "Line Tariff Goods Value Amount,Line Tariff Duty Amount,Liquidation Status,"
          "Liquidation Date,Part Number")
HEADER_MORE = HEADER + ",Seller ID,Product Description"
"""The header with the optional seller and product description (rows with `more=True`)."""

WriteFile = Callable[..., Path]


def row(entry: str, line: int, day: str, origin: str, ordinal: int, hts: str, value: str,
        duty: str, *, spi: str = "", entry_type: str = "01", mid: str = "",
        status: str = "", liquidated: str = "", part: str = "", qty: str = "1",
        unit: str = "NO", seller: str | None = None, description: str | None = None) -> str:
    """One ES-003 row (a Chapter 99 row: empty value, quantity and unit); with `seller` or
    `description`, both columns of `HEADER_MORE` are written."""
    chapter99 = hts.replace(".", "").startswith("99")
    cells = [entry, str(line), entry_type, day, origin, mid, spi, str(ordinal), hts,
             "" if chapter99 else qty, "" if chapter99 else unit, value, duty, status,
             liquidated, part]
    if seller is not None or description is not None:
        cells += [seller or "", description or ""]
    return ",".join(f'"{c}"' if "," in c else c for c in cells)


def es003_writer(folder: Path) -> WriteFile:
    """A function writing an ES-003 CSV from rows (`row(...)`) into `folder`."""
    def write(rows: Sequence[str], name: str = "es003.csv", header: str = HEADER) -> Path:
        path = folder / name
        path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        return path
    return write


def write_xlsx(path: Path, table: Sequence[Sequence[str]]) -> Path:
    """A minimal XLSX (one sheet, inline strings), as a spreadsheet saves an ES-003 export."""
    def cell(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'

    def col(n: int) -> str:
        name = ""
        while n:
            n, r = divmod(n - 1, 26)
            name = chr(65 + r) + name
        return name

    rows = "".join(
        f'<row r="{i}">' + "".join(cell(f"{col(j)}{i}", v) for j, v in enumerate(r, 1) if v)
        + "</row>" for i, r in enumerate(table, 1))
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType='
            '"application/vnd.openxmlformats-package.relationships+xml"/><Default Extension='
            '"xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="applicati'
            'on/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openx'
            'mlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}"><sheets>'
            '<sheet name="ES-003" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openx'
            'mlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml":
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>{rows}'
            '</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path
