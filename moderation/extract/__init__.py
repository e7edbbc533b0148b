"""Recognisers for links, telephone numbers and e-mail addresses, one per module."""
