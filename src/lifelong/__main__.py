"""`python -m lifelong` is the `lifelong` command."""

import sys

from lifelong.cli import main

sys.exit(main())
