"""``python -m gerokg``: the same as the ``gerokg`` command."""

from gerokg.cli import main

if __name__ == "__main__":
    main()
