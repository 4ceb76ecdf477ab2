"""kepu/bounded.py: hostile work in a child process ends within its limits, whatever it does."""

import sys
import time

import pytest

from kepu import bounded

pytestmark = pytest.mark.sqlite

PYTHON = sys.executable
MB = 1024 * 1024


def python(code: str, limits: bounded.Limits, **kwargs) -> bounded.Outcome:
    return bounded.run([PYTHON, "-c", code], limits, **kwargs)


def test_a_well_behaved_child_answers_with_its_output():
    outcome = python(
        "import sys; sys.stdout.write(sys.stdin.read().upper())",
        bounded.Limits(seconds=20),
        input=b"kepu",
    )

    assert outcome.ok and outcome.status == "ok"
    assert outcome.stdout == b"KEPU"


def test_a_failing_child_is_reported_not_raised():
    outcome = python("raise SystemExit(4)", bounded.Limits(seconds=20))

    assert outcome.status == "failed" and outcome.returncode == 4
    assert not outcome.hit_a_limit


def test_a_child_that_allocates_beyond_its_memory_limit_cannot():
    # 1 GiB of bytes in a child allowed 256 MB of address space.
    outcome = python(
        "data = bytearray(1024 * 1024 * 1024)\nprint(len(data))",
        bounded.Limits(seconds=20, memory_bytes=256 * MB),
    )

    assert not outcome.ok
    assert b"MemoryError" in outcome.stderr


def test_a_child_that_spins_is_stopped_by_its_cpu_limit():
    started = time.monotonic()

    outcome = python("while True: pass", bounded.Limits(seconds=30, cpu_seconds=1))

    assert outcome.status == "killed"
    assert outcome.hit_a_limit
    assert time.monotonic() - started < 20


def test_a_child_that_sleeps_is_killed_at_the_timeout_with_what_it_started(tmp_path):
    pid_file = tmp_path / "grandchild.pid"
    code = (
        "import subprocess, sys, time\n"
        f"p = subprocess.Popen([{PYTHON!r}, '-c', 'import time; time.sleep(60)'])\n"
        f"open({str(pid_file)!r}, 'w').write(str(p.pid))\n"
        "time.sleep(60)\n"
    )
    started = time.monotonic()

    outcome = python(code, bounded.Limits(seconds=2))

    assert outcome.status == "timeout" and outcome.hit_a_limit
    assert time.monotonic() - started < 15
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(grandchild):
        time.sleep(0.05)
    assert not _alive(grandchild)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_a_child_cannot_write_a_file_beyond_its_file_limit(tmp_path):
    target = tmp_path / "out.bin"

    outcome = python(
        f"open({str(target)!r}, 'wb').write(b'x' * (4 * 1024 * 1024))",
        bounded.Limits(seconds=20, file_bytes=MB),
    )

    assert not outcome.ok
    assert target.stat().st_size <= MB


def test_run_python_finds_the_project_from_anywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PYTHONPATH", raising=False)

    outcome = bounded.run_python("kepu.bounded", [], bounded.Limits(20))

    assert outcome.ok, outcome.stderr  # the module was found and ran
