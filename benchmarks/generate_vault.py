#!/usr/bin/env python3
"""Generate a realistic, deterministic synthetic Obsidian vault for benchmarking kbsleep.

Usage::

    python benchmarks/generate_vault.py OUT_DIR --pages 10000 [--seed 1] [--git]
                                        [--manifest FILE] [--force] [--quiet]

Standard library only. The same ``--pages`` and ``--seed`` always give byte-identical files
(Python's per-process string hash randomisation is never allowed to influence ordering).

What a vault holds:

- Pages of about 2 KB of English-like prose built from word lists, templates and entity names,
  in folders such as ``people/``, ``people/historical/``, ``places/europe/``, ``projects/``,
  ``concepts/methods/``, ``notes/meetings/`` and ``sources/``. File names are realistic titles
  ("Harbour Survey 317.md", "Ada M. Thorne.md"); about 1% of file names are shared by two
  folders, so a bare ``[[Stem]]`` can be ambiguous.
- YAML frontmatter on about 90% of pages: ``title`` (sometimes differing from the stem),
  ``aliases`` (block list, flow list or a single string), ``tags``, ``sources`` (quoted
  wikilinks), ``updated`` and numeric facts by page kind (``born``, ``founded``,
  ``population``, ``started``, ``budget``, ``introduced``, ``published`` ...).
- ``##``/``###`` headings, lists, "Key facts" (``**Born:** 1950`` or ``born:: 1950``),
  occasional tables, fenced code blocks (a few holding ``[[...]]`` text that is *not* a link),
  callouts, embeds of real PNG attachments, and ``^block-ids`` on some paragraphs.
- About 6 wikilinks per page: ``[[Stem]]``, ``[[Stem|shown]]``, ``[[Stem#Heading]]`` and
  ``[[Stem#^blockid]]`` (anchors that exist on the target), ``[[folder/Stem]]``, plus some
  Markdown links ``[x](../folder/Name%20Here.md)`` and ``![[image-12.png]]`` embeds.
- Controlled defects: ~1% broken links, ~0.5% links by alias, ~0.5% broken anchors, a few
  orphans (pages nothing links to, left out of the index), a few conflicting facts (in-page:
  frontmatter vs body field; cross-page: ``[[Target]] (born:: 1953)`` against the target's
  frontmatter). ``--manifest FILE`` writes the ground truth as JSON (kept outside the vault).
- ``index.md`` (every non-orphan page, grouped by folder), ``log.md``
  (``## [YYYY-MM-DD] ingest | Title`` entries) and ``attachments/image-N.png``.

``--git`` makes the output a git repository with one commit (fixed author and dates, so the
commit id is reproducible too).
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import random
import shutil
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

# --------------------------------------------------------------------------------------------
# Rates and sizes
# --------------------------------------------------------------------------------------------

BROKEN_LINK_RATE = 0.010  # per wikilink: target that does not exist
ALIAS_LINK_RATE = 0.005  # per wikilink: [[Alias]] instead of the page's file name
BROKEN_ANCHOR_RATE = 0.005  # per wikilink: heading or block id missing on the target
SHARED_NAME_RATE = 0.01  # fraction of pages whose file name also exists in another folder
FRONTMATTER_RATE = 0.90
ORPHAN_RATE = 0.002  # at least MIN_FEW
CONFLICT_RATE = 0.001  # pages holding a conflicting fact, at least MIN_FEW
MIN_FEW = 3
MEAN_PAGE_BYTES = 2000
SENTENCE_CHARS = 95  # typical generated sentence, used to size paragraphs
EMBED_RATE = 0.15  # pages with an attachment embed
MARKDOWN_LINK_MEAN = 0.4  # Markdown links per page, on top of the wikilinks
EPOCH = date(2022, 1, 1)
SPAN_DAYS = 1275  # dates fall in 2022-01-01 .. 2025-06-29
GIT_DATE = "2025-07-01T12:00:00+00:00"

# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

FIRST_NAMES = (
    "Ada", "Alan", "Amara", "Anders", "Anika", "Arjun", "Astrid", "Beatrix", "Bram", "Camille",
    "Carlos", "Chen", "Clara", "Dmitri", "Edith", "Elif", "Elena", "Emeka", "Erik", "Esther",
    "Farah", "Felix", "Freya", "Gareth", "Greta", "Hana", "Hassan", "Helga", "Henrik", "Ines",
    "Ingrid", "Isaac", "Ivo", "Jakob", "Jana", "Joao", "Julia", "Kai", "Kasia", "Kenji", "Lars",
    "Leila", "Liis", "Lina", "Lucia", "Magnus", "Mara", "Marek", "Maya", "Mei", "Milan", "Nadia",
    "Nils", "Noor", "Olga", "Omar", "Oskar", "Paula", "Pieter", "Priya", "Rafael", "Rania",
    "Rosa", "Ruth", "Samir", "Sanna", "Sofia", "Stefan", "Tariq", "Tessa", "Theo", "Tomas",
    "Ulla", "Vera", "Viktor", "Wen", "Yara", "Yusuf", "Zofia", "Zora",
)
LAST_NAMES = (
    "Aalto", "Abara", "Alves", "Arden", "Bakker", "Barros", "Bell", "Berg", "Blackwood", "Brandt",
    "Carver", "Castell", "Dahl", "Dalton", "Eklund", "Ellery", "Falk", "Fenwick", "Ferreira",
    "Galloway", "Greaves", "Haas", "Halloran", "Hartley", "Holm", "Ilves", "Ivers", "Jansen",
    "Kaldor", "Keller", "Kowalski", "Laine", "Lindqvist", "Lowell", "Marsh", "Mendez", "Moreau",
    "Nakamura", "Novak", "Nyberg", "Okafor", "Orsini", "Ostrander", "Pajari", "Petrov", "Quill",
    "Ramos", "Reinholt", "Rowan", "Saar", "Salo", "Sato", "Sherwood", "Sinclair", "Strand",
    "Tanaka", "Thorne", "Toivonen", "Umberg", "Vale", "Varte", "Voss", "Wakefield", "Weller",
    "Whitlock", "Winter", "Wren", "Yilmaz", "Young", "Zeller", "Ziegler", "Abbott", "Moss",
    "Crane", "Hale", "Kerr", "Lund", "Navarro", "Pike", "Rask", "Soto", "Teller", "Vance",
    "Ward", "Yoon", "Adler", "Brook", "Cole", "Drake", "Eames", "Frost", "Gray", "Hurst",
)
PLACE_HEADS = (
    "Ash", "Brad", "Carr", "Dun", "Elm", "Fal", "Glen", "Hart", "Ing", "Kes", "Lang", "Mar",
    "Nor", "Oak", "Pen", "Quar", "Ros", "Stan", "Thorn", "Ul", "Vel", "Wes", "Yar", "Bel", "Cal",
    "Dor", "Fen", "Hol", "Kil", "Lis", "Mor", "Tal", "Bran", "Cor", "Gar", "Evr", "Skar", "Grey",
)
PLACE_MIDS = ("a", "er", "in", "el", "ow", "en", "is", "an")
PLACE_TAILS = (
    "ford", "bridge", "ton", "wick", "more", "stead", "by", "ham", "field", "mouth", "haven",
    "dale", "worth", "gate", "holm", "ley", "minster", "port", "shaw", "wood", "thorpe", "combe",
    "caster", "vik", "sund", "ness",
)
PLACE_FEATURES = (
    "Harbour", "Bay", "Valley", "Heights", "Point", "Marsh", "Cross", "Green", "Fields", "Sound",
    "Shelf", "Coast", "Island", "Ridge", "Basin",
)
PLACE_PREFIXES = ("North", "South", "East", "West", "Upper", "Lower", "Port", "Lake", "Cape", "Old")
PROJECT_TOPICS = (
    "Harbour", "Coastal", "River", "Archive", "Census", "Orchard", "Signal", "Glacier", "Lantern",
    "Granary", "Delta", "Tidal", "Northern", "Ledger", "Kestrel", "Heron", "Sediment", "Eelgrass",
    "Bridge", "Canal", "Lighthouse", "Seabed", "Weather", "Mill", "Quarry", "Railway", "Estuary",
)
PROJECT_ACTIVITIES = (
    "Survey", "Study", "Initiative", "Programme", "Pilot", "Audit", "Expedition", "Inventory",
    "Restoration", "Digitisation", "Mapping", "Review", "Trial", "Monitoring", "Baseline",
)
CODE_NAMES = (
    "Kestrel", "Heron", "Osprey", "Curlew", "Plover", "Petrel", "Gannet", "Tern", "Merlin",
    "Cobalt", "Basalt", "Quartz", "Juniper", "Larch", "Alder", "Rowan", "Sable", "Cinder",
    "Halcyon", "Meridian", "Aurora", "Lumen", "Vantage", "Keystone", "Bastion", "Harrow",
)
CONCEPT_ADJS = (
    "Adaptive", "Tidal", "Recursive", "Latent", "Distributed", "Comparative", "Sparse",
    "Iterative", "Stochastic", "Bounded", "Implicit", "Emergent", "Reflexive", "Spatial",
    "Temporal", "Semantic", "Structural", "Causal", "Partial", "Weighted", "Coupled", "Layered",
    "Residual", "Diffuse", "Seasonal", "Nested", "Local", "Global", "Hidden", "Open", "Shallow",
    "Deep", "Linear", "Cyclic", "Coastal", "Fractional", "Modular", "Robust", "Delayed", "Mixed",
)
CONCEPT_NOUNS = (
    "Sampling", "Resonance", "Drift", "Inference", "Equilibrium", "Memory", "Consensus",
    "Attribution", "Decay", "Coupling", "Compression", "Alignment", "Provenance",
    "Reconciliation", "Indexing", "Segmentation", "Diffusion", "Feedback", "Entropy",
    "Hierarchy", "Transport", "Stratification", "Calibration", "Interpolation", "Forcing",
    "Succession", "Accretion", "Erosion", "Dispersal", "Retention", "Turnover", "Mixing",
    "Upwelling", "Sedimentation", "Annotation", "Curation", "Versioning", "Deduplication",
    "Triangulation", "Weighting",
)
CONCEPT_SUFFIXES = ("Theory", "Hypothesis", "Model", "Principle", "Effect", "Problem")
NOTE_TEAMS = ("Archive", "Field", "Data", "Steering", "Editorial", "Harbour", "Survey", "Methods")
NOTE_KINDS = ("Sync", "Review", "Planning", "Retro", "Check-in", "Workshop")

NOUNS = (
    "survey", "archive", "harbour", "dataset", "committee", "report", "method", "framework",
    "river", "settlement", "expedition", "ledger", "model", "experiment", "workshop",
    "manuscript", "observatory", "network", "community", "policy", "treaty", "measurement",
    "sample", "instrument", "map", "trade route", "council", "festival", "bridge", "library",
    "mill", "railway", "canal", "market", "garrison", "lighthouse", "census", "theory",
    "hypothesis", "protocol", "pipeline", "estimate", "record", "collection", "catalogue",
    "index", "review", "proposal", "budget", "timeline", "inventory", "correspondence",
    "journal", "field station", "laboratory", "assembly", "cooperative", "guild", "shipyard",
    "quarry", "vineyard", "orchard", "reservoir", "coastline", "glacier", "valley", "plateau",
    "forest", "estuary", "transect", "sediment core", "grant", "charter", "ferry", "depot",
)
ADJECTIVES = (
    "early", "late", "detailed", "preliminary", "revised", "coastal", "northern", "southern",
    "ambitious", "modest", "influential", "controversial", "fragmentary", "comprehensive",
    "informal", "seasonal", "annual", "regional", "provincial", "experimental", "unpublished",
    "overlooked", "careful", "systematic", "rough", "independent", "collaborative",
    "unexpected", "gradual", "sudden", "persistent", "brief", "extensive", "local", "municipal",
    "rural", "urban", "maritime", "industrial", "agricultural", "academic", "technical",
    "practical", "theoretical", "historical", "contemporary", "incomplete", "reliable",
    "disputed", "well-documented", "short-lived", "long-running", "costly", "efficient",
)
VERBS = (
    "described", "documented", "revised", "challenged", "extended", "summarised", "compared",
    "criticised", "funded", "supervised", "mapped", "catalogued", "reorganised", "proposed",
    "rejected", "replicated", "measured", "published", "translated", "annotated", "expanded",
    "reviewed", "questioned", "adopted", "abandoned", "completed", "launched", "influenced",
    "inspired", "preceded", "replaced", "absorbed", "digitised", "restored", "audited",
    "simplified", "formalised", "recorded", "surveyed", "commissioned",
)
ADVERBS = (
    "later", "eventually", "briefly", "repeatedly", "quietly", "carefully", "largely", "partly",
    "initially", "reportedly", "apparently", "notably", "gradually", "independently", "jointly",
    "often", "rarely", "openly", "formally", "informally",
)
PREPOSITIONS = ("near", "around", "beyond", "along", "within", "across", "beside", "north of")
PLACE_WORDS = ("coast", "valley", "river", "harbour", "town", "border", "shelf", "estuary", "bay")
GENERIC_AGENTS = (
    "the committee", "the survey team", "the local council", "an early reviewer",
    "the original author", "the archive staff", "a later editor", "the project lead",
    "the field crew", "the steering group", "a visiting researcher", "the harbour board",
)
TIME_PHRASES = (
    "in {y}", "during the {d}s", "over the following decade", "by the end of {y}",
    "in the spring of {y}", "shortly afterwards", "between {y} and {y2}", "after {y}",
    "in the autumn of {y}", "some years later",
)
SENTENCES = (
    "{ent} {verbed} the {adj} {noun} {time}.",
    "The {noun} was {adv} {verbed} by {ent}.",
    "According to {ent}, the {adj} {noun} {verbed} the {noun2} {time}.",
    "Most accounts agree that the {noun} {prep} the {noun2} was {adj}.",
    "{ent} is {adv} mentioned alongside the {adj} {noun}.",
    "There is {adj} evidence that {ent} {verbed} the {noun}.",
    "It remains unclear whether the {noun} {verbed} the {adj} {noun2}.",
    "{a_adj} {noun} was {verbed} {time}, which {adv} {verbed2} the {noun2}.",
    "The relationship between {ent} and the {noun} is discussed in more detail below.",
    "{ent} later {verbed} {a_adj} {noun}, although the surviving records are {adj2}.",
    "Critics have argued that the {noun} was {adj} rather than {adj2}.",
    "In {year}, {ent} {verbed} the {noun} {prep} the {place}.",
    "This {noun} is {adv} confused with the {adj} {noun2} described by {ent}.",
    "Little is known about the {noun} before {year}.",
    "{ent} and {ent} {adv} {verbed} the {adj} {noun} {time}.",
    "The {adj} {noun} {prep} the {place} remained in use until {year}.",
    "Some sources suggest that {ent} {verbed} the {noun} as early as {year}.",
    "By {year} the {noun} had become {adj}, and {ent} {verbed} it {adv}.",
    "The {noun} is {adv} described as {adj} and {adj2}.",
    "Later work {verbed} the {noun} and {verbed2} the {adj} {noun2}.",
    "Notes from {year} record that the {noun} was {adj}.",
    "{ent} {verbed} a series of {adj} reports on the {noun}.",
    "One open question is how the {noun} {verbed} the {noun2} {prep} the {place}.",
    "Whether {ent} {verbed} the {noun} remains disputed.",
    "The {adj} {noun} was eventually {verbed} in favour of {a_adj} {noun2}.",
    "Estimates of the {noun} vary between {num} and {num2}.",
    "{ent} kept {a_adj} {noun} that was {adv} {verbed} {time}.",
    "The {noun} {verbed} by {ent} was {adj} by the standards of the time.",
    "One {noun} {prep} the {place} was {verbed} {time}.",
    "Together with {ent}, the {noun} {adv} {verbed} the {adj} {noun2}.",
)
HEADINGS = {
    "person": ("Overview", "Early life", "Career", "Later years", "Legacy", "Selected works",
               "Personal life", "Collaborations", "Timeline", "Reception"),
    "place": ("Overview", "Geography", "History", "Economy", "Demographics", "Landmarks",
              "Climate", "Transport", "Culture", "Governance"),
    "project": ("Overview", "Goals", "Background", "Methods", "Team", "Timeline", "Results",
                "Funding", "Open questions", "Lessons learned"),
    "concept": ("Definition", "Overview", "Origins", "Formal description", "Applications",
                "Criticism", "Variants", "Examples", "Related ideas", "Open problems"),
    "note": ("Summary", "Context", "Discussion", "Action items", "Questions", "Observations",
             "Follow-up", "Decisions", "Attendees' remarks"),
    "source": ("Summary", "Key claims", "Methodology", "Reliability", "Quotes", "Context",
               "Citation", "Author's note"),
}
SUBHEADING_WORDS = ("Phase", "Part", "Stage", "Round")
ROMAN = ("I", "II", "III", "IV", "V", "VI")
TOPIC_TAGS = (
    "maritime", "geology", "archives", "ecology", "history", "methods", "data", "funding",
    "fieldwork", "governance", "climate", "transport", "culture", "review", "draft",
    "topic/coast", "topic/sediment", "topic/records", "status/stable", "status/needs-review",
)
CODE_SNIPPETS = (
    ("python", "def {f}(rows):\n    \"\"\"Average the {n} readings.\"\"\"\n    return sum(rows) / len(rows)"),
    ("yaml", "station: {n}\nsamples: {k}\nflags: [qc, {f}]"),
    ("bash", "rsync -av field/{f}/ archive/{f}/\nsha256sum archive/{f}/*.csv > {f}.sha256"),
    ("sql", "SELECT site, COUNT(*) FROM {f}\nWHERE year >= {k}\nGROUP BY site;"),
    ("text", "{n} -> {f}\n  checked: yes\n  count: {k}"),
)
# Code blocks that mention wikilink syntax: not links, a parser must skip them.
CODE_WITH_FAKE_LINKS = (
    ("markdown", "Template for new pages:\n\n- related: [[{t}]]\n- source: [[Source Title]]"),
    ("python", "LINK = \"[[{t}]]\"  # written into the page by the ingest step"),
)
WORD_SLOTS: dict[str, tuple[str, ...]] = {
    "adj": ADJECTIVES, "noun": NOUNS, "verbed": VERBS, "adv": ADVERBS, "prep": PREPOSITIONS,
    "place": PLACE_WORDS,
}
FACT_PHRASES = {
    "born": "was born in", "died": "died in", "founded": "was founded in",
    "population": "has a population of about", "elevation": "lies at an elevation of",
    "started": "started in", "budget": "had a budget of", "team_size": "had a team of",
    "introduced": "was introduced in", "published": "was published in",
}


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FolderSpec:
    path: str
    kind: str
    weight: float


FOLDERS = (
    FolderSpec("people", "person", 13),
    FolderSpec("people/historical", "person", 4),
    FolderSpec("places", "place", 8),
    FolderSpec("places/europe", "place", 5),
    FolderSpec("places/asia", "place", 3),
    FolderSpec("projects", "project", 10),
    FolderSpec("projects/archive", "project", 4),
    FolderSpec("concepts", "concept", 14),
    FolderSpec("concepts/methods", "concept", 5),
    FolderSpec("notes", "note", 6),
    FolderSpec("notes/meetings", "note", 7),
    FolderSpec("notes/reading", "note", 4),
    FolderSpec("sources", "source", 17),
)


@dataclass
class Page:
    idx: int
    folder: str
    kind: str
    stem: str
    title: str = ""
    aliases: list[str] = field(default_factory=list)
    alias_style: str = "block"  # block | flow | string
    tags: list[str] = field(default_factory=list)
    facts: dict[str, int] = field(default_factory=dict)
    headings: list[tuple[int, str]] = field(default_factory=list)  # (level, text)
    block_ids: dict[int, str] = field(default_factory=dict)  # section index -> id
    sources: list[int] = field(default_factory=list)
    n_links: int = 0
    has_related: bool = False
    has_frontmatter: bool = True
    key_facts: bool = False
    updated: date = EPOCH
    size: int = MEAN_PAGE_BYTES
    orphan: bool = False

    @property
    def rel(self) -> str:
        """Vault path without the `.md` suffix, as used in `[[folder/Stem]]`."""
        return f"{self.folder}/{self.stem}"


@dataclass
class Manifest:
    """Ground truth about the generated vault, for checking linters against."""

    seed: int
    pages: int
    counts: dict[str, int] = field(default_factory=dict)
    broken_links: list[dict[str, str]] = field(default_factory=list)
    alias_links: list[dict[str, str]] = field(default_factory=list)
    broken_anchors: list[dict[str, str]] = field(default_factory=list)
    ambiguous_links: list[dict[str, str]] = field(default_factory=list)
    conflicts: list[dict[str, object]] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    shared_names: list[list[str]] = field(default_factory=list)
    fake_links_in_code: list[str] = field(default_factory=list)

    def bump(self, key: str, by: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + by


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------


def person_name(rng: random.Random) -> str:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    if rng.random() < 0.3:
        return f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}"
    return f"{first} {last}"


def place_name(rng: random.Random) -> str:
    head, tail = rng.choice(PLACE_HEADS), rng.choice(PLACE_TAILS)
    base = head + (rng.choice(PLACE_MIDS) if rng.random() < 0.35 else "") + tail
    r = rng.random()
    if r < 0.35:
        return base
    if r < 0.65:
        return f"{base} {rng.choice(PLACE_FEATURES)}"
    return f"{rng.choice(PLACE_PREFIXES)} {base}"


def project_name(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.6:
        return f"{rng.choice(PROJECT_TOPICS)} {rng.choice(PROJECT_ACTIVITIES)} {rng.randint(1, 999)}"
    if r < 0.8:
        return f"Project {rng.choice(CODE_NAMES)} {rng.choice(ROMAN)}"
    return f"{place_name(rng)} {rng.choice(PROJECT_ACTIVITIES)}"


def concept_name(rng: random.Random) -> str:
    adj, noun = rng.choice(CONCEPT_ADJS), rng.choice(CONCEPT_NOUNS)
    r = rng.random()
    if r < 0.35:
        return f"{adj} {noun}"
    if r < 0.55:
        return f"{adj} {noun} {rng.choice(CONCEPT_SUFFIXES)}"
    if r < 0.75:
        return f"{adj} {rng.choice(CONCEPT_ADJS)} {noun}"
    if r < 0.9:
        return f"{rng.choice(LAST_NAMES)}'s {noun}"
    return f"{noun} {rng.choice(CONCEPT_NOUNS)}"


def note_name(rng: random.Random, folder: str) -> str:
    day = (EPOCH + timedelta(days=rng.randrange(SPAN_DAYS))).isoformat()
    if folder.endswith("meetings"):
        return f"{day} {rng.choice(NOTE_TEAMS)} {rng.choice(NOTE_KINDS)}"
    if folder.endswith("reading"):
        return f"Reading Notes on {concept_name(rng)}"
    r = rng.random()
    if r < 0.4:
        return f"Notes on {rng.choice((concept_name, project_name))(rng)}"
    if r < 0.7:
        return f"Questions about {concept_name(rng)}"
    return f"Working Notes {day}"


def source_name(rng: random.Random) -> str:
    year = rng.randint(1950, 2025)
    r = rng.random()
    if r < 0.25:
        return f"Interview with {person_name(rng)}"
    if r < 0.45:
        return f"{place_name(rng)} Annual Report {year}"
    if r < 0.65:
        return f"Field Notes from {place_name(rng)} {year}"
    if r < 0.85:
        return f"{rng.choice(LAST_NAMES)} {year} - {concept_name(rng)}"
    return f"Letter from {person_name(rng)} {year}"


def raw_name(rng: random.Random, kind: str, folder: str) -> str:
    if kind == "person":
        return person_name(rng)
    if kind == "place":
        return place_name(rng)
    if kind == "project":
        return project_name(rng)
    if kind == "concept":
        return concept_name(rng)
    if kind == "note":
        return note_name(rng, folder)
    return source_name(rng)


def unique_name(rng: random.Random, kind: str, folder: str, used: dict[str, int]) -> str:
    """A file stem not yet used anywhere in the vault (case-insensitively)."""
    for _ in range(25):
        name = raw_name(rng, kind, folder)
        if name.lower() not in used:
            return name
    base, n = raw_name(rng, kind, folder), 2
    while f"{base} {n}".lower() in used:
        n += 1
    return f"{base} {n}"


# --------------------------------------------------------------------------------------------
# Planning: every page's name, metadata, headings and block ids, before any text is written
# --------------------------------------------------------------------------------------------


def folder_counts(n: int) -> list[tuple[FolderSpec, int]]:
    """Split `n` pages over FOLDERS by weight (largest remainder, so counts sum to `n`)."""
    total = sum(spec.weight for spec in FOLDERS)
    exact = [n * spec.weight / total for spec in FOLDERS]
    counts = [int(x) for x in exact]
    order = sorted(range(len(FOLDERS)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return list(zip(FOLDERS, counts, strict=True))


def plan_names(n: int, rng: random.Random) -> list[Page]:
    used: dict[str, int] = {"index": 1, "log": 1}
    pages: list[Page] = []
    for spec, count in folder_counts(n):
        for _ in range(count):
            stem = unique_name(rng, spec.kind, spec.path, used)
            used[stem.lower()] = 1
            pages.append(Page(len(pages), spec.path, spec.kind, stem))
    return pages


def share_names(pages: list[Page], rng: random.Random, manifest: Manifest) -> None:
    """Give ~1% of pages the file name of a page in another folder (same or a related kind)."""
    wanted = max(1, round(len(pages) * SHARED_NAME_RATE)) if len(pages) >= 50 else 0
    taken: set[int] = set()
    tries = 0
    while len(manifest.shared_names) < wanted and tries < wanted * 50:
        tries += 1
        a, b = rng.randrange(len(pages)), rng.randrange(len(pages))
        pa, pb = pages[a], pages[b]
        if a in taken or b in taken or pa.folder == pb.folder:
            continue
        if pa.kind != pb.kind and (pa.kind, pb.kind) != ("place", "project"):
            continue  # across kinds, only a project named after a place is plausible
        pb.stem = pa.stem
        taken.update((a, b))
        manifest.shared_names.append([pa.rel, pb.rel])


def alt_title(page: Page, rng: random.Random) -> str:
    """A frontmatter title that differs from the file stem."""
    stem = page.stem
    if page.kind == "person":
        return f"Dr. {stem}" if rng.random() < 0.5 else stem.upper()
    if page.kind == "place":
        return f"{stem} (settlement)"
    if page.kind == "project":
        return f"The {stem}"
    return stem[:1] + stem[1:].lower()


def initials(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isalpha()).upper()


def make_aliases(page: Page, rng: random.Random) -> list[str]:
    words = page.stem.split()
    if page.kind == "person" and len(words) >= 2:
        options = [f"{words[0][0]}. {words[-1]}", f"{words[-1]}, {words[0]}", words[-1]]
    elif page.kind == "project":
        digits = words[-1] if words[-1].isdigit() else ""
        options = [f"{initials(words[:-1] if digits else words)}-{digits or 'X'}",
                   " ".join(words[:2]), page.stem.lower()]
    elif page.kind == "concept" and len(words) >= 2:
        options = [initials(words), page.stem.lower(), f"{page.stem} approach"]
    elif page.kind == "place":
        options = [f"Old {words[-1]}", f"{page.stem} district", f"{page.stem} area"]
    else:
        options = [page.stem.lower(), f"{page.stem} (draft)"]
    rng.shuffle(options)
    return options[: rng.choice((0, 1, 1, 2, 2, 3))]


def make_facts(kind: str, rng: random.Random) -> dict[str, int]:
    if kind == "person":
        born = rng.randint(1820, 1995)
        facts = {"born": born}
        if born < 1960 and rng.random() < 0.7:
            facts["died"] = min(2024, born + rng.randint(35, 95))
        return facts
    if kind == "place":
        facts = {"founded": rng.randint(1100, 1950), "population": rng.randint(300, 2_000_000)}
        if rng.random() < 0.4:
            facts["elevation"] = rng.randint(0, 2400)
        return facts
    if kind == "project":
        return {"started": rng.randint(1990, 2024), "budget": rng.randrange(10_000, 5_000_000, 500),
                "team_size": rng.randint(2, 40)}
    if kind == "concept":
        return {"introduced": rng.randint(1850, 2020)}
    if kind == "source":
        return {"published": rng.randint(1950, 2025)}
    return {}


def subheading(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.35:
        start = rng.randint(1850, 2015)
        return f"{start}–{start + rng.randint(1, 12)}"
    if r < 0.7:
        return f"{rng.choice(SUBHEADING_WORDS)} {rng.choice(ROMAN)}"
    return f"{rng.choice(ADJECTIVES).capitalize()} {rng.choice(NOUNS)}"


def make_headings(kind: str, rng: random.Random, n_links: int) -> tuple[list[tuple[int, str]], bool]:
    pool = HEADINGS[kind]
    chosen = sorted(rng.sample(range(len(pool)), rng.randint(3, 5)))
    headings: list[tuple[int, str]] = []
    seen: set[str] = set()
    for i in chosen:
        headings.append((2, pool[i]))
        seen.add(pool[i])
        if rng.random() < 0.3:
            sub = subheading(rng)
            if sub not in seen:
                headings.append((3, sub))
                seen.add(sub)
    has_related = n_links >= 4 and rng.random() < 0.7
    if has_related:
        headings.append((2, rng.choice(("Related", "See also"))))
    return headings, has_related


def make_block_ids(headings: list[tuple[int, str]], rng: random.Random) -> dict[int, str]:
    count = rng.choice((0, 0, 0, 1, 1, 2, 3))
    content = [i for i, (_, text) in enumerate(headings) if text not in ("Related", "See also")]
    ids: dict[int, str] = {}
    for section in sorted(rng.sample(content, min(count, len(content)))):
        if rng.random() < 0.6:  # Obsidian's generated style
            ids[section] = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(6))
        else:  # hand-written style
            word = rng.choice(("finding", "claim", "point", "result"))
            ids[section] = f"{rng.choice(('key', 'main', 'open', 'first'))}-{word}-{section}"
    return ids


def plan_details(page: Page, rng: random.Random) -> None:
    page.has_frontmatter = rng.random() < FRONTMATTER_RATE
    page.title = alt_title(page, rng) if rng.random() < 0.1 else page.stem
    page.aliases = make_aliases(page, rng)
    if len(page.aliases) == 1 and rng.random() < 0.4:
        page.alias_style = "string"
    elif rng.random() < 0.2:
        page.alias_style = "flow"
    page.tags = [page.kind] + rng.sample(TOPIC_TAGS, rng.randint(0, 3))
    page.facts = make_facts(page.kind, rng)
    page.key_facts = bool(page.facts) and rng.random() < 0.5
    page.n_links = rng.randint(0, 2) if rng.random() < 0.05 else rng.randint(3, 10)
    page.headings, page.has_related = make_headings(page.kind, rng, page.n_links)
    page.block_ids = make_block_ids(page.headings, rng)
    page.updated = EPOCH + timedelta(days=rng.randrange(SPAN_DAYS))
    page.size = int(min(4200, max(800, rng.gauss(MEAN_PAGE_BYTES, 550))))


def few(n: int, rate: float) -> int:
    return min(n // 10, max(MIN_FEW, round(n * rate)))


def plan_vault(n: int, rng: random.Random, manifest: Manifest) -> list[Page]:
    pages = plan_names(n, rng)
    share_names(pages, rng, manifest)
    for page in pages:
        plan_details(page, rng)
    shared = {rel for pair in manifest.shared_names for rel in pair}
    candidates = [p for p in pages if p.kind != "source" and p.rel not in shared]
    for page in rng.sample(candidates, few(len(candidates), ORPHAN_RATE)):
        page.orphan = True
        manifest.orphans.append(page.rel + ".md")
    manifest.orphans.sort()
    sources = [p.idx for p in pages if p.kind == "source" and not p.orphan]
    for page in pages:
        if sources and page.has_frontmatter:
            picks = rng.sample(sources, min(len(sources), rng.choice((0, 1, 1, 2, 3))))
            page.sources = [i for i in picks if i != page.idx]
    return pages


# --------------------------------------------------------------------------------------------
# Links
# --------------------------------------------------------------------------------------------


class Linker:
    """Chooses link targets and writes link text; records every injected defect."""

    def __init__(self, pages: list[Page], rng: random.Random, manifest: Manifest) -> None:
        self.pages = pages
        self.rng = rng
        self.manifest = manifest
        self.targets = [p.idx for p in pages if not p.orphan]
        rng.shuffle(self.targets)  # popularity order: early entries are hubs
        self.by_folder: dict[str, list[int]] = {}
        for i in self.targets:
            self.by_folder.setdefault(pages[i].folder, []).append(i)
        self.stem_count: dict[str, int] = {}
        for p in pages:
            key = p.stem.lower()
            self.stem_count[key] = self.stem_count.get(key, 0) + 1
        self.alias_owners = self._unique_aliases()
        self.alias_keys = {a.lower() for p in pages if p.has_frontmatter for a in p.aliases}
        self.with_facts = [i for i in self.targets if pages[i].facts]

    def _unique_aliases(self) -> list[tuple[str, int]]:
        owners: dict[str, list[int]] = {}
        for p in self.pages:
            if p.has_frontmatter and not p.orphan:
                for alias in p.aliases:
                    owners.setdefault(alias.lower(), []).append(p.idx)
        result = []
        for p in self.pages:
            for alias in p.aliases:
                key = alias.lower()
                if owners.get(key) == [p.idx] and key not in self.stem_count:
                    result.append((alias, p.idx))
        return result

    def is_ambiguous(self, page: Page) -> bool:
        return self.stem_count[page.stem.lower()] > 1

    def pick_target(self, src: Page) -> Page:
        rng = self.rng
        for _ in range(10):
            local = self.by_folder.get(src.folder)
            if local and rng.random() < 0.3:
                idx = local[int(len(local) * rng.random() ** 1.5)]
            else:
                idx = self.targets[int(len(self.targets) * rng.random() ** 1.8)]
            if idx != src.idx:
                return self.pages[idx]
        return self.pages[self.targets[0] if self.targets[0] != src.idx else self.targets[-1]]

    def link_name(self, src: Page, target: Page) -> str:
        """`Stem` or `folder/Stem`; ambiguous stems get the path more often than not."""
        path_rate = 0.6 if self.is_ambiguous(target) else 0.08
        if self.rng.random() < path_rate:
            return target.rel
        if self.is_ambiguous(target):
            self.manifest.ambiguous_links.append({"page": src.rel + ".md", "link": f"[[{target.stem}]]"})
        return target.stem

    def wikilink(self, src: Page) -> tuple[str, Page | None]:
        """One wikilink for a page's body, and its target when the link is valid."""
        r = self.rng.random()
        if r < BROKEN_LINK_RATE:
            return self._broken(src), None
        if r < BROKEN_LINK_RATE + ALIAS_LINK_RATE and self.alias_owners:
            return self._alias_link(src), None
        target = self.pick_target(src)
        if r < BROKEN_LINK_RATE + ALIAS_LINK_RATE + BROKEN_ANCHOR_RATE:
            return self._broken_anchor(src, target), None
        self.manifest.bump("wikilinks_valid")
        return self._valid(src, target), target

    def _valid(self, src: Page, target: Page) -> str:
        rng = self.rng
        name = self.link_name(src, target)
        r = rng.random()
        if r < 0.55:
            return f"[[{name}]]"
        if r < 0.72:
            shown = rng.choice((target.title.lower(), *target.aliases, target.stem.split()[-1]))
            return f"[[{name}|{shown}]]"
        if r < 0.88:
            heading = rng.choice(target.headings[:-1] if target.has_related else target.headings)
            return f"[[{name}#{heading[1]}]]"
        if target.block_ids:
            return f"[[{name}#^{rng.choice(list(target.block_ids.values()))}]]"
        return f"[[{name}]]"

    def _broken(self, src: Page) -> str:
        rng = self.rng
        base = self.pages[rng.choice(self.targets)]
        if rng.random() < 0.5 and len(base.stem) > 4:
            i = rng.randrange(1, len(base.stem) - 1)
            name = base.stem[:i] + base.stem[i + 1 :]  # a typo: one letter dropped
        else:
            name = raw_name(rng, base.kind, base.folder)
        if name.lower() in self.stem_count or name.lower() in self.alias_keys:
            name = f"{name} (missing)"
        link = f"[[{name}]]"
        self.manifest.broken_links.append({"page": src.rel + ".md", "link": link})
        return link

    def _alias_link(self, src: Page) -> str:
        alias, owner = self.rng.choice(self.alias_owners)
        link = f"[[{alias}]]"
        means = self.pages[owner].rel + ".md"
        self.manifest.alias_links.append({"page": src.rel + ".md", "link": link, "means": means})
        return link

    def _broken_anchor(self, src: Page, target: Page) -> str:
        name = self.link_name(src, target)
        if self.rng.random() < 0.6:
            present = {text for _, text in target.headings}
            missing = [h for h in HEADINGS[target.kind] if h not in present] or ["Appendix"]
            link = f"[[{name}#{self.rng.choice(missing)}]]"
        else:
            link = f"[[{name}#^{self.rng.choice(('zz', 'old', 'gone'))}{self.rng.randrange(1000)}]]"
        self.manifest.broken_anchors.append({"page": src.rel + ".md", "link": link})
        return link

    def markdown_link(self, src: Page) -> str:
        target = self.pick_target(src)
        href = posixpath.relpath(target.rel + ".md", src.folder)
        self.manifest.bump("markdown_links")
        return f"[{target.title}]({quote(href)})"

    def source_link(self, idx: int) -> str:
        page = self.pages[idx]
        name = page.rel if self.is_ambiguous(page) or self.rng.random() < 0.3 else page.stem
        return f'"[[{name}]]"'


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


