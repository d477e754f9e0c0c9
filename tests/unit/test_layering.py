"""Layering rules (ARCHITECTURE.md): dependencies point one way.

`pages -> components -> state -> services -> (models, db, auth, email, media, realtime)`:
the domain packages never import Reflex or the UI layers, and the UI layers (pages,
components) never reach past the state layer into services, models or the database.
"""

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
UI_PACKAGES = ["components", "pages"]
# What lies below the state layer: constants and read models reach the UI through state.
UI_FORBIDDEN_PREFIXES = (
    "citypulse.services",
    "citypulse.models",
    "citypulse.db",
    "citypulse.auth",
    "citypulse.email",
    "citypulse.media",
    "citypulse.realtime",
    "citypulse.jobs",
    "citypulse.api",
)


def imported_modules(path: Path) -> set[str]:
    """Every absolute module name imported by the file at `path`.

    `from citypulse import services` counts as importing `citypulse.services`.
    """
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def reflex_or_ui_imports(path: Path) -> set[str]:
    """The imports of a domain module that reach Reflex (any `reflex*` package) or the UI."""
    return {name for name in imported_modules(path) if name.startswith(FORBIDDEN_PREFIXES)}


def below_state_imports(path: Path) -> set[str]:
    """The imports of a UI module that are, or live under, a module below the state layer."""
    return {
        name
        for name in imported_modules(path)
        if any(name == prefix or name.startswith(f"{prefix}.") for prefix in UI_FORBIDDEN_PREFIXES)
    }


def files_of(packages: list[str]) -> list[Path]:
    return [
        file
        for package in packages
        if (PACKAGE / package).is_dir()
        for file in sorted((PACKAGE / package).rglob("*.py"))
    ]


def test_layer_packages_exist() -> None:
    assert all((PACKAGE / package).is_dir() for package in [*DOMAIN_PACKAGES[:2], *UI_PACKAGES])
    assert files_of(UI_PACKAGES), "the UI walk found no files"


@pytest.mark.parametrize(
    "path", files_of(DOMAIN_PACKAGES), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_domain_module_does_not_import_ui(path: Path) -> None:
    offending = reflex_or_ui_imports(path)
    assert not offending, f"{path} imports {sorted(offending)}"


@pytest.mark.parametrize("path", files_of(UI_PACKAGES), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_ui_module_does_not_import_below_state(path: Path) -> None:
    offending = below_state_imports(path)
    assert not offending, f"{path} imports {sorted(offending)}; pass it through state"


def test_detector_finds_a_reflex_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom reflex.state import State\nimport citypulse.pages.x\n")
    assert {"reflex.state", "citypulse.pages.x"} <= imported_modules(sample)
    assert reflex_or_ui_imports(sample) == {
        "reflex.state",
        "reflex.state.State",
        "citypulse.pages.x",
    }


def test_detector_finds_ui_imports_below_state(tmp_path: Path) -> None:
    sample = tmp_path / "component.py"
    sample.write_text(
        "import reflex as rx\n"
        "from citypulse.state.session import SessionState\n"
        "from citypulse.services.moderation.reports import REPORT_REASONS\n"
        "from citypulse import models\n"
        "import citypulse.db\n"
        "from citypulse.dbx import helper\n"  # a different module that merely shares a prefix
        "from .models import relative\n"  # relative imports stay inside the UI package
    )
    assert below_state_imports(sample) == {
        "citypulse.services.moderation.reports",
        "citypulse.services.moderation.reports.REPORT_REASONS",
        "citypulse.models",
        "citypulse.db",
    }
