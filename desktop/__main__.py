"""``python -m desktop``: the same as the ``crosscheck`` command (used by a desktop entry written from a checkout)."""

from desktop.cli import main

raise SystemExit(main())
