"""`python -m vault` is the `vault` command."""

import sys

from vault.cli import main

sys.exit(main())
