"""Output folders: all or nothing, the completion marker, folder names from untrusted names."""

from __future__ import annotations

import pytest

from simulation.base.outputs import (
    MARKER,
    OutputError,
    check_out,
    is_complete,
    safe_folder_name,
    write_atomically,
    write_file_atomically,
)


def text(content: str):
    return lambda path: path.write_text(content, encoding="utf-8")


def test_a_folder_appears_whole_with_its_marker(tmp_path):
    out = tmp_path / "deep" / "out"
    paths = write_atomically(out, {"a.txt": text("a"), "b.txt": text("b")})
    assert [p.name for p in paths] == ["a.txt", "b.txt"]
    assert is_complete(out) and (out / MARKER).is_file()
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]


def test_a_failing_writer_leaves_nothing_and_keeps_the_earlier_folder(tmp_path):
    out = tmp_path / "out"
    write_atomically(out, {"old.txt": text("old")})

    def broken(path):
        path.write_text("half", encoding="utf-8")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        write_atomically(out, {"new.txt": text("new"), "bad.txt": broken})
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "old.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_earlier_result_is_replaced_whole(tmp_path):
    out = tmp_path / "out"
    write_atomically(out, {"report.html": text("old"), "x.parquet": text("old")})
    write_atomically(out, {"daily.parquet": text("new")})
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "daily.parquet"]


def test_check_out_refusals(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="not a folder"):
        check_out(tmp_path / "file")
    with pytest.raises(OutputError, match="not a folder"):
        check_out(tmp_path / "file" / "below")
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="not esnsim results"):
        check_out(other)
    (tmp_path / "empty").mkdir()
    assert check_out(tmp_path / "empty") == tmp_path / "empty"
    assert check_out(tmp_path / "new" / "deeper").name == "deeper"
    assert not (tmp_path / "new").exists()  # the check makes nothing


def test_a_marker_is_needed_to_be_complete(tmp_path):
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
    assert not is_complete(tmp_path)


def test_one_file_atomically(tmp_path):
    path = write_file_atomically(tmp_path / "org.csv", text("a,b\n"))
    assert path.read_text(encoding="utf-8") == "a,b\n"
    with pytest.raises(ValueError):
        write_file_atomically(tmp_path / "x.csv", lambda p: (_ for _ in ()).throw(ValueError()))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["org.csv"]


@pytest.mark.parametrize(
    ("name", "folder"),
    [
        ("grassroots", "grassroots"),
        ("../../x", "_.._x"),
        ("/etc/cron.d", "_etc_cron.d"),
        ("..", "scenario"),
        ("a\x00b", "a_b"),
        ("C:\\Windows", "C__Windows"),
    ],
)
def test_safe_folder_names(name, folder):
    assert safe_folder_name(name) == folder


def test_long_names_stay_distinct():
    a, b = safe_folder_name("x" * 300 + "a"), safe_folder_name("x" * 300 + "b")
    assert len(a) == 100 and a != b


def test_the_typed_organisation_reads_as_its_mapping():
    from simulation.org.source import parse_source

    source = parse_source({"generate": {"size": 250, "sites": 2}})
    assert source == {"generate": {"size": 250, "sites": 2}}
    assert source["generate"]["size"] == 250 and "dataset" not in source
    assert source.get("hr_csv", "none") == "none" and source.kind == "generate"


def test_outputs_have_the_modes_of_plain_files_and_folders(tmp_path):
    """The staging folder and file are private (0700 / 0600); the results must not be: they
    get what mkdir and open give under the umask (0755 / 0644 under 022)."""
    import os

    previous = os.umask(0o022)
    try:
        out = write_atomically(tmp_path / "out", {"a.txt": text("a")})[0].parent
        one = write_file_atomically(tmp_path / "one.txt", text("x"))
        os.umask(0o077)  # a private umask keeps them private
        private = write_atomically(tmp_path / "private", {"a.txt": text("a")})[0].parent
    finally:
        os.umask(previous)
    assert out.stat().st_mode & 0o777 == 0o755
    assert one.stat().st_mode & 0o777 == 0o644
    assert private.stat().st_mode & 0o777 == 0o700
