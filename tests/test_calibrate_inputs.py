"""``esnsim calibrate`` refuses bad input in one line, exit status 2, before any fitting and with
nothing written under ``--out`` (issue 29, "Hardening II"; docs/reliability.md)."""

from __future__ import annotations

import csv
import os
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from simulation.cli.main import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "viva_engage"
VIVA = EXAMPLE / "activity_user_counts.csv"
SERIES = "day,registered\n0,0.1\n7,0.2\n14,0.3\n"


def _write(tmp_path: Path, text: str, name: str = "obs.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _viva(tmp_path: Path, change=None, drop: str | None = None) -> Path:
    """The example Viva Engage export, with row ``k`` (0 = the header) changed or a column
    dropped."""
    with open(VIVA, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    if change:
        change(rows)
    if drop is not None:
        k = rows[0].index(drop)
        rows = [row[:k] + row[k + 1 :] for row in rows]
    return _write(tmp_path, "".join(",".join(row) + "\n" for row in rows), "viva.csv")


def refused(tmp_path: Path, capsys, observed, *options: str, out: Path | None = None) -> str:
    """Run ``calibrate`` on ``observed``; assert exit 2, one line, nothing under ``--out``."""
    out = out or tmp_path / "out"
    started = time.monotonic()
    code = main(
        ["calibrate", str(EXAMPLE / "pilot.yaml"), "--observed", str(observed),
         "--org", "generate:size=200", "--fit", "adoption.p=1e-4:0.01:log",
         "--evaluations", "2", "--bootstrap", "2", "--replicates", "2", "--out", str(out),
         *options]
    )  # fmt: skip
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert code == 2, captured.err
    assert len(lines) == 1 and lines[0].startswith("esnsim: error: "), captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    assert not out.exists() or out.is_file()  # nothing made (the --out test gives a file)
    assert not list(out.parent.glob(".*partial*")) and not list(out.parent.glob(".esnsim-*"))
    assert time.monotonic() - started < 30  # refused, not fitted
    return lines[0]


def test_out_is_checked_before_the_observed_file_is_read(tmp_path, capsys):
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)  # read first, it would be refused with its own message
    taken = _write(tmp_path, "not a folder", "taken")
    message = refused(tmp_path, capsys, fifo, out=taken)
    assert f"--out {taken}: exists and is not a folder" in message
    assert taken.read_text() == "not a folder"


def test_an_impossible_launch_date(tmp_path, capsys):
    message = refused(tmp_path, capsys, _write(tmp_path, SERIES), "--launch-date", "2026-13-45")
    assert "--launch-date '2026-13-45': not a date (YYYY-MM-DD): month must be in 1..12" in message


@pytest.mark.parametrize("value", ["0", "1", "-3"])
def test_too_few_bootstrap_histories_for_an_interval(tmp_path, capsys, value):
    message = refused(tmp_path, capsys, _write(tmp_path, SERIES), "--bootstrap", value)
    assert f"--bootstrap: must be from 2 to 1,000, got {value}" in message


def test_a_negative_seed(tmp_path, capsys):
    message = refused(tmp_path, capsys, _write(tmp_path, SERIES), "--seed", "-1")
    assert "--seed: must be from 0" in message


def test_a_viva_export_without_its_read_column(tmp_path, capsys):
    message = refused(tmp_path, capsys, _viva(tmp_path, drop="Read"))
    assert "viva.csv:1: a Viva Engage activity report without its column 'Read'" in message


def test_a_viva_user_detail_export_without_its_last_activity_date(tmp_path, capsys):
    text = "Report Refresh Date,User Principal Name,Display Name\n2026-03-02,a@x.com,A\n"
    message = refused(tmp_path, capsys, _write(tmp_path, text), "--launch-date", "2026-01-05")
    assert (
        "obs.csv:1: a Viva Engage user detail export without its column 'Last Activity Date'"
        in message
    )


def test_a_date_of_9999_names_its_line(tmp_path, capsys):
    path = _write(tmp_path, "date,registered\n2026-01-05,0.1\n9999-01-01,0.2\n")
    message = refused(tmp_path, capsys, path)
    latest = date.today() + timedelta(days=7)
    assert f"obs.csv:3: date: 9999-01-01 is in the future (after {latest}" in message


def test_a_viva_report_date_in_2080_names_its_line(tmp_path, capsys):
    def future(rows):
        rows[5][rows[0].index("Report Date")] = "2080-03-01"

    message = refused(tmp_path, capsys, _viva(tmp_path, future))
    assert "viva.csv:6: Report Date: 2080-03-01 is in the future" in message


def test_a_viva_report_date_after_the_refresh_date(tmp_path, capsys):
    def later(rows):
        rows[5][rows[0].index("Report Date")] = "2026-06-01"  # refreshed on 2026-03-02

    message = refused(tmp_path, capsys, _viva(tmp_path, later))
    assert "viva.csv:6: Report Date: 2026-06-01 is after the report's refresh date 2026-03-02" in (
        message
    )


def test_dates_beyond_the_longest_run(tmp_path, capsys):
    path = _write(tmp_path, "date,registered\n2026-01-05,0.1\n2026-02-05,0.2\n")
    message = refused(tmp_path, capsys, path, "--launch-date", "1900-01-01")
    assert "obs.csv:2: date: 2026-01-05 is day 46,025 after the launch 1900-01-01, beyond the " \
        "longest run (30,000 days)" in message  # fmt: skip


def test_a_day_beyond_the_longest_run(tmp_path, capsys):
    message = refused(tmp_path, capsys, _write(tmp_path, "day,registered\n0,0.1\n40000,0.2\n"))
    assert "obs.csv:3: day: day 40,000, beyond the longest run (30,000 days)" in message


def test_an_adoption_period_beyond_the_longest_run(tmp_path, capsys):
    path = _write(tmp_path, "id,toa\n1,1\n2,2000\n")
    message = refused(tmp_path, capsys, path, "--period-days", "30")
    assert "obs.csv:3: toa: period 2,000 of 30 days ends on day 59,999, beyond the longest" in (
        message
    )


def test_an_observed_file_of_2_gib(tmp_path, capsys):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:
        handle.write(SERIES.encode())
        handle.truncate(2 * 2**30)  # sparse: no disk used
    message = refused(tmp_path, capsys, path)
    assert f"{path}: larger than 200,000,000 bytes (the limit)" in message


@pytest.mark.timeout(30)
def test_a_fifo_as_observed_file(tmp_path, capsys):
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    assert f"{fifo}: cannot read (not a regular file)" in refused(tmp_path, capsys, fifo)


@pytest.mark.timeout(30)
def test_dev_zero_as_observed_file(tmp_path, capsys):
    message = refused(tmp_path, capsys, "/dev/zero")
    assert "/dev/zero: cannot read (not a regular file)" in message


def test_a_folder_as_observed_file(tmp_path, capsys):
    (tmp_path / "folder").mkdir()
    message = refused(tmp_path, capsys, tmp_path / "folder")
    assert "folder: cannot read (a folder)" in message


def test_a_missing_observed_file(tmp_path, capsys):
    assert "nothing.csv: file not found" in refused(tmp_path, capsys, tmp_path / "nothing.csv")


def test_an_unterminated_quote_names_the_line_it_opens(tmp_path, capsys):
    path = _write(tmp_path, 'day,registered\n0,0.1\n7,"0.2\n14,0.3\n21,0.4\n')
    message = refused(tmp_path, capsys, path)
    assert "obs.csv:3: a quoted field opened on this line is never closed" in message


def test_a_latin1_observed_file_names_the_line(tmp_path, capsys):
    path = tmp_path / "obs.csv"
    path.write_bytes("day,registered\n0,0.1\n7,0.2 caf\xe9\n".encode("latin-1"))
    message = refused(tmp_path, capsys, path)
    assert "obs.csv:3: not UTF-8 text (byte 0xe9)" in message


def test_negative_counts_name_file_line_and_column(tmp_path, capsys):
    path = _write(tmp_path, "day,registered\n0,5\n7,-2\n")
    message = refused(tmp_path, capsys, path, "--population", "100")
    assert "obs.csv:3: registered: negative value -2" in message


def test_a_negative_viva_count_names_file_line_and_column(tmp_path, capsys):
    def negative(rows):
        rows[4][rows[0].index("Posted")] = "-7"

    message = refused(tmp_path, capsys, _viva(tmp_path, negative), "--population", "2000")
    assert "viva.csv:5: Posted: negative value -7" in message


def test_a_row_missing_a_column_names_file_line_and_column(tmp_path, capsys):
    path = _write(tmp_path, "day,weekly_active,registered\n0,0.1,0.1\n7,0.2\n")
    message = refused(tmp_path, capsys, path)
    assert "obs.csv:3: registered: missing (the row has 2 fields, the header 3)" in message


def test_an_empty_value_names_file_line_and_column(tmp_path, capsys):
    path = _write(tmp_path, "day,weekly_active,registered\n0,0.1,0.1\n7,,0.2\n")
    message = refused(tmp_path, capsys, path)
    assert "obs.csv:3: weekly_active: missing value" in message


def test_a_column_given_twice(tmp_path, capsys):
    path = _write(tmp_path, "day,registered,registered\n0,0.1,0.1\n")
    assert "obs.csv:1: column 'registered' appears twice" in refused(tmp_path, capsys, path)
