"""A failing journey leaves a trace zip, a screenshot, a video and an HTML report (issue 16).

Runs the deliberately failing sample (tests/e2e/support/evidence_sample.py) in its own
pytest process with the evidence options of `make e2e`, and reads what it left behind.
"""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from citypulse.settings import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "tests" / "e2e" / "support" / "evidence_sample.py"
# The sample's own conftest: this tier's Chromium (Debian's, with its flags).
CONFTEST = "from tests.e2e.conftest import browser_type_launch_args  # noqa: F401\n"
EVIDENCE = [
    "--tracing",
    "retain-on-failure",
    "--screenshot",
    "only-on-failure",
    "--video",
    "retain-on-failure",
]  # fmt: skip  (the options of `make e2e`)


def test_a_failed_test_leaves_trace_screenshot_video_and_report(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "test_evidence_sample.py")
    (tmp_path / "conftest.py").write_text(CONFTEST)
    output, report = tmp_path / "test-results", tmp_path / "report.html"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "test_evidence_sample.py", "-m", "evidence_sample",
         "-p", "no:cacheprovider", *EVIDENCE, "--output", str(output), "--html", str(report)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip

    assert run.returncode == 1, run.stdout + run.stderr  # the sample failed, as it must
    assert "1 failed" in run.stdout
    (folder,) = output.iterdir()  # one failed test, one folder of evidence
    trace = folder / "trace.zip"
    with zipfile.ZipFile(trace) as archive:
        assert any(name.endswith(".trace") for name in archive.namelist())
    screenshots = list(folder.glob("test-failed-*.png"))
    assert screenshots and screenshots[0].read_bytes().startswith(b"\x89PNG")
    videos = list(folder.glob("*.webm"))
    assert videos and videos[0].stat().st_size > 0
    html = report.read_text()
    assert "trace.zip" in html and "test-failed-1.png" in html
