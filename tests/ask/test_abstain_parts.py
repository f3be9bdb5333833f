"""A name and the word after it that narrows it into a part or a feature ("the Envoy admin
interface", "Redis cluster mode") are a topic the wiki must write together (issue 19, abstain when
the wiki is silent). Seen on an LLM-written software-design wiki nobody tuned on: "What port does
the Envoy admin interface listen on?" was answered with a line on Envoy sidecars by a wiki that
never writes "admin"; the word right after a name was never checked, since it may be the name's
verb ("How does Envoy handle retries?")."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.abstain import unnarrowed
from kbsleep.search.question import analyse
from kbsleep.search.topics import narrowed


def _ask(root: Path, question: str):  # type: ignore[no-untyped-def]
    return ask(root, load_config(root), question, engine="offline", record=False)


def test_the_word_after_a_name_narrows_it_when_another_content_word_follows() -> None:
    assert narrowed(analyse("What port does the Envoy admin interface listen on?")) == (("envoy", "admin"),)
    assert narrowed(analyse("Which disk does a Kafka broker log segment live on?")) == (("kafka", "broker"),)
    assert narrowed(analyse("How do I turn on Redis cluster mode?")) == (("redis", "cluster"),)  # after a preposition
    assert narrowed(analyse("How do I enable Redis cluster mode?")) == (("redis", "cluster"),)  # the thing a task acts on


def test_a_verb_after_a_name_narrows_nothing() -> None:
    assert narrowed(analyse("How does Envoy handle retries?")) == ()  # right after an auxiliary: the clause's subject, then its verb
    assert narrowed(analyse("What port does the Kafka listen on?")) == ()  # a run's last word may be its verb
    assert narrowed(analyse("What goes wrong with IP-based sticky routing?")) == ()  # "IP-based" describes, names nothing
    assert narrowed(analyse("What does the Grafana Loki query syntax look like?")) == (("loki", "query"),)  # a name of two words narrows from its last


def test_a_part_is_unwritten_unless_one_section_writes_it_with_its_name() -> None:
    sections = [{"grafana", "dashboards", "alerting"}, {"prometheus", "retention"}]
    together = lambda words: any(set(words) <= s for s in sections)  # noqa: E731
    assert unnarrowed(analyse("Which port does the Prometheus alerting engine use?"), together) == ["prometheus alerting"]
    assert unnarrowed(analyse("Which port does the Grafana alerting engine use?"), together) == []


MONITORING = {
    "Prometheus.md": (
        "# Prometheus\n\nPrometheus scrapes metrics from every service over HTTP and stores them for fifteen days by default.\n\n"
        "## Ports\n\nThe Prometheus server listens on port 9090; each exporter listens on a port of its own.\n"
    ),
    "Alerting.md": "# Alerting\n\nAn alerting rule fires when a query stays above its threshold for the rule's duration; the on-call person is paged.\n",
    "Grafana.md": "# Grafana\n\nGrafana draws dashboards from the metrics Prometheus stores. It listens on port 3000.\n",
}


def test_a_part_of_a_name_no_section_writes_with_it_is_not_in_the_wiki(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(MONITORING)
    answer = _ask(root, "Which port does the Prometheus alerting engine listen on?")
    assert (answer.found, answer.why) == (False, "the wiki never mentions Prometheus alerting")
    answer = _ask(root, "Which port does the Prometheus server process listen on?")
    assert answer.found and "9090" in answer.text
    written = make_repo({**MONITORING, "Alerting.md": MONITORING["Alerting.md"] + "\nThe Prometheus alerting engine listens on port 9093.\n"}, name="written")
    answer = _ask(written, "Which port does the Prometheus alerting engine listen on?")
    assert answer.found and "9093" in answer.text
