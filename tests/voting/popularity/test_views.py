import uuid

import pytest

from competitions.voting.popularity.models import EntryComment, ShareOpen
from tests.factories.voting import VoterFactory, VotingEntryFactory

pytestmark = pytest.mark.django_db


def test_the_share_link_counts_the_opening_and_shows_the_vote_page(client):
    entry = VotingEntryFactory()

    response = client.get(f"/popularity/{entry.contest_id}/{entry.number}/s?via=card")
    client.get(f"/popularity/{entry.contest_id}/{entry.number}/s?via=card")

    assert response.status_code == 302
    assert response["Location"] == f"/vote/{entry.contest_id}/{entry.number}/"
    assert ShareOpen.objects.get().via == "card"


def test_the_vote_page_shows_the_share_link_and_the_comment_form(client, settings):
    settings.KEPU_BASE_URL = "https://kepu.example.org"
    entry = VotingEntryFactory()
    client.force_login(VoterFactory())

    html = client.get(f"/vote/{entry.contest_id}/{entry.number}/").content.decode()

    assert f"https://kepu.example.org/popularity/{entry.contest_id}/{entry.number}/s" in html
    assert 'name="text"' in html


def test_the_share_cards_qr_code_opens_the_counted_link(client, settings):
    import io

    import zxingcpp
    from PIL import Image

    settings.KEPU_BASE_URL = "https://kepu.example.org"
    entry = VotingEntryFactory()

    card = client.get(f"/vote/{entry.contest_id}/{entry.number}/card.png")

    found = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(card.content)))]
    assert found == [
        f"https://kepu.example.org/popularity/{entry.contest_id}/{entry.number}/s?via=card"
    ]


def test_posting_a_comment_shows_it_on_the_vote_page(client):
    entry = VotingEntryFactory()
    client.force_login(VoterFactory())

    response = client.post(
        f"/popularity/{entry.contest_id}/{entry.number}/comment/",
        {"text": "拍得真好", "token": str(uuid.uuid4())},
        follow=True,
    )

    assert "拍得真好" in response.content.decode()
    assert EntryComment.objects.get().status == "approved"


def test_a_hostile_comment_gets_a_message_and_nothing_is_stored(client):
    from competitions.core.models import ModerationWord

    ModerationWord.objects.get_or_create(word="笨蛋")
    entry = VotingEntryFactory()
    client.force_login(VoterFactory())

    response = client.post(
        f"/popularity/{entry.contest_id}/{entry.number}/comment/",
        {"text": "笨蛋", "token": str(uuid.uuid4())},
        follow=True,
    )

    assert "不文明的词" in response.content.decode() and not EntryComment.objects.exists()


def test_a_comment_without_a_valid_token_is_refused_with_a_message(client):
    entry = VotingEntryFactory()
    client.force_login(VoterFactory())

    response = client.post(
        f"/popularity/{entry.contest_id}/{entry.number}/comment/",
        {"text": "好", "token": "x"},
        follow=True,
    )

    assert "表单已过期" in response.content.decode() and not EntryComment.objects.exists()


def test_the_popularity_ranking_is_public(client):
    entry = VotingEntryFactory(title="一根吸管的实验")

    response = client.get(f"/popularity/{entry.contest_id}/?group=abc")

    assert response.status_code == 200 and "一根吸管的实验" in response.content.decode()
