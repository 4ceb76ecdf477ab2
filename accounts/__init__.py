"""Accounts: the custom user, profiles, age gate and guardian consent, data export and deletion."""