def yaml_scalar(text: str) -> str:
    """`text` as a YAML scalar, double-quoted when a plain scalar would be misread."""
    risky = (": " in text or " #" in text or text[:1] in "!&*-?[]{}|>'\"%@`#,"
             or text.lower() in ("yes", "no", "true", "false", "null", "on", "off")
             or text.replace(".", "", 1).replace("-", "").isdigit())
    return json.dumps(text) if risky else text


def flow_item(text: str) -> str:
    return json.dumps(text) if any(c in text for c in ",[]{}:#\"'") else yaml_scalar(text)


def render_frontmatter(page: Page, linker: Linker) -> list[str]:
    rng = linker.rng
    out = ["---", f"title: {yaml_scalar(page.title)}"]
    if page.aliases:
        if page.alias_style == "string":
            out.append(f"aliases: {yaml_scalar(page.aliases[0])}")
        elif page.alias_style == "flow":
            out.append("aliases: [" + ", ".join(flow_item(a) for a in page.aliases) + "]")
        else:
            out.append("aliases:")
            out.extend(f"  - {yaml_scalar(a)}" for a in page.aliases)
    if rng.random() < 0.5:
        out.append("tags: [" + ", ".join(page.tags) + "]")
    else:
        out.append("tags:")
        out.extend(f"  - {t}" for t in page.tags)
    if page.sources:
        out.append("sources:")
        out.extend(f"  - {linker.source_link(i)}" for i in page.sources)
        linker.manifest.bump("frontmatter_links", len(page.sources))
    out.append(f"updated: {page.updated.isoformat()}")
    out.extend(f"{key}: {value}" for key, value in page.facts.items())
    out.append("---")
    return out


