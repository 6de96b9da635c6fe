"""The package version, kept in this one place (hatch reads it for the wheel; every module that
writes it imports it from here). Bump it with an entry in CHANGELOG.md.
"""

__version__ = "0.2.0"
