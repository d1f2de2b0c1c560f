"""Load and check the clinician-readable vocabulary (vocabulary.yml) and context cues
(context_cues.yml), and parse the pattern notation documented at the top of vocabulary.yml.

Parsing stops at an abstract form (slots of word choices); match.py turns it into the phrases
of its PhraseTable. Nothing here reads files outside this package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from yaml_io import Loader as _Loader

from .levels import ESCALATING, EXPECTED, LEVELS

PACKAGE_DIR = Path(__file__).resolve().parent
VOCABULARY_FILE = PACKAGE_DIR / "vocabulary.yml"
CONTEXT_CUES_FILE = PACKAGE_DIR / "context_cues.yml"

DEFAULT_GAP = 4
NEAR_WINDOW = 6

_GAP_RE = re.compile(r"^\.\.\.(\d*)$")


class VocabularyError(ValueError):
    """The vocabulary or cue file breaks the documented format."""


@dataclass(frozen=True)
class Gap:
    """Up to `size` other words (never across punctuation or but/however...)."""

    size: int


@dataclass(frozen=True)
class Choice:
    """One alternative at a slot: a sequence of words; exact=True compares the written form."""

    words: tuple[str, ...]
    exact: bool = False


@dataclass(frozen=True)
class Slot:
    choices: tuple[Choice, ...]
    optional: bool = False


@dataclass(frozen=True)
class Pattern:
    """One parsed lay phrase."""

    text: str
    items: tuple[Slot | Gap, ...]
    near: tuple[str, ...] = ()  # word-list names, one word of which must be near the match


@dataclass(frozen=True)
class Sign:
    id: str
    level: str
    label: str
    why: str
    patterns: tuple[Pattern, ...]
    exclude: tuple[Pattern, ...] = ()
    regex: tuple[str, ...] = ()
    window_hours: float | None = None
    still_escalates: bool = False
    escalated_label: str | None = None
    reassurance: str | None = None
    # where the reassurance comes from: a source of content/README.md (reference, westcare, ...)
    # and the exact passage(s) of that source (checked by tests/content/test_safety_texts.py)
    reassurance_source: str | None = None
    reassurance_quotes: tuple[str, ...] = ()
    # an expected sign that this one is judged as when the amount is small or it has stopped
    mild_form: str | None = None
    # when the mild form applies (MILD_WHEN): a small amount or a stop (bleeding), or over and
    # within the mild sign's window (a limb that "felt dead for an hour, normal now")
    mild_when: str = "small_or_stopped"
    # the sign is normally said about things ("the water tastes of metal", "the TV looks
    # blurry", "the bread sticks halfway down"): a thing as its subject is not figurative
    said_of_things: bool = False

    @property
    def escalates(self) -> bool:
        return self.level in ESCALATING


# `mild_when` values: "small_or_stopped" - a small amount overlaps the sign ("a DOT of blood") or
# the message says it stopped ("the spot is dry"); "recovered_within_window" - the message says
# it is over (`recovered` cues: "back to normal", "wore off") and gives a length within the mild
# sign's window_hours ("dead for an hour, fine now").
MILD_WHEN = ("small_or_stopped", "recovered_within_window")


@dataclass(frozen=True)
class Combination:
    """`sign` reported together with one of `with_signs` in a message also means `then`."""

    sign: str
    with_signs: tuple[str, ...]
    then: str
    why: str = ""


@dataclass
class Vocabulary:
    signs: tuple[Sign, ...]
    word_lists: dict[str, tuple[str, ...]]
    typos: dict[str, str]
    never_correct: frozenset[str]
    cues: dict[str, tuple[Pattern, ...]] = field(default_factory=dict)
    cue_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    combinations: tuple[Combination, ...] = ()
    not_targets: frozenset[str] = frozenset()  # ordinary words slips are never corrected into

    def sign(self, sign_id: str) -> Sign:
        for sign in self.signs:
            if sign.id == sign_id:
                return sign
        raise KeyError(sign_id)

    @property
    def pattern_count(self) -> int:
        return sum(len(sign.patterns) + len(sign.regex) for sign in self.signs)


# --------------------------------------------------------------------------- notation parser
def _split_choice(text: str, word_lists: dict[str, tuple[str, ...]]) -> list[Choice]:
    exact = text.startswith("=")
    if exact:
        text = text[1:]
    if text.startswith("$"):
        name = text[1:]
        if name not in word_lists:
            raise VocabularyError(f"unknown word list ${name}")
        return [Choice(tuple(item.replace("_", " ").split()), exact) for item in word_lists[name]]
    if not text:
        raise VocabularyError("empty choice")
    return [Choice(tuple(text.replace("_", " ").split()), exact)]


def parse_pattern(text: str, word_lists: dict[str, tuple[str, ...]]) -> Pattern:
    """Parse one line of the notation into slots and gaps (see vocabulary.yml)."""
    items: list[Slot | Gap] = []
    near: list[str] = []
    for raw in str(text).split():
        gap = _GAP_RE.match(raw)
        if gap:
            if not items or isinstance(items[-1], Gap):
                raise VocabularyError(f"a gap must follow a word: {text!r}")
            items.append(Gap(int(gap.group(1) or DEFAULT_GAP)))
            continue
        if raw.startswith("@"):
            name = raw[1:]
            if name not in word_lists:
                raise VocabularyError(f"unknown word list @{name} in {text!r}")
            near.append(name)
            continue
        optional = raw.endswith("?") and len(raw) > 1
        if optional:
            raw = raw[:-1]
        choices: list[Choice] = []
        for part in raw.split("|"):
            choices.extend(_split_choice(part, word_lists))
        items.append(Slot(tuple(dict.fromkeys(choices)), optional))
    if not items or isinstance(items[-1], Gap):
        raise VocabularyError(f"a pattern must start and end with a word: {text!r}")
    if all(isinstance(item, Gap) or item.optional for item in items):
        raise VocabularyError(f"a pattern needs at least one required word: {text!r}")
    return Pattern(str(text), tuple(items), tuple(near))


# --------------------------------------------------------------------------- loading
def _as_list(value, where: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise VocabularyError(f"{where} must be a list")
    for item in value:
        if isinstance(item, bool):
            # YAML reads a bare no/yes/on/off/true/false as a truth value, not a word
            raise VocabularyError(f"{where}: write no/yes/on/off/true/false in quotes")
    return value


def _reassurance_source(raw: dict, sign_id: str) -> tuple[str | None, tuple[str, ...]]:
    """A reassurance names its source (and quote); a source needs a reassurance."""
    source = raw.get("reassurance_source")
    quote = raw.get("reassurance_quote")
    quotes = (quote,) if isinstance(quote, str) else tuple(_as_list(quote, sign_id))
    if raw.get("reassurance") and not source:
        raise VocabularyError(f"sign {sign_id!r}: a reassurance needs a reassurance_source")
    if (source or quotes) and not raw.get("reassurance"):
        raise VocabularyError(f"sign {sign_id!r}: reassurance_source without a reassurance")
    return (str(source) if source else None), tuple(str(q) for q in quotes)


def _mild_when(raw: dict, sign_id: str) -> str:
    value = str(raw.get("mild_when") or MILD_WHEN[0])
    if value not in MILD_WHEN:
        raise VocabularyError(f"sign {sign_id!r}: mild_when must be one of {MILD_WHEN}")
    if raw.get("mild_when") and not raw.get("mild_form"):
        raise VocabularyError(f"sign {sign_id!r}: mild_when without a mild_form")
    return value


def _load_sign(raw: dict, word_lists: dict[str, tuple[str, ...]]) -> Sign:
    for key in ("id", "level", "label", "patterns"):
        if not raw.get(key):
            raise VocabularyError(f"sign {raw.get('id', '?')!r} has no {key}")
    if raw["level"] not in LEVELS:
        raise VocabularyError(f"sign {raw['id']!r}: unknown level {raw['level']!r}")
    sign_id = str(raw["id"])
    try:
        patterns = tuple(parse_pattern(p, word_lists) for p in _as_list(raw["patterns"], sign_id))
        exclude = tuple(parse_pattern(p, word_lists) for p in _as_list(raw.get("exclude"), sign_id))
    except VocabularyError as err:
        raise VocabularyError(f"sign {sign_id!r}: {err}") from None
    regex = tuple(str(r) for r in _as_list(raw.get("regex"), sign_id))
    for expression in regex:
        try:
            re.compile(expression, re.IGNORECASE)
        except re.error as err:
            raise VocabularyError(f"sign {sign_id!r}: bad regex {expression!r}: {err}") from None
    window = raw.get("window_hours")
    reassurance_source, reassurance_quotes = _reassurance_source(raw, sign_id)
    return Sign(
        id=sign_id,
        level=str(raw["level"]),
        label=str(raw["label"]),
        why=str(raw.get("why", "")),
        patterns=patterns,
        exclude=exclude,
        regex=regex,
        window_hours=float(window) if window is not None else None,
        still_escalates=bool(raw.get("still_escalates", False)),
        escalated_label=raw.get("escalated_label"),
        reassurance=raw.get("reassurance"),
        reassurance_source=reassurance_source,
        reassurance_quotes=reassurance_quotes,
        mild_form=str(raw["mild_form"]) if raw.get("mild_form") else None,
        mild_when=_mild_when(raw, sign_id),
        said_of_things=bool(raw.get("said_of_things", False)),
    )


# Cue categories that are plain word lists (checked token by token), not phrase patterns.
WORD_CUE_CATEGORIES = (
    "question_words",
    "future_endings",
    "complication_names",
    "treated_conditions",
    "knot_words",
    "negation_fillers",
    "advice_context",
    "first_person",
    "temperature_words",
    "not_temperature_units",
    "not_temperature_before",
    "non_body_things",
    "figurative_links",
    "ambient_words",
    "own_site_words",
    "body_words",
    "personal_devices",
    "online_sources",
    "unnamed_people",
    "acquaintances",
    "outside_tellers",
    "aside_words",
    "asking_verbs",
    "imagined_words",
    "coming_times",
    "procedure_pointers",
    "later_words",
    "ending_verbs",
    "ongoing_verbs",
    "ongoing_without_subject",
    "general_case",
    "moods",
    "wound_cloths",
    "general_subjects",
    "happening_verbs",
    "norm_words",
    "people_words",
    "before_words",
    "asked_persons",
    "asked_pointers",
    "asked_times",
    "not_own_time",
    "page_words",
    "page_verbs",
)


def _load_combinations(raw_list, ids: set[str]) -> tuple[Combination, ...]:
    out = []
    for raw in _as_list(raw_list, "combinations"):
        if not isinstance(raw, dict):
            raise VocabularyError("each combination must be a mapping")
        sign, then = str(raw.get("sign", "")), str(raw.get("then", ""))
        with_signs = tuple(str(w) for w in _as_list(raw.get("with"), "combinations.with"))
        for name in (sign, then, *with_signs):
            if name not in ids:
                raise VocabularyError(f"combination names an unknown sign {name!r}")
        if not with_signs:
            raise VocabularyError(f"combination for {sign!r} has no 'with'")
        out.append(Combination(sign, with_signs, then, str(raw.get("why", ""))))
    return tuple(out)


def _read_yaml(path: Path):
    """The file's data; a key written twice in one mapping is an error. YAML would keep only the
    second (a second `exclude:` under a sign silently drops the first list)."""
    text = Path(path).read_text(encoding="utf-8")
    pending = [yaml.compose(text, Loader=_Loader)]
    while pending:
        node = pending.pop()
        if isinstance(node, yaml.MappingNode):
            keys = [key.value for key, _ in node.value]
            twice = sorted({key for key in keys if keys.count(key) > 1})
            if twice:
                raise VocabularyError(
                    f"{path}, line {node.start_mark.line + 1}: {twice} written twice in one block"
                )
            pending.extend(value for _, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
    return yaml.load(text, Loader=_Loader)


def load_vocabulary(
    vocabulary_file: Path = VOCABULARY_FILE, cues_file: Path = CONTEXT_CUES_FILE
) -> Vocabulary:
    data = _read_yaml(vocabulary_file)
    if not isinstance(data, dict) or "signs" not in data:
        raise VocabularyError(f"{vocabulary_file} has no 'signs'")
    word_lists = {
        str(name): tuple(str(w) for w in _as_list(words, f"word list {name}"))
        for name, words in (data.get("word_lists") or {}).items()
    }
    signs = tuple(_load_sign(raw, word_lists) for raw in _as_list(data["signs"], "signs"))
    ids = [sign.id for sign in signs]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise VocabularyError(f"duplicate sign ids: {duplicates}")
    levels = {sign.id: sign.level for sign in signs}
    for sign in signs:
        if sign.mild_form and levels.get(sign.mild_form) != EXPECTED:
            raise VocabularyError(
                f"sign {sign.id!r}: mild_form must name an expected sign, not {sign.mild_form!r}"
            )
    combinations = _load_combinations(data.get("combinations"), set(ids))
    spelling = data.get("spelling") or {}
    typos = {str(k).lower(): str(v).lower() for k, v in (spelling.get("typos") or {}).items()}
    never = frozenset(str(w).lower() for w in _as_list(spelling.get("never_correct"), "never"))
    not_targets = frozenset(
        str(w).lower() for w in _as_list(spelling.get("not_targets"), "not_targets")
    )

    cue_data = _read_yaml(cues_file) or {}
    cues: dict[str, tuple[Pattern, ...]] = {}
    cue_words: dict[str, tuple[str, ...]] = {}
    for category, entries in cue_data.items():
        entries = _as_list(entries, category)
        if category in WORD_CUE_CATEGORIES:
            cue_words[category] = tuple(str(e).lower() for e in entries)
            continue
        try:
            cues[category] = tuple(parse_pattern(str(e), word_lists) for e in entries)
        except VocabularyError as err:
            raise VocabularyError(f"cue {category!r}: {err}") from None
    return Vocabulary(
        signs, word_lists, typos, never, cues, cue_words, combinations, not_targets
    )


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    return load_vocabulary()
