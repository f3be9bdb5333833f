"""kbsleep: sleep-time compute for LLM-maintained Markdown wikis."""

__version__ = "0.1.0"
