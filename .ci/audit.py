"""Supply chain: audit every pin of constraints.txt against the advisory data (pip-audit).

Fails (status 1) on a known vulnerability that has a fixed version; a vulnerability without a
fix is reported and does not fail. When the advisory service cannot be reached (no pin could be
looked up), says so plainly and exits 0: the check was NOT done, which is not a pass.

    .audit-venv/bin/python .ci/audit.py [constraints.txt]
"""

from __future__ import annotations

import json
import subprocess
import sys


def main() -> int:
    pins = sys.argv[1] if len(sys.argv) > 1 else "constraints.txt"
    done = subprocess.run(
        [sys.executable, "-m", "pip_audit", "-r", pins, "--no-deps", "--disable-pip"]
        + ["--progress-spinner", "off", "-f", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"audit: NOT DONE, pip-audit could not run or reach its service ({last[:200]})")
        return 0
    dependencies = report.get("dependencies", [])
    looked_up = [d for d in dependencies if "skip_reason" not in d]
    if not looked_up:
        print(
            f"audit: NOT DONE, the advisory service is unreachable from here: none of the "
            f"{len(dependencies)} pins of {pins} could be looked up"
        )
        return 0
    fixable, unfixed = [], []
    for dependency in looked_up:
        for vuln in dependency.get("vulns", []):
            line = f"{dependency['name']} {dependency['version']}: {vuln['id']}"
            if vuln.get("fix_versions"):
                fixable.append(f"{line} (fixed in {', '.join(vuln['fix_versions'])})")
            else:
                unfixed.append(f"{line} (no fix yet)")
    skipped = len(dependencies) - len(looked_up)
    print(f"audit: {len(looked_up)} pins looked up, {skipped} could not be")
    for line in unfixed + fixable:
        print(f"  {line}")
    if fixable:
        print(f"audit: FAIL, {len(fixable)} known vulnerabilities with a fix available")
        return 1
    print("audit: no known vulnerability with a fix available")
    return 0


if __name__ == "__main__":
    sys.exit(main())
