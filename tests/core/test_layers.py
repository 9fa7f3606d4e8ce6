"""core is the bottom layer: it imports no app of the project, and the permissions built on it are all there."""

import ast
from pathlib import Path

import pytest
import rules

import target87

APPS = ("consultations", "people", "priorities", "deliberation", "breakouts", "indicators", "demo", "api", "jobs")
CORE = Path(target87.__file__).parent / "core"


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_core_imports_no_app_of_the_project():
    found = [
        f"{path.relative_to(CORE)}: {name}"
        for path in sorted(CORE.rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[:2] in [["target87", app] for app in APPS]
    ]
    assert found == []


@pytest.mark.parametrize(
    "permission",
    [
        "consultations.add_consultation",
        "consultations.manage",
        "consultations.view",
        "people.view_private",
        "breakouts.manage",
        "deliberation.capture",
        "priorities.manage_ballot",
        "priorities.view_results",
    ],
)
def test_the_permissions_built_on_the_roles_are_registered(permission):
    assert rules.perm_exists(permission)
