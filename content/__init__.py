"""Content: Wagtail pages for science articles, videos, sections and campaigns."""
