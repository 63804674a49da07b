"""`python -m server.cli`: the same commands as the `steward` script."""

from server.cli import main

main()
