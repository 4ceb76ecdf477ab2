"""Checks that the Simplified Chinese translation is complete and compiled.

1. Extracts every message from the sources (makemessages, in a scratch copy of the tree)
   and fails if any is missing from locale/zh_Hans/LC_MESSAGES/django.po, untranslated or
   fuzzy.
2. Fails if the committed django.mo does not hold exactly the .po's translations.
3. Fails if a message of an installed Wagtail app has no Simplified Chinese in Wagtail's
   own catalogue nor in locale/wagtail/ (the project's additions for the admin, both the
   django and the djangojs domain), or if those .mo files are out of date.
4. The project's wording for django-allauth (locale/allauth/): fails if one of its messages
   is no longer one of allauth's, is untranslated, or if its .mo is out of date.

With --fix it updates the .po files in place (new messages appear untranslated) and
recompiles the .mo files; translate the new entries, then run it again.
"""

import importlib.util
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
WAGTAIL_OVERRIDES = ROOT / "locale" / "wagtail" / "zh_Hans" / "LC_MESSAGES"
ALLAUTH_PO = ROOT / "locale" / "allauth" / "zh_Hans" / "LC_MESSAGES" / "django.po"
DOMAINS = ("django", "djangojs")
SOURCES = [
    "kepu",
    "accounts",
    "content",
    "competitions",
    "search",
    "outbox",
    "notifications",
    "dashboard",
    "demo",
    "templates",
]


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


def wagtail_gaps(domain: str) -> dict[tuple, polib.POEntry]:
    """Messages of the installed Wagtail apps that Wagtail's zh_Hans catalogue lacks."""
    sys.path.insert(0, str(ROOT))
    from kepu.settings import base

    gaps = {}
    for app in base.INSTALLED_APPS:
        if not app.startswith("wagtail"):
            continue
        locale = Path(importlib.util.find_spec(app).submodule_search_locations[0]) / "locale"
        source = locale / "en" / "LC_MESSAGES" / f"{domain}.po"
        if not source.exists():
            continue
        chinese = locale / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po"
        have = (
            {(e.msgctxt, e.msgid) for e in polib.pofile(str(chinese)) if e.translated()}
            if chinese.exists()
            else set()
        )
        for entry in polib.pofile(str(source)):
            if not entry.obsolete and (entry.msgctxt, entry.msgid) not in have:
                gaps[(entry.msgctxt, entry.msgid)] = entry
    return gaps


def fix_wagtail_overrides() -> None:
    """Adds Wagtail's new gaps (untranslated) to locale/wagtail/ and compiles it."""
    for domain in DOMAINS:
        path = WAGTAIL_OVERRIDES / f"{domain}.po"
        overrides = polib.pofile(str(path))
        present = {(e.msgctxt, e.msgid) for e in overrides}
        for gap_key, entry in wagtail_gaps(domain).items():
            if gap_key not in present:
                overrides.append(
                    polib.POEntry(
                        msgctxt=entry.msgctxt, msgid=entry.msgid, msgid_plural=entry.msgid_plural
                    )
                )
        overrides.save(str(path))
        overrides.save_as_mofile(str(path.with_suffix(".mo")))


def wagtail_override_problems() -> list[str]:
    problems = []
    for domain in DOMAINS:
        path = WAGTAIL_OVERRIDES / f"{domain}.po"
        overrides = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path))}
        for gap_key in wagtail_gaps(domain):
            entry = overrides.get(gap_key)
            if entry is None or not entry.translated() or "fuzzy" in entry.flags:
                problems.append(f"wagtail ({domain}) untranslated: {gap_key[1]!r}")
        compiled = {(e.msgctxt, e.msgid) for e in polib.mofile(str(path.with_suffix(".mo")))}
        expected = {k for k, e in overrides.items() if e.translated() and not e.obsolete}
        if {k for k in compiled if k[1]} != expected:
            problems.append(f"{path.with_suffix('.mo').name} in locale/wagtail is out of date")
    return problems


def compiled_matches(po_path: Path) -> bool:
    """Whether the .mo beside `po_path` holds exactly the .po's translations."""
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
        for e in polib.mofile(str(po_path.with_suffix(".mo")))
        if e.msgid
    }
    expected = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
        for e in polib.pofile(str(po_path))
        if e.translated() and not e.obsolete
    }
    return compiled == expected


def allauth_wording_problems() -> list[str]:
    import allauth

    theirs = Path(allauth.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
    known = {key(e) for e in polib.pofile(str(theirs))}
    ours = polib.pofile(str(ALLAUTH_PO))
    problems = [f"not an allauth message: {e.msgid!r}" for e in ours if key(e) not in known]
    problems += [f"untranslated: {e.msgid!r}" for e in ours if not e.translated()]
    if not compiled_matches(ALLAUTH_PO):
        problems.append("locale/allauth/…/django.mo is out of date: run --fix")
    return problems


def main() -> int:
    if "--fix" in sys.argv:
        makemessages(ROOT)
        polib.pofile(str(PO)).save_as_mofile(str(MO))
        fix_wagtail_overrides()
        polib.pofile(str(ALLAUTH_PO)).save_as_mofile(str(ALLAUTH_PO.with_suffix(".mo")))
        print(
            f"updated {PO.relative_to(ROOT)}, {MO.relative_to(ROOT)}, locale/wagtail/ and "
            "locale/allauth/"
        )
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

    if not compiled_matches(PO):
        problems.append("django.mo is out of date: run scripts/check_translations.py --fix")
    problems += wagtail_override_problems()
    problems += allauth_wording_problems()

    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(
            f"{len(problems)} translation problem(s); see {PO.relative_to(ROOT)}", file=sys.stderr
        )
        return 1
    translated = sum(1 for e in committed.values() if e.translated() and not e.obsolete)
    print(f"translations complete: {translated} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
