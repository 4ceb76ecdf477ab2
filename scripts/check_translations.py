"""Checks that the Simplified Chinese translation is complete and compiled.

1. Extracts every message from the sources (makemessages, in a scratch copy of the tree)
   and fails if any is missing from locale/zh_Hans/LC_MESSAGES/django.po, untranslated or
   fuzzy.
2. Fails if the committed django.mo does not hold exactly the .po's translations.

With --fix it updates the .po in place (new messages appear untranslated) and recompiles
the .mo; translate the new entries, then run it again.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SOURCES = ["kepu", "accounts", "content", "competitions", "search", "outbox", "templates"]


def makemessages(tree: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kepu.settings.dev",
        "KEPU_VAR_DIR": str(tree / "var"),
    }
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--no-location",
            "-v0",
            "--ignore",
            ".venv",
            "--ignore",
            "var",
            "--ignore",
            "node_modules",
        ],
        cwd=tree,
        env=env,
        check=True,
    )


def key(entry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def main() -> int:
    if "--fix" in sys.argv:
        makemessages(ROOT)
        polib.pofile(str(PO)).save_as_mofile(str(MO))
        print(f"updated {PO.relative_to(ROOT)} and {MO.relative_to(ROOT)}")
        return 0

    problems = []
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch)
        for name in SOURCES:
            shutil.copytree(ROOT / name, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(ROOT / "locale", tree / "locale")
        shutil.copy(ROOT / "manage.py", tree / "manage.py")
        makemessages(tree)
        extracted = polib.pofile(str(tree / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))

    committed = {key(e): e for e in polib.pofile(str(PO))}
    for entry in extracted:
        have = committed.get(key(entry))
        if have is None:
            problems.append(f"missing: {entry.msgid!r}")
        elif "fuzzy" in have.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif not (have.msgstr or all(have.msgstr_plural.values())):
            problems.append(f"untranslated: {entry.msgid!r}")

    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(MO))}
    expected = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
        for e in committed.values()
        if e.translated() and not e.obsolete
    }
    if {k: v for k, v in compiled.items() if k[1]} != expected:
        problems.append("django.mo is out of date: run scripts/check_translations.py --fix")

    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(
            f"{len(problems)} translation problem(s); see {PO.relative_to(ROOT)}", file=sys.stderr
        )
        return 1
    print(f"translations complete: {len(expected)} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
