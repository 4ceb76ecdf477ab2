"""Receivers that teach the lockout which addresses an account's owner uses."""

from allauth.account.signals import password_reset
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import policy


@receiver(user_logged_in)
def remember_sign_in_address(sender, request, user, **kwargs):
    """Any sign-in (password, texted or e-mailed code, WeChat) marks its address as the
    owner's: from there the password is still accepted while the account is under attack."""
    if request is not None and user is not None and user.pk is not None:
        policy.remember_address(request, user)


@receiver(password_reset)
def remember_password_reset_address(sender, request, user, **kwargs):
    """Setting a new password through the e-mailed link proves the mailbox: the address it
    came from is the owner's, and its earlier failures are forgiven."""
    if request is not None:
        policy.remember_address(request, user)
