"""Every environment variable the site reads is documented, in README.md and in .env.example.

The variables are found by reading the source of the settings modules (and gunicorn's config):
each call of a `kepu.settings.env` reader, `os.environ.get` or `os.getenv` with a literal name,
and each call of a settings helper that passes its first argument on to one of those.
`kepu/settings/test.py` is left out on purpose: its `KEPU_TEST_*` variables are set by
`scripts/test` itself, never by an operator.
"""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.sqlite

SETTINGS_MODULES = sorted(
    path
    for path in (ROOT / "kepu" / "settings").glob("*.py")
    if path.name not in {"__init__.py", "env.py", "test.py"}
)
SETTINGS_SOURCES = [*SETTINGS_MODULES, ROOT / "kepu" / "gunicorn.conf.py"]
ENV_READERS = {"env_str", "env_int", "env_bool", "env_list", "env_required", "getenv"}

# Variables read by something other than Python settings: each with the file that reads it.
READ_ELSEWHERE = {
    "DJANGO_SETTINGS_MODULE": "manage.py",
    "KEPU_WORKER_CONCURRENCY": "deploy/systemd/kepu-worker.service",
}

VARIABLE_LINE = re.compile(r"^(?:# )?([A-Z][A-Z0-9_]*)=(.*)$")
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _is_reader(func: ast.expr, helpers: set[str]) -> bool:
    if isinstance(func, ast.Name):
        return func.id in ENV_READERS or func.id in helpers
    # os.environ.get(...) and os.getenv(...)
    if isinstance(func, ast.Attribute):
        if func.attr == "getenv":
            return True
        return (
            func.attr == "get"
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "environ"
        )
    return False


def _forwarding_helpers(tree: ast.Module) -> dict[str, str]:
    """Functions of a settings module that read the variable named by their first parameter."""
    helpers = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.args.args:
            parameter = node.args.args[0].arg
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and _is_reader(call.func, set())
                    and call.args
                    and isinstance(call.args[0], ast.Name)
                    and call.args[0].id == parameter
                ):
                    helpers[node.name] = parameter
    return helpers


def variables_read_by(path: Path) -> tuple[set[str], list[str]]:
    """The variable names `path` reads, and the reads whose name is not a literal."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    helpers = _forwarding_helpers(tree)
    names, unknown = set(), []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "environ"
        ):
            unknown.append(f"{path.name}:{node.lineno} os.environ[...]")
        if not (isinstance(node, ast.Call) and _is_reader(node.func, set(helpers)) and node.args):
            continue
        argument = node.args[0]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            names.add(argument.value)
        elif not (isinstance(argument, ast.Name) and argument.id in helpers.values()):
            unknown.append(f"{path.name}:{node.lineno}")
    return names, unknown


def settings_variables() -> set[str]:
    names = set()
    for path in SETTINGS_SOURCES:
        found, _unknown = variables_read_by(path)
        names |= found
    return names


def env_example_lines() -> list[str]:
    return (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()


def env_example_variables() -> dict[str, str]:
    return {
        match[1]: match[2] for line in env_example_lines() if (match := VARIABLE_LINE.match(line))
    }


def readme_configuration_variables() -> set[str]:
    """Names in the first column of the table under README.md's "## Configuration"."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    names = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]*)`", first_cell))
    return names


def test_the_settings_read_every_variable_by_a_literal_name():
    unknown = [read for path in SETTINGS_SOURCES for read in variables_read_by(path)[1]]

    assert unknown == [], "environment reads this test cannot see the name of"


def test_the_scan_finds_variables_of_every_kind_of_read():
    found = settings_variables()

    # env_str in base.py, env_required in production.py, a forwarding helper in
    # object_storage.py, and os.environ.get in gunicorn.conf.py
    assert {"REDIS_URL", "DJANGO_SECRET_KEY", "KEPU_S3_MEDIA_BUCKET", "GUNICORN_BIND"} <= found


def test_every_variable_the_settings_read_is_in_the_readme_configuration_table():
    missing = settings_variables() - readme_configuration_variables()

    assert missing == set()


def test_the_readme_configuration_table_names_only_variables_that_are_read():
    unread = readme_configuration_variables() - settings_variables() - set(READ_ELSEWHERE)

    assert unread == set()


def test_every_variable_the_settings_read_is_in_env_example():
    missing = settings_variables() - set(env_example_variables())

    assert missing == set()


def test_env_example_names_only_variables_that_are_read():
    unread = set(env_example_variables()) - settings_variables() - set(READ_ELSEWHERE)

    assert unread == set()


@pytest.mark.parametrize("name", sorted(READ_ELSEWHERE))
def test_variables_read_elsewhere_are_still_read_there(name):
    assert name in (ROOT / READ_ELSEWHERE[name]).read_text(encoding="utf-8")


def test_every_variable_in_env_example_has_an_english_comment_above_it():
    lines = env_example_lines()
    uncommented = [
        line
        for above, line in zip(["", *lines], lines, strict=False)
        if VARIABLE_LINE.match(line)
        and not (above.startswith("# ") and not VARIABLE_LINE.match(above))
    ]
    comments_in_chinese = [
        line
        for line in lines
        if line.startswith("#") and not VARIABLE_LINE.match(line) and CJK.search(line)
    ]

    assert uncommented == []
    assert comments_in_chinese == []


def test_env_example_has_no_comment_at_the_end_of_a_value():
    # systemd's EnvironmentFile would read such a comment as part of the value.
    values = [value for value in env_example_variables().values() if "#" in value]

    assert values == []


@pytest.mark.parametrize("with_commented_lines", [False, True], ids=["as-installed", "all-lines"])
def test_production_settings_accept_every_value_in_env_example(with_commented_lines):
    variables = {
        match[1]: match[2]
        for line in env_example_lines()
        if (match := VARIABLE_LINE.match(line))
        and (with_commented_lines or not line.startswith("#"))
    }
    clean = {k: v for k, v in os.environ.items() if k not in settings_variables()}
    result = subprocess.run(
        [sys.executable, "-c", "import kepu.settings.production as s; print(s.KEPU_BASE_URL)"],
        cwd=ROOT,
        env={**clean, **variables},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == variables["KEPU_BASE_URL"]
