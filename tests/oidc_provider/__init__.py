"""A small OpenID provider (django-oauth-toolkit) that tests run on loopback.

`start_provider(...)` (in `run.py`) runs it as a subprocess of its own, with its own
settings and SQLite file, and gives the settings productops needs to sign in through it.
It is used by tests only and never imports productops.
"""
