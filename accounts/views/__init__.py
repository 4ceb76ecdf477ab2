"""Public views of accounts, one module per group (URLs in accounts/urls.py):

- admin_login.py: the one guarded sign-in of the Wagtail and Django admins (kepu/urls.py);
- age.py: the age step; consent.py: guardian consent (the child's and the guardian's pages);
- profile.py: the signed-in person's profile, data export and account deletion.

The phone password reset keeps its views in accounts/phone_reset/.
"""
