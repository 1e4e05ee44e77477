"""Reading an uploaded file or a path as text: one size check, one UTF-8 decode."""

from __future__ import annotations

import os
from typing import Any

from productops.imports.errors import UnreadableFile

SAVE_AS_UTF8 = "In Excel use Save As and pick 'CSV UTF-8 (Comma delimited)'."


def read_upload_text(file: Any, *, max_bytes: int, size_hint: str) -> str:
    """The text of an uploaded file or a path, checked for size and encoding.

    `size_hint` finishes the too-large sentence ("5,000 people take about half a
    megabyte. Is this the right file?"). A UTF-8 byte order mark is kept for the caller's
    header handling. Raises UnreadableFile with a sentence that says what to do.
    """
    if isinstance(file, str | os.PathLike):
        try:
            with open(file, "rb") as opened:
                data: bytes | str = opened.read(max_bytes + 1)
        except OSError as problem:
            raise UnreadableFile(f"cannot read the file: {problem.strerror or problem}") from None
    else:
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnreadableFile(f"the file is larger than {max_bytes // 2**20} MB; {size_hint}")
    if isinstance(data, str):
        return data
    return decode_utf8(bytes(data))


def decode_utf8(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(f"the file is UTF-16 text, not UTF-8. {SAVE_AS_UTF8}")
    if data.startswith(b"PK\x03\x04"):
        raise UnreadableFile(f"this looks like an Excel workbook, not a CSV file. {SAVE_AS_UTF8}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        raise UnreadableFile(
            f"the file is not UTF-8 text: line {line} has the byte 0x{data[problem.start]:02X}, "
            f"which UTF-8 does not allow. {SAVE_AS_UTF8}"
        ) from None
