"""Sign-in lockouts that a stranger cannot turn against a user.

Every form that checks a password — sign-in on the site and in the admin, re-authentication,
password change, account deletion — goes through `forms.PasswordGuardMixin`, which asks
`policy.assess()` before the password is checked and reports the outcome afterwards. The
Django admin has no sign-in of its own (it sends people to the admin's), and Wagtail's own
password forms are switched off, so there is no unguarded way to test a password.
"""
