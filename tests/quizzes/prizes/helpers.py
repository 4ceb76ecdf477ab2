"""What the prize draw's public-page and admin tests share: addresses, a valid claim, clients."""

from django.contrib.auth.models import Permission
from django.test import Client

from tests.factories.users import UserFactory

VALID_CLAIM = {
    "recipient_name": "张三",
    "phone": "138 1234 5678",
    "address": "浙江省杭州市西湖区文三路90号",
    "note": "工作日送达",
}


def draw_url(quiz):
    return f"/quiz/{quiz.pk}/draw/"


def claim_url(quiz):
    return f"/quiz/{quiz.pk}/prize/claim/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff_with(*codenames):
    user = UserFactory()
    perms = Permission.objects.filter(codename__in=["access_admin", *codenames])
    user.user_permissions.add(*perms)
    return user
