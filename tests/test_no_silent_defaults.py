"""Plans say what they are: a threshold rule whose spontaneous rate exceeds its rate once over
the threshold is refused (contacts joining would slow people down), and the forwardable report
names scenario files without the sender's folders."""

from __future__ import annotations

from simulation.cli.main import main
from tests.conftest import SCENARIOS


def test_a_threshold_rule_with_p_above_rate_is_refused_in_one_line(tmp_path, capsys):
    plan = tmp_path / "upside_down.yaml"
    plan.write_text("name: x\nadoption: {rule: threshold, p: 0.3, rate: 0.1}\n", encoding="utf-8")
    assert main(["scenario", "check", str(plan)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and f"{plan}:2: adoption: p (0.3" in err and "keep p <= rate" in err
    plan.write_text("name: x\nadoption: {rule: threshold, p: 0.1, rate: 0.1}\n", encoding="utf-8")
    assert main(["scenario", "check", str(plan)]) == 0


def test_the_report_holds_no_absolute_path(tmp_path, capsys):
    out = tmp_path / "out"
    plans = [str(SCENARIOS / "grassroots.yaml"), str(SCENARIOS / "top_down_mandate.yaml")]
    small = ["--org", "generate:size=200", "--replicates", "2", "--days", "40", "--quiet"]
    assert main(["compare", *plans, *small, "--out", str(out)]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "grassroots.yaml" in html  # the file is named ...
    for folder in (SCENARIOS, SCENARIOS.parent, tmp_path):
        assert str(folder) not in html  # ... without where it lives


def test_an_hr_file_with_an_unclosed_quote_names_the_line_where_it_opens(tmp_path, capsys):
    hr = tmp_path / "hr.csv"
    hr.write_text(
        'employee_id,manager_id,department\n1,,"Sales\nand more"\n2,1,"Marketing\n3,1,IT\n',
        encoding="utf-8",
    )
    assert main(["org", "inspect", str(hr)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"esnsim: error: {hr}:4: a quoted field opened on this line is never closed "
        '(a " without its end)'
    )
