"""Run Crosscheck from a checkout: ``python main.py [--db PATH_OR_URL] [subcommand …]``."""

from desktop.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
