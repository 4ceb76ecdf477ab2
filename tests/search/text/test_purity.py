"""The text core is pure Python: importing and running it loads no Django module."""

import pkgutil
import subprocess
import sys

import pytest

import search.text
from tests.conftest import ROOT

pytestmark = pytest.mark.sqlite

CORE = sorted(f"search.text.{module.name}" for module in pkgutil.iter_modules(search.text.__path__))


def test_the_core_has_the_pipelines_modules():
    assert {"search.text.normalise", "search.text.segment", "search.text.query"} <= set(CORE)


def test_every_core_module_imports_and_runs_without_django():
    code = "\n".join(
        [
            "import importlib, sys",
            f"for name in {CORE!r}: importlib.import_module(name)",
            "from search.text.highlight import snippet",
            "from search.text.query import analyse_query",
            "from search.text.segment import committed_analyser",
            "query = analyse_query('科協如何開展應急科普', committed_analyser())",
            "assert '<mark>' in snippet(['科协开展应急科普培训'], query)",
            "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},  # no DJANGO_SETTINGS_MODULE either
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
