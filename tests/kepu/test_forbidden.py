"""kepu/forbidden.py: an admin view's refusal is a 403 page that says why."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from kepu.forbidden import explained_403
from tests.factories.users import StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

only_editors = explained_403("只有可以编辑竞答的人才能查看。")


def request_by(user):
    request = RequestFactory().get("/admin/somewhere/")
    request.user = user
    return request


def test_a_refused_request_gets_a_403_page_with_the_reason():
    @only_editors
    def view(request):
        raise PermissionDenied

    response = view(request_by(StaffFactory()))
    response.render()

    assert response.status_code == 403
    assert "只有可以编辑竞答的人才能查看。" in response.content.decode()


def test_an_allowed_request_gets_the_view_s_own_answer():
    @only_editors
    def view(request):
        return HttpResponse("统计")

    response = view(request_by(StaffFactory()))

    assert (response.status_code, response.content.decode()) == (200, "统计")
