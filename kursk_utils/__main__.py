"""``python -m kursk_utils`` is the ``kursk`` command."""

import sys

from kursk_utils.cli import main

sys.exit(main())
