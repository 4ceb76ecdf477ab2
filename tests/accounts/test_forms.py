"""Sign-in forms the project adapts from allauth."""

import re

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.mark.parametrize("data", [{}, {"phone": "", "email": ""}])
def test_asking_for_a_code_with_neither_phone_nor_email_is_refused_in_chinese(client, data):
    # Found by the generative tests (tests/fuzz/): allauth failed with a 500 here.
    response = client.post(reverse("account_request_login_code"), data)

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors and all(re.search(r"[\u4e00-\u9fff]", e) for e in errors)
