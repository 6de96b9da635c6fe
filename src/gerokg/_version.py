"""The package version, kept in this one place (hatch reads it for the wheel, and every module
that writes it imports it from here).
"""

__version__ = "0.1.0"
