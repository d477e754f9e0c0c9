"""Layering rule (ARCHITECTURE.md): the domain packages never import Reflex or the UI layers."""

import ast
from pathlib import Path

import pytest

from citypulse.settings import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "citypulse"
DOMAIN_PACKAGES = ["models", "services", "auth", "email", "media", "realtime"]
FORBIDDEN_PREFIXES = (
    "reflex",
    "citypulse.state",
    "citypulse.pages",
    "citypulse.components",
    "citypulse.citypulse",
)


def imported_modules(path: Path) -> set[str]:
    """Every module name imported by the file at `path`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def domain_files() -> list[Path]:
    return [
        file
        for package in DOMAIN_PACKAGES
        if (PACKAGE / package).is_dir()
        for file in sorted((PACKAGE / package).rglob("*.py"))
    ]


def test_domain_packages_exist() -> None:
    assert (PACKAGE / "models").is_dir()


@pytest.mark.parametrize("path", domain_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_domain_module_does_not_import_ui(path: Path) -> None:
    offending = {name for name in imported_modules(path) if name.startswith(FORBIDDEN_PREFIXES)}
    assert not offending, f"{path} imports {sorted(offending)}"


def test_detector_finds_a_reflex_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom reflex.state import State\nimport citypulse.pages.x\n")
    assert {"reflex.state", "citypulse.pages.x"} <= imported_modules(sample)
