"""Accounts: registration, sign-in, sessions as viewers, settings, lifecycle, data export."""
