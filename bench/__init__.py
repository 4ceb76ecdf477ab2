"""The one-command benchmark (scripts/bench): seed, scenarios, report (docs/performance.md)."""
