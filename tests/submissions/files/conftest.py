"""The upload and upload-check tests' draft entry, which accepts every kind of file."""

import pytest

from competitions.submissions import entries
from tests.factories.contests import ContestFactory
from tests.factories.users import UserFactory

from .helpers import ALL_FILE_KINDS


@pytest.fixture
def draft():
    contest = ContestFactory(entry_kinds=ALL_FILE_KINDS, max_files=3, max_file_mb=2)
    author = UserFactory()
    return entries.save_draft(
        contest, author, {"title": "我的作品", "group": contest.groups.first(), "kind": "image"}
    )
