"""我的 (/me/): a person's quizzes with results and certificates, entries with their numbers
and receipts, votes, then the account; nobody else's."""

import pytest
from django.urls import reverse

from competitions.quizzes.certificates.services import issue_certificate
from competitions.voting.services import cast_vote
from tests.factories.contests import EntryFactory
from tests.factories.quizzes import QuizFactory
from tests.factories.users import PhoneUserFactory
from tests.factories.voting import VoterFactory, VotingEntryFactory
from tests.quizzes.certificate_helpers import finished_attempt

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def adult(**fields):
    return PhoneUserFactory(birth_year=1990, birth_month=5, **fields)


def test_my_page_lists_my_quizzes_entries_and_votes_with_their_links(
    client, django_assert_max_num_queries
):
    me = VoterFactory(birth_year=1990, birth_month=5)
    attempt = finished_attempt(me, quiz=QuizFactory(title="防疫知识有奖竞答"), score=5, max_score=5)
    certificate = issue_certificate(attempt.pk)
    entry = EntryFactory(author=me, number=7, title="我家的节水实验")
    voted_for = VotingEntryFactory(number=3)
    cast_vote(voted_for, me)
    client.force_login(me)

    with django_assert_max_num_queries(30):
        html = client.get(reverse("accounts:profile")).content.decode()

    assert (
        "防疫知识有奖竞答" in html and reverse("quizzes:result", args=[attempt.public_id]) in html
    )
    assert reverse("quizzes:certificate_pdf", args=[certificate.code]) in html
    assert "我家的节水实验" in html and entry.display_number in html
    assert reverse("contests:entry_receipt", args=[entry.public_id]) in html
    assert reverse("voting:entry", args=[voted_for.contest_id, 3]) in html
    assert reverse("accounts:export") in html and reverse("accounts:delete") in html


def test_my_page_shows_nothing_of_other_peoples_things(client):
    me, other = adult(), VoterFactory(birth_year=1990, birth_month=5)
    finished_attempt(other, quiz=QuizFactory(title="别人的竞答"))
    EntryFactory(author=other, number=2, title="别人的作品")
    cast_vote(VotingEntryFactory(number=4), other)
    client.force_login(me)

    html = client.get(reverse("accounts:profile")).content.decode()

    assert "别人的竞答" not in html and "别人的作品" not in html
    assert 'id="my-votes"' not in html
    assert "这里还没有内容" in html
