"""Every page's one head script (citypulse/head_script.py): the app's browser scripts in
one file, built when the app is imported (issue 15 item 11)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from citypulse import head_script
from citypulse.settings import PROJECT_ROOT


def test_every_source_is_in_the_bundle_once_in_order_without_comment_lines() -> None:
    text = head_script.bundle_text()
    positions = [text.index(f"// {name}\n(function () {{") for name in head_script.SOURCES]
    assert positions == sorted(positions)
    assert head_script.SOURCES[0] == "reconnect-backoff.js"  # before anything reconnects
    for name in head_script.SOURCES:
        assert text.count(f"// {name}\n") == 1
    # The sources' own comment lines are gone; their code is all there.
    assert "PRODUCT.md §6.9" not in text
    assert 'source.indexOf(".reconnect()")' in text
    assert "data-cp-deferred-css" in text


def test_the_bundle_is_valid_javascript_that_runs_once_per_document(tmp_path: Path) -> None:
    node = shutil.which("node", path=str(PROJECT_ROOT / ".tools" / "node_modules" / ".bin"))
    node = node or shutil.which("node")
    if not node:
        pytest.skip("Node is installed by `make tools`")
    bundle = tmp_path / "citypulse.js"
    bundle.write_text(head_script.bundle_text())
    checked = subprocess.run([node, "--check", str(bundle)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    # Already run in this document: the second copy does nothing at all.
    again = subprocess.run(
        [node, "-e", f"globalThis.window = {{__citypulseHeadScript: true}};"
                     f"require({str(bundle)!r}); console.log('nothing ran')"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert again.returncode == 0 and "nothing ran" in again.stdout, again.stderr


def test_build_writes_the_file_once_and_names_it_by_its_content(tmp_path: Path) -> None:
    for name in head_script.SOURCES:
        (tmp_path / name).write_text(f"// about {name}\nvar x = 1;\n")
    address = head_script.build(tmp_path)
    assert address.startswith("/citypulse.js?v=") and len(address) == len("/citypulse.js?v=") + 10
    written = tmp_path / "citypulse.js"
    first = written.stat().st_mtime_ns
    assert head_script.build(tmp_path) == address and written.stat().st_mtime_ns == first
    (tmp_path / "page-shell.js").write_text("var y = 2;\n")
    assert head_script.build(tmp_path) != address  # new content, new address
    assert "var y = 2;" in written.read_text()
    assert not list(tmp_path.glob(".citypulse-*"))  # no temporary file left behind
