from kbsleep.cli import entry

entry()
