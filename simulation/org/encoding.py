"""What kind of file an HR export is, and its text in the right encoding.

Excel saves an HR export in three ways a consultant meets: a workbook (``.xlsx``, a zip
archive), "CSV UTF-8", "CSV" (Windows-1252 on a Western European Windows) and "Unicode text"
(UTF-16 with a byte-order mark, tab-separated). :func:`file_kind` tells a workbook from text by
its first bytes, whatever the file's name; :func:`decode` reads UTF-8 (with or without a BOM)
and UTF-16 (with a BOM, or without one when every other byte of the start is zero) by itself, and
any other encoding when it is named (``--encoding cp1252``). Bytes that are not UTF-8 are not
guessed at (Latin-1, Windows-1252 and others read them differently): the error names the line
and says how to name the encoding.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from simulation.base.errors import OrgDataError, located

#: First bytes of a zip archive (an ``.xlsx`` workbook) and of an Excel 97-2003 ``.xls`` file.
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: Names accepted by ``--encoding`` beside Python's own codec names, for messages.
COMMON = ("utf-8", "cp1252", "utf-16", "latin-1")


#: First bytes of files that are neither text nor a workbook, and what they are.
OTHER_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x7fELF": "a program (ELF executable)",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
}


def file_kind(raw: bytes) -> str:
    """``"xlsx"`` (a zip archive), ``"xls"`` (an old binary workbook), ``"text"``, or what
    another binary file is (a value of :data:`OTHER_MAGIC`, e.g. ``"a PDF document"``)."""
    if raw.startswith(ZIP_MAGIC):
        return "xlsx"
    if raw.startswith(OLE_MAGIC):
        return "xls"
    return next((what for magic, what in OTHER_MAGIC.items() if raw.startswith(magic)), "text")


def refuse_binary(kind: str, path: str | Path) -> None:
    """Raise, saying what the file is, when :func:`file_kind` found neither text nor a workbook
    (a renamed PDF or image would otherwise be "not UTF-8 text ... --encoding cp1252")."""
    if kind not in ("text", "xlsx", "xls"):
        raise OrgDataError(
            located(path, f"{kind}, not an HR export: give a CSV file or an .xlsx workbook")
        )


def check_encoding(name: str | None) -> str | None:
    """A codec name Python knows (normalised), or None; an unknown one is a one-line error."""
    if name is None:
        return None
    try:
        return codecs.lookup(name.strip()).name
    except (LookupError, ValueError):
        raise OrgDataError(
            f"--encoding: unknown encoding {name[:40]!r} (e.g. {', '.join(COMMON)})"
        ) from None


def _utf16_without_bom(raw: bytes) -> str | None:
    """``utf-16-le`` / ``-be`` when the start of ``raw`` is ASCII stored on two bytes each."""
    head = raw[:2000]
    if len(head) < 4:
        return None
    odd_zero = head[1::2].count(0) / max(len(head[1::2]), 1)
    even_zero = head[0::2].count(0) / max(len(head[0::2]), 1)
    if odd_zero > 0.9 and even_zero < 0.1:
        return "utf-16-le"
    if even_zero > 0.9 and odd_zero < 0.1:
        return "utf-16-be"
    return None


def decode(raw: bytes, path: str | Path, encoding: str | None = None) -> tuple[str, str | None]:
    """The text of ``raw`` and, when it was not plain UTF-8, a one-line note saying how it was read.

    Parameters
    ----------
    raw : bytes
        The whole file.
    path : path or label, for messages.
    encoding : str, optional
        A codec name (``--encoding``); without it UTF-8 and UTF-16 are recognised.

    Raises
    ------
    OrgDataError
        Bytes that do not decode, naming the line of the first bad byte and ``--encoding``.
    """
    name = check_encoding(encoding)
    note = None
    if name is None:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            name = "utf-16"
        else:
            name = _utf16_without_bom(raw) or "utf-8-sig"
        if name != "utf-8-sig":
            note = f"{path}: read as UTF-16 text (Excel's 'Unicode text')"
    elif name not in ("utf-8", "utf-8-sig"):
        note = f"{path}: read as {name} (--encoding)"
        if name.startswith(("utf-16", "utf-32")) and raw[:2000].count(0) < len(raw[:2000]) // 8:
            # ASCII in UTF-16 is half zero bytes; without them the text decodes to nonsense
            # on one long line, so the problem is said at line 1
            raise OrgDataError(
                located(
                    path,
                    f"not {name} text (hardly a zero byte: 8-bit text such as UTF-8); drop "
                    "--encoding, or name the file's encoding",
                    line=1,
                )
            )
    if name == "utf-8":
        name = "utf-8-sig"  # a BOM is dropped either way
    try:
        return raw.decode(name), note
    except UnicodeDecodeError as error:
        bom = 3 if name == "utf-8-sig" and raw.startswith(codecs.BOM_UTF8) else 0
        start = error.start + bom
        line = raw.count(b"\n", 0, start) + 1
        byte = raw[start] if start < len(raw) else 0
        if name == "utf-8-sig":
            problem = (
                f"not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8, or name its "
                "encoding with --encoding (Excel's 'CSV' on Windows is --encoding cp1252)"
            )
        else:
            problem = f"not {name} text (byte 0x{byte:02x}); check --encoding"
        raise OrgDataError(located(path, problem, line=line)) from None
