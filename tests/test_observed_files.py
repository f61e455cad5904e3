"""Observed files as exports and spreadsheets write them (observed_csv, observed_numbers,
observed_dates): delimiters, a title above the header, a totals row, a trailing comma, a
workbook, UTF-16, thousands separators, decimal commas, percentages, datetimes, the file's
line in errors."""

from __future__ import annotations

import re

import pytest

from simulation.analysis.observed import ObservedDataError, load_observed
from simulation.analysis.observed_numbers import NotANumber, number

SLACK = (
    "Date,Total enabled membership,Daily active members,Weekly active members,"
    "Daily members posting messages,Weekly members posting messages"
)
SLACK_ROWS = [  # date, members, daily active, weekly active, daily posters, weekly posters
    ("2026-03-02", 300, 167, 167, 26, 26),
    ("2026-03-03", 300, 161, 232, 26, 52),
    ("2026-03-04", 1200, 1156, 1170, 33, 81),
]


def _write(tmp_path, text: str, name: str = "obs.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def _slack(rows=SLACK_ROWS, sep: str = ",", cell=str) -> str:
    lines = [SLACK.replace(",", sep)] + [sep.join(cell(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def _members_and_weekly(obs) -> tuple[list, list]:
    return obs.membership.tolist(), (obs.series["weekly_active"] * obs.membership).round().tolist()


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_commas_semicolons_and_tabs_read_the_same(tmp_path, sep):
    obs = load_observed(_write(tmp_path, _slack(sep=sep)))
    assert obs.kind == "slack" and obs.days.tolist() == [0, 1, 2]
    assert _members_and_weekly(obs) == ([300, 300, 1200], [167, 232, 1170])


def test_thousands_separators_in_quoted_fields(tmp_path):
    quoted = _slack(cell=lambda v: f'"{v:,}"' if isinstance(v, int) else v)
    assert '"1,200"' in quoted
    obs = load_observed(_write(tmp_path, quoted))
    assert _members_and_weekly(obs) == ([300, 300, 1200], [167, 232, 1170])


def test_decimal_commas_where_the_file_uses_them(tmp_path):
    text = "date;weekly_active;registered\n2026-01-05;0,25;0,5\n2026-01-12; 0,5 ;1\n"
    obs = load_observed(_write(tmp_path, text))
    assert obs.series["weekly_active"].tolist() == [0.25, 0.5]
    assert any("decimal commas" in n for n in obs.notes)
    # 2.300,0 can only be a decimal comma: 1.150 is 1150 (grouped), not 1.15
    counts = "day;registered\n0;1.150\n7;2.300,0\n"
    obs = load_observed(_write(tmp_path, counts), population=5000)
    assert obs.series["registered"].tolist() == [0.23, 0.46]
    half = "day;registered\n0;1.150\n7;2,5\n"  # 2,5 people
    with pytest.raises(ObservedDataError, match=r"obs.csv:3: registered: expected a whole"):
        load_observed(_write(tmp_path, half), population=5000)
    # a comma-separated file's 1.150 is 1.15: not a count
    point = _write(tmp_path, "day,registered\n0,1.150\n", "p.csv")
    with pytest.raises(ObservedDataError, match=r"p.csv:2: registered: expected a whole"):
        load_observed(point, population=5000)


def test_the_number_parser():
    assert number(" 1,150 ") == 1150 and number("1,150.5") == 1150.5
    # a space, a no-break space or an apostrophe (Swiss) as the one separator throughout
    assert number("1 150") == number("1\u00a0150") == number("1'150") == 1150
    assert number("1 150,5", decimal_comma=True) == 1150.5
    with pytest.raises(NotANumber):
        number("1,150 000")  # two separators: not a way anyone writes one number
    assert number("1.150", decimal_comma=True) == 1150 and number("0,25", True) == 0.25
    assert number("12%", share=True) == pytest.approx(0.12)
    assert number("12 %", share=True) == pytest.approx(0.12)
    for text, share, message in [
        ("12%", False, "a percentage ('12%') in a column of counts"),
        ("1,15", False, "not a number"),
        ("inf", False, "not a number"),
        ("", False, "missing value"),
    ]:
        with pytest.raises(NotANumber, match=re.escape(message)):
            number(text, share=share)


def test_percentages_in_a_share_column_and_not_in_a_count_column(tmp_path):
    obs = load_observed(_write(tmp_path, "date,weekly_active\n2026-01-05,12%\n2026-01-12,40 %\n"))
    assert obs.series["weekly_active"].tolist() == pytest.approx([0.12, 0.40])
    counts = _write(tmp_path, "day,registered\n0,5\n7,12%\n")
    with pytest.raises(ObservedDataError, match=r"obs.csv:3: registered: a percentage \('12%'\)"):
        load_observed(counts, population=100)


def test_a_title_above_the_header_is_skipped_with_a_note(tmp_path):
    text = "Acme workspace analytics, exported 2026-09-01\n\nWorkspace: acme\n" + _slack()
    obs = load_observed(_write(tmp_path, text))
    assert obs.days.tolist() == [0, 1, 2]
    assert _members_and_weekly(obs) == ([300, 300, 1200], [167, 232, 1170])
    assert any("lines 1-3 above the header skipped" in n for n in obs.notes)


def test_a_totals_row_and_a_trailing_comma(tmp_path):
    rows = _slack().strip().split("\n") + ["Total,,1484,,,"]
    text = "\n".join(line + "," for line in rows) + "\n"  # an unnamed empty last column
    obs = load_observed(_write(tmp_path, text))
    assert obs.days.tolist() == [0, 1, 2]
    assert _members_and_weekly(obs) == ([300, 300, 1200], [167, 232, 1170])
    assert "note: line 5 is a totals row ('Total'): left out" in obs.notes
    valued = _write(tmp_path, "day,registered,\n0,0.1,\n7,0.2,x\n", "v.csv")
    with pytest.raises(ObservedDataError, match=r"v.csv:1: column 3 has no name"):
        load_observed(valued)


def test_an_excel_workbook_is_read_from_its_first_sheet(tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Activity"
    sheet.append(["Report Refresh Date", "Liked", "Posted", "Read", "Report Date", "Report Period"])
    for day, (posted, read) in enumerate([(3, 40), (5, 60), (2, 30)]):
        sheet.append([datetime(2026, 3, 5), 0, posted, read, datetime(2026, 3, 4 - day), 7])
    book.create_sheet("Notes")
    book.save(tmp_path / "viva.csv")  # a workbook whatever its name
    obs = load_observed(tmp_path / "viva.csv", population=100)
    assert obs.kind == "viva_engage" and [str(d) for d in obs.dates][0] == "2026-03-02"
    assert obs.series["readers"].tolist() == [0.3, 0.6, 0.4]
    assert obs.series["posters"].tolist() == [0.02, 0.05, 0.03]
    assert "note: an Excel workbook: sheet 'Activity' read (the first of 2 sheets)" in obs.notes
    _write(tmp_path, "not a workbook", "bad.xlsx")
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04broken")
    with pytest.raises(ObservedDataError, match=r"bad.xlsx: not a readable Excel workbook"):
        load_observed(tmp_path / "bad.xlsx")


def test_utf16_text_as_excel_saves_unicode_text(tmp_path):
    obs = load_observed(_write(tmp_path, _slack(sep="\t"), encoding="utf-16"))
    assert _members_and_weekly(obs) == ([300, 300, 1200], [167, 232, 1170])
    assert any("UTF-16" in n for n in obs.notes)


@pytest.mark.parametrize(
    "stamp",
    ["2026-03-02 00:00:00", "2026-03-02T00:00:00Z", "3/2/2026 12:00:00 AM", "03/02/2026 00:00"],
)
def test_datetimes_at_midnight_are_dates(tmp_path, stamp):
    rows = [(stamp, *SLACK_ROWS[0][1:]), *SLACK_ROWS[1:]]
    rows[1] = ("2026-03-03" if "-" in stamp else "3/3/2026", *rows[1][1:])
    rows[2] = ("2026-03-04" if "-" in stamp else "3/4/2026", *rows[2][1:])
    obs = load_observed(_write(tmp_path, _slack(rows)))
    assert [str(d) for d in obs.dates] == ["2026-03-02", "2026-03-03", "2026-03-04"]


def test_a_time_of_day_and_junk_after_a_date_are_errors(tmp_path):
    rows = [("2026-03-02 09:30", *SLACK_ROWS[0][1:]), *SLACK_ROWS[1:]]
    with pytest.raises(ObservedDataError, match=r"obs.csv:2: Date: a time of day other than"):
        load_observed(_write(tmp_path, _slack(rows)))
    rows = [("2026-03-02xyz", *SLACK_ROWS[0][1:]), *SLACK_ROWS[1:]]
    with pytest.raises(ObservedDataError, match=r"obs.csv:2: Date: not a date"):
        load_observed(_write(tmp_path, _slack(rows)))


def test_two_digit_years_are_read_as_this_century_with_a_note(tmp_path):
    rows = [(f"03/{d:02d}/26", *row[1:]) for d, row in zip((2, 3, 13), SLACK_ROWS, strict=True)]
    obs = load_observed(_write(tmp_path, _slack(rows)))
    assert [str(d) for d in obs.dates] == ["2026-03-02", "2026-03-03", "2026-03-13"]
    assert any("two-digit years read as 20YY" in n for n in obs.notes)


def test_an_error_names_the_files_line_not_the_sorted_rows(tmp_path):
    # newest first, as the admin centre exports: the empty cell is on line 2, the last date
    header = "Report Refresh Date,Liked,Posted,Read,Report Date,Report Period\n"
    rows = "".join(f"2026-03-10,0,{'' if d == 9 else 1},5,2026-03-0{d},7\n" for d in (9, 8, 7))
    with pytest.raises(ObservedDataError) as error:
        load_observed(_write(tmp_path, header + rows), population=100)
    assert "obs.csv:2: Posted: missing value" in str(error.value)
    percent = header + "".join(
        f"2026-03-10,0,1,{p},2026-03-0{d},7\n" for d, p in ((9, "2%"), (8, 3))
    )
    with pytest.raises(ObservedDataError, match=r"obs.csv:2: Read: a percentage"):
        load_observed(_write(tmp_path, percent), population=100)


def test_dates_in_two_orders_in_one_column_are_named_as_such():
    """One MM/DD date among DD/MM ones said 'not a date'; it is a date in the other order."""
    import pandas as pd

    from simulation.analysis.observed_dates import read_dates

    frame = pd.DataFrame({"Date": ["25/01/2026", "26/01/2026", "01/27/2026", "28/01/2026"]},
                         index=[2, 3, 4, 5])  # fmt: skip
    with pytest.raises(ObservedDataError) as caught:
        read_dates("x.csv", frame, "Date")
    assert str(caught.value) == (
        "x.csv:4: Date: '01/27/2026' reads only as MM/DD/YYYY, while 3 other date(s) read only "
        "as DD/MM/YYYY: one order per column"
    )
