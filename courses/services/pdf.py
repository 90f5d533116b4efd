"""A one-page PDF certificate, written directly (no PDF library): A4 landscape, the PDF standard fonts
(Helvetica, WinAnsi encoding), a frame, the texts centred, and the QR code drawn as vector squares.

The standard fonts cover Latin scripts only: for a name or title in another script (Arabic, Chinese,
Cyrillic...) :func:`certificate_pdf` returns ``None`` and the learner saves the printable HTML page as
PDF from the browser instead (the page is laid out for A4 printing).
"""

from __future__ import annotations

import segno

PAGE_W, PAGE_H = 842, 595  # A4 landscape, in points
# Helvetica advance widths (AFM, per 1000 em) for ASCII 32..126; other WinAnsi characters use 556.
_W = [
    int(n)
    for n in """
    278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556
    556 556 556 556 556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667
    611 778 722 278 500 667 556 833 722 778 667 778 722 667 611 722 667 944 667
    667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 556 222 222 500
    222 833 556 556 556 556 333 500 278 556 500 722 500 500 500 334 260 334 584
""".split()
]
_BOLD = [
    int(n)
    for n in """
    278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556
    556 556 556 556 556 556 556 333 333 584 584 584 611 975 722 722 722 722 667
    611 778 722 278 556 722 611 833 722 778 667 778 722 667 611 722 667 944 667
    667 611 333 278 333 584 556 333 556 611 556 611 556 333 611 611 278 278 556
    278 889 611 611 611 611 389 556 333 611 556 778 556 556 500 389 280 389 584
""".split()
]


def encodable(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _width(text: str, size: float, bold: bool) -> float:
    table = _BOLD if bold else _W
    total = 0
    for ch in text:
        code = ord(ch)
        total += table[code - 32] if 32 <= code <= 126 else 556
    return total * size / 1000


def _literal(text: str) -> str:
    out = []
    for byte in text.encode("cp1252"):
        ch = chr(byte)
        if ch in "()\\":
            out.append("\\" + ch)
        elif 32 <= byte <= 126:
            out.append(ch)
        else:
            out.append(f"\\{byte:03o}")
    return "(" + "".join(out) + ")"


def _wrap(text: str, size: float, bold: bool, max_width: float) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if line and _width(trial, size, bold) > max_width:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + ([line] if line else [])


def _centred(ops: list[str], text: str, y: float, size: float, *, bold: bool = False) -> float:
    """Draw centred (wrapped) text with its top line at ``y``; returns the y below it."""
    for line in _wrap(text, size, bold, PAGE_W - 160):
        x = (PAGE_W - _width(line, size, bold)) / 2
        ops.append(f"BT /{'F2' if bold else 'F1'} {size:g} Tf {x:.1f} {y:.1f} Td {_literal(line)} Tj ET")
        y -= size * 1.3
    return y


def certificate_pdf(
    *,
    issuer: str,
    heading: str,
    intro: str,
    name: str,
    middle: str,
    course: str,
    date_line: str,
    code_label: str,
    code: str,
    url: str,
    title: str,
) -> bytes | None:
    """The certificate as PDF bytes, or ``None`` when a text needs a script the standard fonts lack."""
    texts = (issuer, heading, intro, name, middle, course, date_line, code_label, code, url, title)
    if not all(encodable(t) for t in texts):
        return None
    ops = ["0.0 0.247 0.388 RG 4 w 28 28 786 539 re S", "0.5 w 38 38 766 519 re S", "0 0 0 rg"]
    y = 500
    y = _centred(ops, issuer.upper(), y, 13, bold=True) - 18
    y = _centred(ops, heading, y, 30, bold=True) - 14
    y = _centred(ops, intro, y, 14) - 6
    y = _centred(ops, name, y, 26, bold=True) - 6
    y = _centred(ops, middle, y, 14) - 6
    y = _centred(ops, course, y, 20, bold=True) - 6
    _centred(ops, date_line, y, 14)
    # QR code (vector squares) and the verification details, bottom left.
    matrix = segno.make(url, error="m").matrix
    cell = min(3.0, 110 / len(matrix))
    qx, qy = 70, 60
    squares = [
        f"{qx + c * cell:.2f} {qy + (len(matrix) - 1 - r) * cell:.2f} {cell:.2f} {cell:.2f} re"
        for r, row in enumerate(matrix)
        for c, dark in enumerate(row)
        if dark
    ]
    ops.append(" ".join(squares) + " f")
    tx = qx + len(matrix) * cell + 20
    ops.append(f"BT /F1 11 Tf {tx:.1f} 120 Td {_literal(code_label)} Tj ET")
    ops.append(f"BT /F2 14 Tf {tx:.1f} 100 Td {_literal(code)} Tj ET")
    ops.append(f"BT /F1 10 Tf {tx:.1f} 80 Td {_literal(url)} Tj ET")
    content = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] /Contents 4 0 R "
            "/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>"
        ).encode(),
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title " + _literal(title).encode("latin-1") + b" /Producer (Minamata LMS) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 7 0 R >>\n"
    out += f"{trailer}startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
