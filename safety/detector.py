"""The public API of the safety layer: WarningSignDetector.assess(message) -> Assessment.

    detector = WarningSignDetector()          # or WarningSignDetector(nlp=rasa_spacy_language)
    a = detector.assess("no fever but it hurts to breathe")
    a.level, a.escalates, a.signs, a.summary(), a.to_dict()

One pass over the message, each step in its own module:

1. normalise     normalise.py, spelling.py    words in dictionary form, spelling slips corrected
2. match         match.py                     sign phrases, look-alikes and context cues
                 sizes.py                     sizes that grow, told one after another
                 context/structure.py         the message's sentences, clauses and cue positions
                 candidates.py, temperature.py  which matches (and temperatures) are findings
3. read context  context/                     per finding: negated, figurative, only asked about,
                                              before the procedure, someone else, uncertain
4. decide        decide.py, expected_effects.py  each finding's level -> Assessment
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from . import context
from .assessment import Assessment
from .candidates import Candidate, CandidateFinder, occupy
from .context import ContextResult, ContextWords, TextStructure
from .decide import Decider
from .language import ENGLISH
from .language import Language as SafetyLanguage
from .levels import EMERGENCY
from .match import VocabularyMatcher
from .normalise import NormToken
from .sizes import growing_sizes
from .temperature import TemperatureReader
from .vocabulary import Vocabulary


class WarningSignDetector:
    """Deterministic warning-sign detector over patient messages (str or spaCy Doc)."""

    def __init__(
        self, nlp: Language | None = None, vocabulary: Vocabulary | None = None,
        language: SafetyLanguage | None = None,
    ) -> None:
        """`language` (language.py) gives the pipeline, vocabulary, normaliser and readers of
        one language; English by default."""
        language = language or ENGLISH
        self.language = language
        if nlp is None:
            nlp = language.load_nlp()
        self.nlp = nlp
        self.vocabulary = vocabulary or language.load_vocabulary()
        lemmas = language.lemma_lookup(nlp)
        self.speller = language.speller(self.vocabulary, lemmas)
        self.normaliser = language.normaliser(lemmas, self.speller)
        self.matcher = VocabularyMatcher(nlp, self.vocabulary, self.normaliser,
                                         language.gap_stoppers)
        words = self.vocabulary.cue_words
        self.context_words = ContextWords.from_cue_words(words, self.normaliser.key)
        self.temperature = TemperatureReader(
            words.get("temperature_words", ()),
            words.get("not_temperature_units", ()),
            tuple(words.get("not_temperature_before", ())) + ("m",),
            language.temperature_wording, language.fold,
        )
        self.candidates = CandidateFinder(self.vocabulary, self.matcher, self.temperature)
        self.decider = Decider(self.vocabulary)

    @property
    def sign_count(self) -> int:
        return len(self.vocabulary.signs)

    @property
    def pattern_count(self) -> int:
        return self.vocabulary.pattern_count

    def assess(self, message: str | Doc | None) -> Assessment:
        text, tokens = self._normalise(message)  # 1. normalise
        if not tokens:
            return Assessment(text, [], language=self.language.code)
        matches = self.matcher.match(tokens)  # 2. match
        grown = growing_sizes(tokens)  # (and sizes that grow: "3cm Monday, 6cm today")
        if grown:
            matches.cues["worsening"] = [*matches.cues.get("worsening", []), *grown]
        structure = TextStructure(tokens, matches.cues, self.context_words, self.language.times)
        found = self.candidates.find(text, tokens, matches, structure)
        occupy(structure, found)
        results = [_read_context(structure, cand) for cand in found]  # 3. read the context
        findings = self.decider.decide(text, structure, found, results)  # 4. decide
        return Assessment(
            text, findings, wellbeing=context.states_wellbeing(structure),
            figure_of_speech=context.speaks_of_the_body_only_in_figures(structure),
            language=self.language.code,
        )

    def _normalise(self, message: str | Doc | None) -> tuple[str, list[NormToken]]:
        if isinstance(message, Doc):
            return message.text, self.normaliser.tokens(message)
        text = "" if message is None else str(message)
        return text, self.normaliser.tokens_from_text(text, self.nlp.tokenizer)


def _read_context(structure: TextStructure, cand: Candidate) -> ContextResult:
    return context.analyse(structure, cand.start, cand.end, cand.own_negations,
                           emergency=cand.sign.level == EMERGENCY,
                           said_of_things=cand.sign.said_of_things)
