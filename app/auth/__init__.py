"""Accounts, roles, login, e-mail confirmation, password reset, invitations."""
