"""Resetting a forgotten password by text message, for people who signed up with a phone.

allauth resets passwords through e-mail only. Here a person types their mobile number, gets a
six-digit code by SMS and sets a new password with it, on two pages (flow.py, views.py).

What holds:
- Nothing tells whether a number has an account: the same pages and wording either way, and
  a number without an account simply never receives a code (no text is sent to it).
- A code is valid for `ACCOUNT_LOGIN_BY_CODE_TIMEOUT` seconds and three tries; it lives
  hashed in the person's session, so it works only in the browser that asked for it.
- Codes are rate limited per number and per address on top of `accounts.sms`'s quota per
  number, so neither a stranger nor a script can text someone into the ground.
- Setting the new password ends every other session of the account (Django's session hash),
  and the address it was set from counts as the account's own for the sign-in lockout.
"""
