"""axe-core (npm, node_modules/) run inside the page under test, and a readable report.

The script is evaluated through the DevTools protocol, so it needs no network access and no
exception in the site's Content-Security-Policy. Every rule axe-core runs by default counts:
WCAG 2.0/2.1/2.2 A and AA and axe's best practices.
"""

from pathlib import Path

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def _axe_source() -> str:
    if not AXE_SCRIPT.exists():
        raise RuntimeError(f"{AXE_SCRIPT} is missing: run `npm ci` (scripts/test does)")
    return AXE_SCRIPT.read_text()


def violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now (after any form submission)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                    target: n.target.join(" "), html: n.html, summary: n.failureSummary,
                })),
            }));
        }"""
    )


def describe(where: str, found: list[dict]) -> str:
    """One block per violation: rule, impact, what it asks for, and each offending element."""
    lines = []
    for violation in found:
        lines.append(
            f"{where}: {violation['id']} ({violation['impact']}) — {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}: {node['html'][:160]}")
            lines.extend(f"      {line}" for line in node["summary"].splitlines())
    return "\n".join(lines)


def assert_no_violations(page, where: str) -> None:
    """Fails with every violation axe-core finds on `page`, each described readably."""
    found = violations(page)
    assert not found, "axe-core found accessibility violations:\n" + describe(where, found)
