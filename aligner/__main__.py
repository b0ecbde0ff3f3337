"""``python -m aligner`` runs the CLI."""

from aligner.cli.app import main

main()
