"""The registry of outbox jobs by name (outbox/jobs.py)."""

import ast
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from outbox import jobs
from outbox.jobs import job

pytestmark = pytest.mark.sqlite

ROOT = Path(__file__).resolve().parents[2]
APP_PACKAGES = ["accounts", "competitions", "content", "dashboard", "kepu", "notifications"]
APP_PACKAGES += ["outbox", "search"]
ENQUEUE_FUNCTIONS = {"enqueue", "enqueue_later", "enqueue_coalesced"}
# Keyword arguments that hand a job name to code that enqueues it later (ExportLifecycle).
JOB_KEYWORDS = {"build_target"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def names_enqueued_in_code() -> dict[str, str]:
    """Every job name the apps' code passes to the enqueue functions, or hands over as a
    `build_target=` to code that enqueues it, with where it does.

    The argument is read from the source and evaluated in its module, so a constant
    (`enqueue(CHECK_TARGET, …)`) counts as the name it holds; a name an object holds
    (`enqueue(self.build_target, …)`) is counted where the object is made.
    """
    found = {}
    for package in APP_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                func = node.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                given = [kw.value for kw in node.keywords if kw.arg in JOB_KEYWORDS]
                if called in ENQUEUE_FUNCTIONS and not _held_by_self(node.args[0]):
                    given.append(node.args[0])
                for expression in given:
                    namespace = vars(importlib.import_module(_module_name(path)))
                    name = eval(compile(ast.Expression(expression), str(path), "eval"), namespace)  # noqa: S307 (our own source)
                    found[name] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def _held_by_self(expression: ast.expr) -> bool:
    return isinstance(expression, ast.Attribute) and getattr(expression.value, "id", "") == "self"


def names_registered_by_django_setup() -> set[str]:
    """The job names a fresh process knows once Django is set up, as a worker does: nothing
    imported by other tests counts."""
    script = (
        "import json, django; django.setup(); from outbox import jobs; "
        "print(json.dumps(sorted(jobs.names())))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kepu.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_every_job_name_used_in_code_is_registered_once_django_is_set_up():
    used = names_enqueued_in_code()
    registered = names_registered_by_django_setup()

    assert "quizzes.issue_certificate" in used and "outbox.run_django_task" in used
    assert {"quizzes.build_export", "submissions.build_contest_export"} <= used.keys()
    assert "quizzes.count_items" in used
    missing = {name: where for name, where in used.items() if name not in registered}
    assert missing == {}


def test_every_former_import_path_leads_to_a_registered_job():
    registered = names_registered_by_django_setup()

    assert set(jobs.FORMER_NAMES.values()) <= registered
    assert jobs.DJANGO_TASK in registered


def test_a_job_is_found_by_its_name_and_returned_unchanged():
    def greet(who):
        return f"hello {who}"

    assert job("tests.greet")(greet) is greet
    assert jobs.get("tests.greet")("kepu") == "hello kepu"
    assert jobs.require("tests.greet") == "tests.greet"


def test_a_name_taken_by_another_function_is_refused():
    def first():
        pass

    def second():
        pass

    job("tests.taken")(first)
    job("tests.taken")(first)  # importing the same module again is harmless

    with pytest.raises(ImproperlyConfigured, match=r"tests\.taken"):
        job("tests.taken")(second)
    assert jobs.get("tests.taken") is first


@pytest.mark.parametrize(
    "name", ["issue_certificate", "competitions.quizzes.Certificates.issue", "quizzes.", ""]
)
def test_a_name_that_is_not_app_dot_verb_object_is_refused(name):
    with pytest.raises(ImproperlyConfigured):
        job(name)


def test_an_unknown_name_raises_unknown_job():
    with pytest.raises(jobs.UnknownJob):
        jobs.get("tests.never_registered")
    with pytest.raises(jobs.UnknownJob):
        jobs.require("tests.never_registered")
    assert not jobs.resolves("tests.never_registered")


def test_a_former_import_path_resolves_to_the_job_now_named_for_it():
    from competitions.quizzes.certificates.services import issue_certificate

    assert jobs.get("competitions.quizzes.certificates.issue_certificate") is issue_certificate
    # Resolvable for messages already stored, but new messages must use the name.
    with pytest.raises(jobs.UnknownJob):
        jobs.require("competitions.quizzes.certificates.issue_certificate")
