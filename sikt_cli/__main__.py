"""Allow `python -m sikt_cli`."""

from sikt_cli.cli.app import main

main()
