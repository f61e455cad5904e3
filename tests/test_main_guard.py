"""A script that starts worker processes outside ``if __name__ == "__main__":`` is refused in
one line before anything is written; a guarded one, a function called under the guard, python -c
and imported modules are not."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

CHECK = "from simulation.base.main_guard import check_main_guard\n"


def _run(tmp_path, body: str) -> subprocess.CompletedProcess:
    script = tmp_path / "script.py"
    script.write_text(CHECK + textwrap.dedent(body), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )


@pytest.mark.parametrize(
    "body",
    [
        "check_main_guard()\nprint('started')\n",
        "def main():\n    check_main_guard()\n    print('started')\n\nmain()\n",
        "if __name__ != '__main__':\n    pass\ncheck_main_guard()\nprint('started')\n",
    ],
    ids=["top-level", "function-called-unguarded", "other-if"],
)
def test_an_unguarded_script_is_refused_naming_its_line(tmp_path, body):
    result = _run(tmp_path, body)
    assert result.returncode != 0 and "started" not in result.stdout
    last = result.stderr.strip().splitlines()[-1]
    assert "script.py:" in last and 'if __name__ == "__main__":' in last


@pytest.mark.parametrize(
    "body",
    [
        "if __name__ == '__main__':\n    check_main_guard()\n    print('started')\n",
        "def main():\n    check_main_guard()\n    print('started')\n\n"
        "if '__main__' == __name__:\n    main()\n",
    ],
    ids=["guarded", "function-called-guarded"],
)
def test_a_guarded_script_is_not(tmp_path, body):
    result = _run(tmp_path, body)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_python_c_and_an_import_are_not_refused(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", CHECK + "check_main_guard(); print('started')"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and result.stdout.strip() == "started", result.stderr
    from simulation.base.main_guard import check_main_guard

    check_main_guard()  # called from a test module under pytest: never refused
