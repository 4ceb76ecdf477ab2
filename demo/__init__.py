"""Demo content for a laptop and for the tests: `manage.py load_demo` (run by ./scripts/run).

Installed only by kepu.settings.dev and kepu.settings.test, never in production. The texts
are data files in demo/data/ (Markdown with front matter for pages, CSV in the organisers'
import format for question banks, TOML for the rest); the modules here put them into the
site through the same models and services the product uses.
"""
