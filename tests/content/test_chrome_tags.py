"""content/templatetags/chrome_tags.py: base.html's fixed parts rendered once per process and
site version, with the person's own parts still rendered for each request."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from wagtail.models import Site

from content.models import OrganiserSettings
from content.templatetags import chrome_tags
from kepu.context_processors import LARGE_TEXT_COOKIE
from tests.factories.users import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def rendered_without_memo(monkeypatch, client, path) -> str:
    with monkeypatch.context() as patch:
        patch.setattr(chrome_tags.ChromeNode, "render", lambda node, ctx: node.nodelist.render(ctx))
        return client.get(path).content.decode()


@pytest.mark.parametrize("path", ["/", "/search/?q=水"])
@pytest.mark.parametrize("who", ["anonymous", "signed-in", "large-text"])
def test_pages_are_the_same_html_as_without_the_memo(client, home, monkeypatch, path, who):
    OrganiserSettings.objects.update_or_create(
        site=Site.objects.get(), defaults={"name": "甲市科学技术协会", "phone": "0571-1234"}
    )
    if who == "signed-in":
        client.force_login(UserFactory())
    if who == "large-text":
        client.cookies[LARGE_TEXT_COOKIE] = "1"
    plain = rendered_without_memo(monkeypatch, client, path)

    filled, kept = client.get(path).content.decode(), client.get(path).content.decode()

    assert filled == plain and kept == plain
    assert "甲市科学技术协会" in kept and "site.css" in kept


def test_the_person_s_own_parts_are_rendered_for_each_request(client, home):
    client.get("/search/")  # an anonymous reader fills the memo
    user = UserFactory()
    client.force_login(user)
    client.cookies[LARGE_TEXT_COOKIE] = "1"

    html = client.get("/search/?q=水").content.decode()

    assert "我的" in html and "登录" not in html.split("<main")[0]
    assert 'class="large-text"' in html and 'value="水"' in html


def test_without_a_site_the_block_is_rendered_each_time():
    template = Template('{% load chrome_tags %}{% chrome "t" %}{{ who }}{% endchrome %}')
    request = RequestFactory().get("/")

    first = template.render(Context({"request": request, "who": "甲"}))
    second = template.render(Context({"request": request, "who": "乙"}))

    assert (first, second) == ("甲", "乙")


def test_a_block_without_a_quoted_name_is_a_template_error():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load chrome_tags %}{% chrome head %}x{% endchrome %}")
