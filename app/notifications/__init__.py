"""Outgoing mail: rendering, delivery over SMTP or to .eml files."""
