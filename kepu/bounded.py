"""Hostile work in a child process under hard limits: the one place that runs it.

Reading what strangers upload (images, Word and PDF documents, videos) can expand without
bound: a 150 KB PNG may declare 36 million pixels, a 275 KB .docx may unpack to 90 MB of
XML, a PDF or a video container may loop. Such work never runs in the calling process. It
runs in a child process with

- a wall-clock timeout (`Limits.seconds`): the child's whole process group is killed when
  it passes;
- kernel resource limits set in the child before its program starts (`resource.setrlimit`):
  address space (RLIMIT_AS: an allocation beyond it fails, so the child cannot take the
  machine's memory), CPU seconds (RLIMIT_CPU: the kernel stops it) and the size of any
  file it writes (RLIMIT_FSIZE).

Whatever the input holds, the caller gets an `Outcome` within about `seconds` and its own
memory does not grow with the input. Users: the contest upload checks
(competitions/submissions/files/inspection.py, pdf_text.py) and ffprobe/ffmpeg
(content/video/probe.py, content/video/transcoding.py).

The limits are applied in `preexec_fn`, which runs only `resource.setrlimit` between fork
and exec. RLIMIT_AS is enforced on Linux (where the site runs); a platform that refuses a
limit (macOS does for RLIMIT_AS) runs the child without that one limit, and the timeout
still holds.
"""

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Limits:
    """How much a child may take. None leaves that resource unlimited."""

    seconds: float
    memory_bytes: int | None = None
    cpu_seconds: int | None = None
    file_bytes: int | None = None


@dataclass(frozen=True)
class Outcome:
    """How a bounded child ended.

    status: "ok" (exit 0), "failed" (another exit code), "timeout" (killed at the wall-clock
    limit) or "killed" (ended by a signal: the kernel enforcing a limit, or out of memory).
    """

    status: str
    returncode: int | None
    stdout: bytes
    stderr: bytes

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def hit_a_limit(self) -> bool:
        return self.status in ("timeout", "killed")


def _limiter(limits: Limits):
    import resource

    wanted = [
        (resource.RLIMIT_AS, limits.memory_bytes),
        # The soft limit sends SIGXCPU; the hard one a second later SIGKILL.
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_FSIZE, limits.file_bytes),
    ]

    def apply() -> None:
        for kind, value in wanted:
            if value is None:
                continue
            hard = value + 1 if kind == resource.RLIMIT_CPU else value
            # A platform that refuses a limit runs without it (see the module docstring).
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(kind, (value, hard))

    return apply


def run(
    argv: Sequence[str],
    limits: Limits,
    *,
    input: bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: str | os.PathLike | None = None,
) -> Outcome:
    """Run `argv` (no shell) under `limits`, feeding it `input` and collecting its output.

    Guarantees: returns within about `limits.seconds`; the child and anything it started
    are killed at the timeout; never raises for anything the child does (a missing program
    raises FileNotFoundError, as subprocess does).
    """
    process = subprocess.Popen(  # noqa: S603 (fixed argument lists from our callers, no shell)
        list(argv),
        stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
        preexec_fn=_limiter(limits),  # only setrlimit runs between fork and exec
        start_new_session=True,  # its own process group, killed as one at the timeout
    )
    try:
        stdout, stderr = process.communicate(input, timeout=limits.seconds)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        stdout, stderr = process.communicate()
        return Outcome("timeout", None, stdout, stderr)
    if process.returncode == 0:
        return Outcome("ok", 0, stdout, stderr)
    status = "killed" if process.returncode < 0 else "failed"
    return Outcome(status, process.returncode, stdout, stderr)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()


def run_python(module: str, args: Sequence[str], limits: Limits, **kwargs) -> Outcome:
    """`python -m module *args` under `limits`, with this project importable in the child
    however the server was started. The module should import nothing heavy (no Django) at
    import time, so the child starts fast."""
    paths = [str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in paths if p),
        "PYTHONWARNINGS": "ignore",
    }
    return run([sys.executable, "-m", module, *args], limits, env=env, **kwargs)
