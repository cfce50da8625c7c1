"""bandit in .ci/run: the code base has no high-severity finding, and the
same command does fail on one."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bandit_args() -> list[str]:
    text = (ROOT / ".ci/run").read_text().replace("\\\n", " ")
    line = next(line for line in text.splitlines() if "bandit" in line and "--recursive" in line)
    args = shlex.split(line.strip())
    assert "--severity-level" in args and args[args.index("--severity-level") + 1] == "high"
    return args[1:]


def test_the_code_base_has_no_high_severity_finding():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", *_bandit_args()], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_scan_fails_on_a_high_severity_finding(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "shell.py").write_text(
        "import subprocess\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"
    )
    # The same options, on the bad package instead of the apps.
    options = [a for a in _bandit_args() if not (ROOT / a).is_dir() or a.startswith("./")]
    result = subprocess.run(
        [sys.executable, "-m", "bandit", *options, str(bad)], capture_output=True, text=True
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "B602" in result.stdout
