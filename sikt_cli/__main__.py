"""Allow `python -m sikt_cli`."""

from sikt_cli.cli import main

main()
