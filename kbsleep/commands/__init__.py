"""One module per command: `run(explicit arguments) -> exit code`; `kbsleep.cli` declares them."""
