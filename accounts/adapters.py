from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from kepu.http import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        return client_ip(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    pass