class PageWriter:
    """Renders one page: frontmatter, H1, sections of prose, lists, tables, code, links."""

    def __init__(self, page: Page, linker: Linker, attachments: int, conflict: str | None) -> None:
        self.page = page
        self.linker = linker
        self.rng = linker.rng
        self.attachments = attachments
        self.conflict = conflict  # None, "in-page" or "cross-page"
        links = [linker.wikilink(page) for _ in range(page.n_links)]
        self.rng.shuffle(links)
        keep = self.rng.randint(2, max(2, len(links) // 2)) if page.has_related else 0
        self.related_links = [link for link, _ in links[:keep]]
        self.queue: list[tuple[str, Page | None]] = links[keep:]  # consumed by prose
        self.md_links = sum(1 for _ in range(3) if self.rng.random() < MARKDOWN_LINK_MEAN / 3)
        self.embed = self.rng.random() < EMBED_RATE
        self.lines: list[str] = []
        self.chars = 0
        self.last: dict[str, str] = {}  # the word each slot got last, so "adj2" can differ

    # -- words ---------------------------------------------------------------------------

    def fill(self, slot: str) -> str:
        """The text for one template slot; a "...2" slot differs from its first occurrence."""
        rng = self.rng
        words = WORD_SLOTS.get(slot)
        if words is not None:
            word = self.last[slot] = rng.choice(words)
            return word
        if slot[-1:] == "2" and slot[:-1] in WORD_SLOTS:
            words, first = WORD_SLOTS[slot[:-1]], self.last.get(slot[:-1])
            word = rng.choice(words)
            return word if word != first else words[(words.index(word) + 1) % len(words)]
        if slot == "ent":
            return self.entity()
        if slot == "a_adj":
            adj = rng.choice(ADJECTIVES)
            return ("an " if adj[0] in "aeiou" else "a ") + adj
        if slot == "year":
            return str(rng.randint(1850, 2024))
        if slot == "num":
            self.last["num"] = str(rng.randint(10, 3000))
            return self.last["num"]
        if slot == "num2":
            return str(int(self.last.get("num", "10")) + rng.randint(20, 4000))
        if slot == "time":
            y = rng.randint(1850, 2015)
            return rng.choice(TIME_PHRASES).format(y=y, y2=y + rng.randint(2, 9), d=y // 10 * 10)
        raise KeyError(slot)

    def entity(self) -> str:
        rng = self.rng
        if self.queue and rng.random() < 0.5:
            link, target = self.queue.pop()
            if target is not None and target.facts and rng.random() < 0.15:
                key = rng.choice(list(target.facts))
                return f"{link} ({key}:: {target.facts[key]})"
            return link
        if rng.random() < 0.5:
            return self.linker.pages[rng.randrange(len(self.linker.pages))].title
        return rng.choice(GENERIC_AGENTS)

    def sentence(self) -> str:
        parts = TEMPLATE_PARTS[self.rng.randrange(len(TEMPLATE_PARTS))]
        text = "".join(self.fill(p[1:]) if p[:1] == "\0" else p for p in parts)
        return text[0].upper() + text[1:]

    def paragraph(self, count: int) -> str:
        return " ".join(self.sentence() for _ in range(count))

    # -- blocks --------------------------------------------------------------------------

    def emit(self, *lines: str) -> None:
        for line in lines:
            self.lines.append(line)
            self.chars += len(line) + 1

    def key_facts(self) -> None:
        facts = dict(self.page.facts)
        if self.conflict == "in-page":
            key = next(iter(facts))
            facts[key] = facts[key] + self.rng.choice((-7, -3, -2, 2, 3, 5))
            self.linker.manifest.conflicts.append({
                "kind": "in-page", "page": self.page.rel + ".md", "fact": key,
                "stated": facts[key], "actual": self.page.facts[key]})
        style = self.rng.random() < 0.5
        for key, value in facts.items():
            if style:
                self.emit(f"- **{key.replace('_', ' ').capitalize()}:** {value}")
            else:
                self.emit(f"{key}:: {value}")
        self.emit("")

    def cross_conflict(self) -> None:
        rng, linker = self.rng, self.linker
        candidates = [i for i in linker.with_facts if i != self.page.idx]
        target = linker.pages[rng.choice(candidates)]
        key = rng.choice(list(target.facts))
        wrong = target.facts[key] + rng.choice((-11, -4, -1, 1, 6, 10))
        name = linker.link_name(self.page, target)
        linker.manifest.bump("wikilinks_valid")
        self.emit(f"Records consulted here give a different figure for [[{name}]] ({key}:: {wrong}).", "")
        linker.manifest.conflicts.append({
            "kind": "cross-page", "page": self.page.rel + ".md", "subject": target.rel + ".md",
            "fact": key, "stated": wrong, "actual": target.facts[key]})

    def bullet_list(self) -> None:
        rng = self.rng
        ordered = rng.random() < 0.3
        for n in range(rng.randint(2, 5)):
            item = self.sentence().rstrip(".")
            self.emit(f"{n + 1}. {item}" if ordered else f"- {item}")
        self.emit("")

    def table(self) -> None:
        rng = self.rng
        self.emit("| Year | Event | Count |", "|---|---|---:|")
        year = rng.randint(1900, 2015)
        for _ in range(rng.randint(2, 5)):
            year += rng.randint(1, 6)
            event = f"{rng.choice(ADJECTIVES).capitalize()} {rng.choice(NOUNS)} {rng.choice(VERBS)}"
            self.emit(f"| {year} | {event} | {rng.randint(1, 900)} |")
        self.emit("")

    def code_block(self) -> None:
        rng = self.rng
        fields = {"f": rng.choice(NOUNS).replace(" ", "_"), "n": rng.choice(PLACE_HEADS).lower(),
                  "k": rng.randint(3, 2020), "t": rng.choice(CODE_NAMES)}
        if rng.random() < 0.2:
            lang, body = rng.choice(CODE_WITH_FAKE_LINKS)
            self.linker.manifest.fake_links_in_code.append(self.page.rel + ".md")
        else:
            lang, body = rng.choice(CODE_SNIPPETS)
        self.emit(f"```{lang}", *body.format(**fields).split("\n"), "```", "")

    def callout(self) -> None:
        kind = self.rng.choice(("note", "warning", "info", "question"))
        self.emit(f"> [!{kind}]", f"> {self.paragraph(self.rng.randint(1, 2))}", "")

    def embed_block(self) -> None:
        n = self.rng.randint(1, self.attachments)
        size = "|" + str(self.rng.choice((200, 320, 480))) if self.rng.random() < 0.3 else ""
        self.emit(f"![[image-{n}.png{size}]]", "")
        self.linker.manifest.bump("embeds")

    def markdown_link_sentence(self) -> None:
        link = self.linker.markdown_link(self.page)
        self.emit(f"{self.sentence()} For background, see {link}.", "")

    def section_body(self, index: int, budget: int, extras: Sequence[Callable[[], None]]) -> None:
        """A first paragraph, the section's extra blocks, then paragraphs up to `budget` chars."""
        start = self.chars
        block_id = self.page.block_ids.get(index)
        first = True
        while True:
            remaining = budget - (self.chars - start)
            if not first and remaining < SENTENCE_CHARS // 2:
                break
            text = self.paragraph(max(1, min(5, round(remaining / SENTENCE_CHARS))))
            if first and block_id:
                text += f" ^{block_id}"
            self.emit(text, "")
            if first:
                for block in extras:
                    block()
            first = False

    def related(self) -> None:
        self.related_links.extend(link for link, _ in reversed(self.queue))
        self.queue.clear()
        for link in self.related_links:
            self.emit(f"- {link}")
        self.emit("")

    # -- page ----------------------------------------------------------------------------

    def render(self) -> str:
        page = self.page
        if page.has_frontmatter:
            self.emit(*render_frontmatter(page, self.linker))
            self.emit("")
        self.emit(f"# {page.title}", "")
        self.emit(self.intro(), "")
        if (page.key_facts and page.has_frontmatter) or self.conflict == "in-page":
            self.key_facts()
        if self.conflict == "cross-page":
            self.cross_conflict()
        related = len(page.headings) - 1 if page.has_related else -1
        content = [i for i in range(len(page.headings)) if i != related]
        extras = self.extra_blocks(content)
        reserved = 35 * len(self.related_links)
        budget = max(SENTENCE_CHARS, (page.size - self.chars - reserved) // len(content) - 55)
        for i, (level, text) in enumerate(page.headings):
            self.emit(f"{'#' * level} {text}", "")
            if i == related:
                self.related()
            else:
                self.section_body(i, budget, extras.get(i, ()))
        if self.queue:
            self.emit("See also " + ", ".join(link for link, _ in reversed(self.queue)) + ".", "")
            self.queue.clear()
        return "\n".join(self.lines).rstrip("\n") + "\n"

    def intro(self) -> str:
        page = self.page
        facts = ""
        if page.facts and self.rng.random() < 0.6:
            key = next(iter(page.facts))
            facts = f" {page.stem} {FACT_PHRASES[key]} {page.facts[key]}."
        return f"**{page.title}** is {self.rng.choice(KIND_BLURB[page.kind])}.{facts} {self.sentence()}"

    def extra_blocks(self, content: list[int]) -> dict[int, list[Callable[[], None]]]:
        """Lists, tables, code, callouts, embeds and Markdown links, placed in random sections."""
        rng = self.rng
        blocks: list[Callable[[], None]] = [self.markdown_link_sentence] * self.md_links
        if self.embed and self.attachments:
            blocks.append(self.embed_block)
        for block, rate in ((self.bullet_list, 0.45), (self.table, 0.10), (self.code_block, 0.06),
                            (self.callout, 0.12)):
            if rng.random() < rate:
                blocks.append(block)
        placed: dict[int, list[Callable[[], None]]] = {}
        for block in blocks:
            placed.setdefault(rng.choice(content), []).append(block)
        return placed


KIND_BLURB = {
    "person": ("a researcher whose work appears throughout this wiki", "a surveyor and archivist",
               "a field scientist", "a local historian", "an engineer and later administrator"),
    "place": ("a settlement on the northern coast", "a small harbour town", "an inland market town",
              "a coastal district", "a river crossing with a long documented history"),
    "project": ("a multi-year survey project", "a small pilot study", "an archival programme",
                "a monitoring effort run by volunteers", "a funded research initiative"),
    "concept": ("an idea used to organise several of the methods pages", "a working concept",
                "a technique borrowed from older survey practice", "a contested theoretical notion"),
    "note": ("a working note", "a set of meeting notes", "a reading summary", "a scratchpad page"),
    "source": ("a primary source ingested into the wiki", "a report summarised here",
               "an interview transcript summary", "a letter kept in the archive"),
}


def compile_template(template: str) -> tuple[str, ...]:
    """Split "The {noun} was ..." into literal parts and "\\0slot" markers."""
    parts: list[str] = []
    rest = template
    while "{" in rest:
        head, _, tail = rest.partition("{")
        slot, _, rest = tail.partition("}")
        if head:
            parts.append(head)
        parts.append("\0" + slot)
    if rest:
        parts.append(rest)
    return tuple(parts)


TEMPLATE_PARTS = tuple(compile_template(t) for t in SENTENCES)


# --------------------------------------------------------------------------------------------
# Index, log, attachments
# --------------------------------------------------------------------------------------------


def render_index(pages: list[Page], linker: Linker) -> str:
    lines = ["---", "title: Index", "tags: [meta]", "---", "", "# Index", "",
             "Catalogue of every page in the wiki, grouped by folder.", ""]
    by_folder: dict[str, list[Page]] = {}
    for page in pages:
        if not page.orphan:
            by_folder.setdefault(page.folder, []).append(page)
    for folder in sorted(by_folder):
        members = sorted(by_folder[folder], key=lambda p: p.stem.lower())
        lines += [f"## {folder} ({len(members)})", ""]
        for page in members:
            name = f"{page.rel}|{page.stem}" if linker.is_ambiguous(page) else page.stem
            lines.append(f"- [[{name}]] — {page.kind}, updated {page.updated.isoformat()}")
        lines.append("")
    return "\n".join(lines)


def render_log(pages: list[Page], rng: random.Random) -> str:
    entries: list[tuple[date, int, str]] = []
    for page in pages:
        ingested = page.updated - timedelta(days=rng.randint(0, 120))
        entries.append((ingested, page.idx, f"## [{ingested.isoformat()}] ingest | {page.title}\n\n"
                                            f"- created `{page.rel}.md`\n"))
    entries.sort()
    lines = ["# Log", "", "Append-only record of ingests and maintenance passes.", ""]
    for n, (day, _, text) in enumerate(entries, 1):
        lines.append(text)
        if n % 250 == 0:
            lines.append(f"## [{day.isoformat()}] lint | routine pass\n\n- {rng.randint(0, 40)} findings fixed\n")
    return "\n".join(lines)


def png_bytes(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A valid RGB PNG: a diagonal gradient on `rgb`."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type: none
        for x in range(width):
            shade = (x + y) * 4
            rows += bytes(((rgb[0] + shade) % 256, (rgb[1] + shade) % 256, rgb[2]))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(bytes(rows), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def attachment_count(n_pages: int) -> int:
    return max(5, min(60, n_pages // 200))


def write_attachments(out: Path, count: int, rng: random.Random) -> int:
    folder = out / "attachments"
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(1, count + 1):
        data = png_bytes(16, 16, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
        (folder / f"image-{i}.png").write_bytes(data)
        total += len(data)
    return total


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


def conflict_plan(pages: list[Page], rng: random.Random) -> dict[int, str]:
    """Which pages carry a conflicting fact, and of which kind."""
    in_page = [p.idx for p in pages if p.facts and p.has_frontmatter]
    plan: dict[int, str] = {}
    count = few(len(pages), CONFLICT_RATE)
    for i in rng.sample(in_page, min(len(in_page), (count + 1) // 2)):
        plan[i] = "in-page"
    rest = [p.idx for p in pages if p.idx not in plan]
    for i in rng.sample(rest, min(len(rest), count // 2)):
        plan[i] = "cross-page"
    return plan


def write_pages(out: Path, pages: list[Page], linker: Linker, attachments: int, rng: random.Random) -> int:
    for folder in sorted({p.folder for p in pages}):
        (out / folder).mkdir(parents=True, exist_ok=True)
    conflicts = conflict_plan(pages, rng)
    total = 0
    for page in pages:
        data = PageWriter(page, linker, attachments, conflicts.get(page.idx)).render().encode("utf-8")
        with open(out / f"{page.rel}.md", "wb") as handle:
            handle.write(data)
        total += len(data)
    return total


def git_commit(out: Path, n_pages: int) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": GIT_DATE, "GIT_COMMITTER_DATE": GIT_DATE}
    base = ["git", "-c", "user.name=kbsleep benchmark", "-c", "user.email=bench@example.invalid",
            "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", "-c", "core.autocrlf=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", f"Synthetic vault: {n_pages} pages"]):
        subprocess.run(base + args, cwd=out, env=env, check=True)


def prepare_out(out: Path, force: bool) -> None:
    if out.exists() and any(out.iterdir()):
        if not force:
            raise SystemExit(f"error: {out} exists and is not empty (use --force to replace it)")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def generate(out: Path, n_pages: int, seed: int) -> tuple[Manifest, int]:
    """Write the vault into `out`; return the manifest and the number of bytes written."""
    rng = random.Random(seed)
    manifest = Manifest(seed=seed, pages=n_pages)
    pages = plan_vault(n_pages, rng, manifest)
    linker = Linker(pages, rng, manifest)
    attachments = attachment_count(n_pages)
    total = write_pages(out, pages, linker, attachments, rng)
    for name, text in (("index.md", render_index(pages, linker)), ("log.md", render_log(pages, rng))):
        data = text.encode("utf-8")
        (out / name).write_bytes(data)
        total += len(data)
    total += write_attachments(out, attachments, rng)
    manifest.counts.update({
        "broken_links": len(manifest.broken_links), "alias_links": len(manifest.alias_links),
        "broken_anchors": len(manifest.broken_anchors), "ambiguous_links": len(manifest.ambiguous_links),
        "conflicts": len(manifest.conflicts), "orphans": len(manifest.orphans),
        "shared_names": len(manifest.shared_names), "attachments": attachments,
        "fake_links_in_code": len(manifest.fake_links_in_code),
        "pages_with_frontmatter": sum(p.has_frontmatter for p in pages),
    })
    return manifest, total


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="output directory (created; must be empty unless --force)")
    parser.add_argument("--pages", type=int, default=1000, help="number of content pages (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--git", action="store_true", help="git init the vault and commit everything")
    parser.add_argument("--manifest", type=Path, help="write the injected defects as JSON to this file")
    parser.add_argument("--force", action="store_true", help="delete OUT first if it is not empty")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    args = parser.parse_args(argv)
    if args.pages < 10:
        parser.error("--pages must be at least 10")
    return args


def ensure_vault(out: Path, pages: int) -> Path:
    """`out/v<pages>`, generated (as a git repository) unless it is already there."""
    folder = out / f"v{pages}"
    if not (folder / ".git").is_dir():
        main([str(folder), "--pages", str(pages), "--git", "--force", "--quiet"])
    return folder


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    prepare_out(args.out, args.force)
    manifest, total = generate(args.out, args.pages, args.seed)
    if args.manifest:
        args.manifest.write_text(json.dumps(manifest.__dict__, indent=1) + "\n", encoding="utf-8")
    written = time.perf_counter() - started
    if args.git:
        git_commit(args.out, args.pages)
    if not args.quiet:
        c = manifest.counts
        print(f"{args.pages} pages, {total / 1e6:.1f} MB in {written:.2f} s"
              + (f" (+ git {time.perf_counter() - started - written:.2f} s)" if args.git else "")
              + f"; wikilinks ok {c.get('wikilinks_valid', 0)}, broken {c['broken_links']}, alias {c['alias_links']},"
              f" bad anchors {c['broken_anchors']}, orphans {c['orphans']}, conflicts {c['conflicts']}",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
