"""Where the demo's texts live (demo/data/) and how its TOML files are read."""

import tomllib
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@cache
def toml(name: str) -> dict:
    """The parsed demo/data/<name>.toml (read once per process)."""
    with (DATA / f"{name}.toml").open("rb") as handle:
        return tomllib.load(handle)
