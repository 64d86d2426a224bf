"""``python -m lca`` runs the command-line interface."""

from lca.cli import main

main()
