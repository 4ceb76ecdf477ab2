"""Entry pages and private file downloads, through the test client."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from competitions.submissions import entries
from competitions.submissions.files import checks
from competitions.submissions.models import Entry, EntryFile, EntryKind
from tests.factories.contests import ContestFactory
from tests.factories.uploads import checked, docx_bytes, png_bytes
from tests.factories.users import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def run_checks():
    """What the worker does after the upload's commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        for entry_file in EntryFile.objects.pending():
            checks.check_entry_file(entry_file.pk)


@pytest.fixture
def contest():
    return ContestFactory(entry_kinds=[EntryKind.TEXT, EntryKind.IMAGE, EntryKind.DOCUMENT])


@pytest.fixture
def author(client):
    user = UserFactory()
    client.force_login(user)
    return user


def make_entry(contest, author, kind="image"):
    return entries.save_draft(
        contest, author, {"title": "我的画", "group": contest.groups.first(), "kind": kind}
    )


def test_anonymous_is_sent_to_sign_in(client, contest):
    response = client.get(reverse("contests:enter", args=[contest.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_enter_edit_upload_submit_receipt(client, contest, author):
    url = reverse("contests:enter", args=[contest.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"title": "森林里的小动物", "group": contest.groups.first().pk, "kind": "image"},
    )
    entry = Entry.objects.get(author=author)
    assert response["Location"] == reverse("contests:entry_edit", args=[entry.public_id])
    # Entering again continues the same entry.
    assert client.get(url)["Location"] == response["Location"]

    upload_url = reverse("contests:entry_upload", args=[entry.public_id])
    client.post(upload_url, {"file": SimpleUploadedFile("x.png", png_bytes(), "image/png")})
    assert entry.files.count() == 1
    response = client.post(
        upload_url, {"file": SimpleUploadedFile("x.jpg", b"MZ\x90\x00" * 50)}, follow=True
    )
    assert response.status_code == 200
    assert entry.files.count() == 1
    assert "message--error" in response.content.decode()

    # Submitting before the check is done asks to wait.
    response = client.post(reverse("contests:entry_submit", args=[entry.public_id]), follow=True)
    assert "文件正在检查，请稍候再提交" in response.content.decode()
    entry.refresh_from_db()
    assert entry.number is None
    run_checks()

    response = client.post(reverse("contests:entry_submit", args=[entry.public_id]), follow=True)
    entry.refresh_from_db()
    assert entry.number == 1
    assert entry.display_number in response.content.decode()
    # A double tap keeps the number.
    client.post(reverse("contests:entry_submit", args=[entry.public_id]))
    entry.refresh_from_db()
    assert entry.number == 1

    mine = client.get(reverse("contests:my_entries")).content.decode()
    assert "森林里的小动物" in mine


def test_invalid_form_shows_a_message_and_saves_nothing(client, contest, author):
    response = client.post(
        reverse("contests:enter", args=[contest.pk]), {"title": "", "kind": "image"}
    )
    assert response.status_code == 200
    assert Entry.objects.count() == 0


def test_other_users_get_404_on_an_entry(client, contest, author):
    entry = make_entry(contest, UserFactory())
    for name in ("contests:entry_edit", "contests:entry_receipt"):
        assert client.get(reverse(name, args=[entry.public_id])).status_code == 404
    assert client.post(reverse("contests:entry_submit", args=[entry.public_id])).status_code == 404
    assert (
        client.post(reverse("contests:entry_withdraw", args=[entry.public_id])).status_code == 404
    )
    entry.refresh_from_db()
    assert entry.status == Entry.Status.DRAFT


def test_get_is_not_allowed_on_actions(client, contest, author):
    entry = make_entry(contest, author)
    response = client.get(reverse("contests:entry_submit", args=[entry.public_id]))
    assert response.status_code == 405


def test_withdraw(client, contest, author):
    entry = make_entry(contest, author)
    client.post(reverse("contests:entry_withdraw", args=[entry.public_id]))
    assert not Entry.objects.exists()


def test_closed_contest_cannot_be_entered(client, author):
    contest = ContestFactory(phase="review")
    response = client.post(
        reverse("contests:enter", args=[contest.pk]),
        {"title": "迟到", "group": contest.groups.first().pk, "kind": "text"},
    )
    assert response.status_code == 200
    assert Entry.objects.count() == 0


@pytest.fixture
def stored_file(contest):
    owner = UserFactory()
    entry = make_entry(contest, owner)
    stored = checked(
        lambda: entries.add_file(
            entry, owner, SimpleUploadedFile("画.png", png_bytes(), content_type="image/png")
        )
    )
    document = checked(
        lambda: entries.add_file(
            entry, owner, SimpleUploadedFile("文.docx", docx_bytes(), "application/msword")
        )
    )
    return owner, stored, document


def test_private_files_for_the_author_only(client, stored_file):
    owner, image, document = stored_file
    url = reverse("contests:entry_file", args=[image.pk])
    assert client.get(url).status_code == 302  # anonymous: sign in first

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404

    client.force_login(StaffFactory(is_superuser=False))  # staff without the permission
    assert client.get(url).status_code == 404

    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Type"] == "image/jpeg"
    assert not response.get("Content-Disposition", "").startswith("attachment")
    response = client.get(reverse("contests:entry_file", args=[document.pk]))
    assert response["Content-Disposition"].startswith("attachment")


def test_staff_with_permission_may_download(client, stored_file):
    _, image, _ = stored_file
    client.force_login(StaffFactory())
    assert client.get(reverse("contests:entry_file", args=[image.pk])).status_code == 200


def test_separate_uploads_origin(client, stored_file, settings, rf):
    owner, image, _ = stored_file
    settings.KEPU_UPLOADS_ORIGIN = "https://files.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    client.force_login(owner)
    url = reverse("contests:entry_file", args=[image.pk])
    # On the main host the file view refuses, even for the author.
    assert client.get(url).status_code == 404

    from competitions.submissions.files.links import file_url

    request = rf.get("/")
    request.user = owner
    link = file_url(request, image)
    assert link.startswith("https://files.example.org/")
    path_and_query = link.removeprefix("https://files.example.org")
    files = client.__class__()
    response = files.get(path_and_query, HTTP_HOST="files.example.org", secure=True)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    # A link made for one file does not open another, and tampering is refused.
    assert files.get(path_and_query + "x", HTTP_HOST="files.example.org").status_code == 403
    other = reverse("contests:entry_file", args=[EntryFile.objects.exclude(pk=image.pk).get().pk])
    token = path_and_query.split("?", 1)[1]
    assert files.get(f"{other}?{token}", HTTP_HOST="files.example.org").status_code == 403


@pytest.fixture
def contest_page_for(db):
    from wagtail.models import Page, Site

    from competitions.submissions.models import ContestPage
    from tests.factories.pages import HomePageFactory

    home = HomePageFactory(parent=Page.get_first_root_node(), slug="home-c")
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", root_page=home, is_default_site=True)

    def make(contest):
        return home.add_child(
            instance=ContestPage(
                title=contest.title, slug=f"c{contest.pk}", contest=contest, summary="摘要"
            )
        )

    return make


def test_contest_page_shows_what_a_visitor_can_do_now(client, contest_page_for):
    open_contest = ContestFactory()
    page = contest_page_for(open_contest)
    html = client.get(page.url).content.decode()
    assert "我要参赛" in html
    assert reverse("contests:enter", args=[open_contest.pk]) in html

    user = UserFactory()
    client.force_login(user)
    entry = make_entry(open_contest, user, kind="text")
    html = client.get(page.url).content.decode()
    assert "修改我的作品" in html
    assert reverse("contests:entry_edit", args=[entry.public_id]) in html

    review = contest_page_for(ContestFactory(phase="review"))
    html = client.get(review.url).content.decode()
    assert "专家正在评审" in html
    assert "我要参赛" not in html


def test_the_entry_page_shows_each_files_check_and_the_reason_of_a_refusal(client, contest, author):
    entry = make_entry(contest, author)
    upload_url = reverse("contests:entry_upload", args=[entry.public_id])
    edit_url = reverse("contests:entry_edit", args=[entry.public_id])
    client.post(upload_url, {"file": SimpleUploadedFile("好图.png", png_bytes(), "image/png")})
    client.post(upload_url, {"file": SimpleUploadedFile("坏图.png", png_bytes()[:40])})

    waiting = client.get(edit_url).content.decode()

    assert waiting.count('class="entry-file entry-file--pending" data-checking>') == 2
    assert waiting.count('<span class="entry-file__state">正在检查</span>') == 2
    assert '<meta http-equiv="refresh" content="10">' in waiting  # inside <noscript>
    assert "entry-files.js" in waiting

    run_checks()
    page = client.get(edit_url).content.decode()

    assert '<span class="entry-file__state">已通过</span>' in page
    assert '<span class="entry-file__state">未通过</span>' in page
    assert "无法读取这张图片" in page  # the reason, as the check gave it
    assert 'http-equiv="refresh"' not in page
    good, bad = entry.files.order_by("pk")
    assert reverse("contests:entry_file", args=[good.pk]) in page
    assert reverse("contests:entry_file", args=[bad.pk]) not in page  # nothing to download


def test_the_file_list_alone_is_for_the_author_only(client, contest, author):
    entry = make_entry(contest, author)
    client.post(
        reverse("contests:entry_upload", args=[entry.public_id]),
        {"file": SimpleUploadedFile("画.png", png_bytes(), "image/png")},
    )
    url = reverse("contests:entry_files", args=[entry.public_id])

    part = client.get(url)

    assert part.status_code == 200
    assert "正在检查" in part.content.decode() and "<html" not in part.content.decode()
    assert part["Cache-Control"].startswith("max-age=0")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_a_refused_file_can_be_removed_and_frees_its_place(client, author):
    contest = ContestFactory(entry_kinds=[EntryKind.IMAGE], max_files=1)
    entry = make_entry(contest, author)
    upload_url = reverse("contests:entry_upload", args=[entry.public_id])
    client.post(upload_url, {"file": SimpleUploadedFile("坏图.png", png_bytes()[:40])})
    run_checks()
    refused = entry.files.get()
    assert refused.state == EntryFile.State.REFUSED
    assert (
        'name="file"'
        in client.get(reverse("contests:entry_edit", args=[entry.public_id])).content.decode()
    )

    client.post(reverse("contests:entry_file_remove", args=[entry.public_id, refused.pk]))

    assert not entry.files.exists()


def test_a_file_being_checked_is_never_served(client, contest, author):
    entry = make_entry(contest, author)
    pending = entries.add_file(
        entry, author, SimpleUploadedFile("画.png", png_bytes(), content_type="image/png")
    )

    assert client.get(reverse("contests:entry_file", args=[pending.pk])).status_code == 404
    client.force_login(StaffFactory())
    assert client.get(reverse("contests:entry_file", args=[pending.pk])).status_code == 404


def test_the_author_downloads_under_the_real_type_of_what_is_stored(client, contest, author):
    entry = make_entry(contest, author)
    # A PNG named to look like a program (with a right-to-left override), re-encoded as JPEG.
    stored = checked(
        lambda: entries.add_file(
            entry, author, SimpleUploadedFile("作品\u202egnp.exe", png_bytes(), "image/png")
        )
    )

    response = client.get(reverse("contests:entry_file", args=[stored.pk]))

    assert response["Content-Type"] == "image/jpeg"
    disposition = response["Content-Disposition"]
    assert disposition.endswith("''%E4%BD%9C%E5%93%81gnp.jpg")  # 作品gnp.jpg
    assert "exe" not in disposition and "%E2%80%AE" not in disposition
