"""CPU time of the server's processes, read from /proc (Linux), for "CPU per attempt".

scripts/bench passes the root process of each service in BENCH_PIDS
("gunicorn=123,postgresql=456,redis=789,celery=1011"). A service's CPU time is the user and
system time of its root process and every live descendant, plus the time of descendants
that already exited and were reaped (the kernel adds it to the parent's cutime/cstime), so
the difference between two samples is all the CPU the service used in between, whatever
the short-lived children (PostgreSQL backends) did.
"""

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
SERVER = ("gunicorn", "postgresql", "redis")


def service_pids(spec: str | None = None) -> dict[str, int]:
    """{service: root pid} from "name=pid,…" (BENCH_PIDS by default); unknown pids dropped."""
    spec = os.environ.get("BENCH_PIDS", "") if spec is None else spec
    pids = {}
    for part in spec.split(","):
        name, _, pid = part.partition("=")
        if pid.strip().isdigit() and Path(f"/proc/{pid.strip()}").exists():
            pids[name.strip()] = int(pid)
    return pids


def _stat(pid: int) -> tuple[int, list[str]] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may contain spaces.
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), fields  # parent pid, the fields after the name


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None:
                children.setdefault(stat[0], []).append(int(entry.name))
    return children


def tree_seconds(root: int, children: dict[int, list[int]] | None = None) -> float:
    """CPU seconds (user + system, reaped children included) of `root` and its descendants."""
    children = _children() if children is None else children
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stat = _stat(pid)
        if stat is None:
            continue
        fields = stat[1]
        # utime, stime, cutime, cstime are fields 14-17 of /proc/pid/stat (11-14 here).
        total += sum(int(value) for value in fields[11:15])
        stack.extend(children.get(pid, []))
    return total / TICKS


def sample(pids: dict[str, int] | None = None) -> dict[str, float]:
    """{service: CPU seconds so far} for the services in `pids` (BENCH_PIDS by default)."""
    pids = service_pids() if pids is None else pids
    children = _children()
    return {name: tree_seconds(pid, children) for name, pid in pids.items()}


def used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds each service used between two samples."""
    return {name: round(after[name] - before.get(name, 0.0), 3) for name in after}


def per_attempt_ms(spent: dict[str, float], attempts: int) -> dict[str, float] | None:
    """Milliseconds of CPU per complete attempt: per service, and "server" (gunicorn +
    PostgreSQL + Redis, the issue's figure)."""
    if not attempts or not spent:
        return None
    figures = {name: round(1000 * seconds / attempts, 1) for name, seconds in spent.items()}
    figures["server"] = round(sum(figures.get(name, 0.0) for name in SERVER), 1)
    return figures
