import sys

from kbsleep.cli import main

sys.exit(main())
