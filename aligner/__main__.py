"""``python -m aligner`` runs the CLI."""

import sys

try:
    from aligner.cli.app import main
except KeyboardInterrupt:  # Ctrl-C while the CLI is still being imported: one line, no traceback
    sys.stderr.write("aligner: interrupted\n")
    raise SystemExit(130) from None

main()
