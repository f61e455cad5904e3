"""Where a CSV file's quote is left open: the line a reader's "end of file inside a string" means.

pandas reports an unterminated quoted field as "EOF inside string starting at row N", counting
rows, not lines (a quoted field may span lines); Python's csv module, read row by row, knows on
which line the row with the open quote starts.
"""

from __future__ import annotations

import csv
import io


def open_quote_line(text: str, delimiter: str = ",") -> int | None:
    """The 1-based line on which the row holding a never-closed quoted field starts, or None
    when every quote is closed."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            return start
    return None
