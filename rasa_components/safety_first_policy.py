"""The dialogue policy: the safety layer speaks first, then the rules answer the question.

For every user message the turn is planned in this fixed order:

1. `action_safety_response`  when the message carries a warning sign, a question about warning
   signs, an expected after-effect, or the model's `report_symptom` catch-all. Its prediction
   also records `escalation_level` and `warning_signs` here, on the Rasa server, so the record
   does not depend on the action server.
2. `utter_safety_fallback`   when step 1 failed (action server down or the action raised): a
   static reply with the emergency number and clinic phone.
3. the language replies (rasa_components/language_turn.py, docs/languages.md): a request to
   switch gets `utter_language_switched`, a message in a language the assistant does not speak
   `utter_other_language`; nothing else answers that message.
4. `utter_welcome`           on the first message of a session (a session that has not been
   welcomed yet; Rasa's own action_session_start begins it, with no call to the action server),
   or when the `welcome_due` slot says so (the training stories, which have no sessions).
5. Whatever the rules predict for the message, judged as if steps 1-4 had not happened, so every
   rule keeps working unchanged whatever the safety layer said before it. Two answers are the
   policy's own (docs/handoff.md): a patient who asks for a person (`request_human`) gets the
   in-hours or the out-of-hours reply by the clinic profile's opening hours, and the message
   right after the out-of-hours reply is passed on to the clinic (`utter_message_left`). The
   in-hours reply and the message left set `person_requested` for the staff console's queue.
   The patient's data rights are the policy's own too (docs/data-rights.md, rasa_components/
   data_rights.py): a request to delete the conversation gets the confirmation question; a yes
   right after it is answered with `action_listen` and the event `erasure_confirmed`, on which
   the tracker store deletes the conversation instead of saving the message (and the server
   confirms it); a yes that carries a warning sign gets the safety reply and deletes nothing;
   a no gets `utter_erasure_kept`.
6. `action_second_answer`    after the answer to a topic the model was sure of, when it found
   a second topic likely too (`second_topic`, rasa_components/close_topics.py): that topic's
   answer as well, once, and not after a safety reply that escalates (actions/second_answer.py).
   The same after the reply to a question about the patient's own case (`ask_medical_advice`,
   which points to the doctor): the likeliest topic's general facts follow it.
7. `utter_personal_pointer`  after the answer to a question about the patient's own case
   (their condition, medicines, pregnancy, age: rasa_components/personal_question.py) when
   the answer does not name the doctor: the answers give general facts; the doctor decides
   (never after the personal-advice reply itself, which names the doctor).

While a staff member has the conversation (the `handoff_by` slot is set), only steps 1 and 2
run, and only for a message that escalates (emergency or doctor): the assistant answers nothing
else, so the patient's messages wait for the staff member. Rasa's own ConversationPaused is not
used: a new session would silently end it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_components import data_rights, handoff, language_turn
from rasa_components.follow_up import TOPICS
from rasa_components.parse_keys import CLOSE_TOPICS_KEY, PERSONAL_INTENT, SECOND_TOPIC_KEY
from rasa_components.personal_question import UTTER_PERSONAL_POINTER, is_personal
from safety.turn import SafetyTurn, assess_turn, topics_to_answer

ACTION_SAFETY_RESPONSE = "action_safety_response"
UTTER_SAFETY_FALLBACK = "utter_safety_fallback"
UTTER_WELCOME = "utter_welcome"
PRE_ANSWER_ACTIONS = (ACTION_SAFETY_RESPONSE, UTTER_SAFETY_FALLBACK, UTTER_WELCOME)

SLOT_PENDING = "safety_reply_pending"
SLOT_WELCOME_DUE = "welcome_due"
SLOT_LEVEL = "escalation_level"
SLOT_SIGNS = "warning_signs"
SLOT_LANGUAGE = "language"
ACTION_FALLBACK_ANSWER = "action_fallback_answer"
ACTION_SECOND_ANSWER = "action_second_answer"
# words that name the doctor in an answer (English and Spanish)
DOCTOR_WORDS = ("doctor", "physician", "provider", "médico", "medico")


def _names_the_doctor(domain: Domain, action_name: str) -> bool:
    """Does the response (every language's variation) name the doctor? An action's own text
    (the fallback's two answers) is not known here: it counts as not naming them."""
    variations = domain.responses.get(action_name) or []
    return bool(variations) and all(
        any(word in str(v.get("text") or "").lower() for word in DOCTOR_WORDS)
        for v in variations)


def _turn_events(tracker: DialogueStateTracker) -> tuple[list[Event], list[Event]]:
    """The tracker's events split at (and including) the latest user message."""
    events = list(tracker.events)
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], UserUttered):
            return events[: index + 1], events[index + 1 :]
    return events, []


def _welcome_due(events: Sequence[Event]) -> bool:
    """True when the latest session has not been welcomed yet."""
    for event in reversed(events):
        if isinstance(event, ActionExecuted) and event.action_name == UTTER_WELCOME:
            return False
        if isinstance(event, SessionStarted):
            return True
    return False  # no session (e.g. a rule's snippet while training)


def _without_pre_answer_actions(turn: list[Event]) -> list[Event]:
    """The turn's events minus the pre-answer actions and the events they produced."""
    kept: list[Event] = []
    skipping = False
    for event in turn:
        if isinstance(event, ActionExecuted):
            skipping = event.action_name in PRE_ANSWER_ACTIONS
        if not skipping:
            kept.append(event)
    return kept


def _predicts_listen(prediction: PolicyPrediction, domain: Domain) -> bool:
    return bool(prediction.probabilities) and (
        domain.action_names_or_texts[prediction.max_confidence_index] == ACTION_LISTEN_NAME)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class SafetyFirstRulePolicy(RulePolicy):
    """RulePolicy with the safety layer's turn plan in front (see the module docstring)."""

    def _predict(
        self, tracker: DialogueStateTracker, domain: Domain
    ) -> tuple[PolicyPrediction, str | None]:
        history, turn = _turn_events(tracker)
        if not history or not isinstance(history[-1], UserUttered):
            return super()._predict(tracker, domain)
        if turn and data_rights.after_confirmed_listen(turn):
            # Training data only (data/stories/privacy.yml): the server's confirmation.
            return self._predict_action(data_rights.UTTER_DONE, domain, []), "data_rights"

        done = [e.action_name for e in turn if isinstance(e, ActionExecuted)]
        safety = assess_turn(tracker.latest_message.parse_data)
        if tracker.get_slot(handoff.SLOT_HANDOFF):
            step = self._safety_step(tracker, done, safety) if safety.escalates else None
            action_name, optional_events = step or (ACTION_LISTEN_NAME, [])
            return self._predict_action(action_name, domain, optional_events), "handoff"

        if all(name in PRE_ANSWER_ACTIONS for name in done):
            step = self._next_pre_answer_step(tracker, done, safety)
            if step is None:
                step = self._person_step(tracker, history, safety)
            if step is None:
                step = data_rights.step(tracker.latest_message.intent.get("name"), history,
                                        safety_replied=bool(safety.level))
            if step is not None:
                action_name, optional_events = step
                return self._predict_action(action_name, domain, optional_events), "safety"

        if any(name in language_turn.LANGUAGE_ACTIONS for name in done):
            return self._predict_action(ACTION_LISTEN_NAME, domain, []), "language"
        if any(name in handoff.PERSON_ACTIONS for name in done):
            return self._predict_action(ACTION_LISTEN_NAME, domain, []), "handoff"
        if any(name in data_rights.POLICY_ACTIONS for name in done):
            return self._predict_action(ACTION_LISTEN_NAME, domain, []), "data_rights"
        if UTTER_PERSONAL_POINTER in done:
            return self._predict_action(ACTION_LISTEN_NAME, domain, []), "personal"
        prediction, source = self._answer(tracker, history, turn, done, domain)
        if self._second_answer_due(tracker, done, safety, prediction, domain):
            return self._predict_action(ACTION_SECOND_ANSWER, domain, []), "second"
        if self._personal_pointer_due(tracker, done, safety, prediction, domain):
            return self._predict_action(UTTER_PERSONAL_POINTER, domain, []), "personal"
        return prediction, source

    def _answer(self, tracker: DialogueStateTracker, history: list[Event], turn: list[Event],
                done: list[str], domain: Domain) -> tuple[PolicyPrediction, str | None]:
        """Step 5: what the rules predict, judged as if steps 1-4 had not happened."""
        if ACTION_SECOND_ANSWER in done:  # the rules' answer came before it: the turn is over
            return self._predict_action(ACTION_LISTEN_NAME, domain, []), "second"
        if any(name in PRE_ANSWER_ACTIONS for name in done):
            return super()._predict(
                self._replayed(tracker, history + _without_pre_answer_actions(turn)), domain)
        return super()._predict(tracker, domain)

    @staticmethod
    def _second_answer_due(tracker: DialogueStateTracker, done: list[str], safety: SafetyTurn,
                           prediction: PolicyPrediction, domain: Domain) -> bool:
        """Step 6: the rules have just answered the model's own topic (they would listen now)
        and the message names a second topic, not answered yet in this turn."""
        second = tracker.latest_message.parse_data.get(SECOND_TOPIC_KEY)
        if (not second or ACTION_SECOND_ANSWER in done or not _predicts_listen(prediction, domain)
                or not topics_to_answer(safety, [second])):  # the safety reply's limits
            return False
        answered = {name.removeprefix("utter_") for name in done}
        intent = tracker.latest_message.intent.get("name")
        return intent in answered and second not in answered

    @staticmethod
    def _personal_pointer_due(tracker: DialogueStateTracker, done: list[str], safety: SafetyTurn,
                              prediction: PolicyPrediction, domain: Domain) -> bool:
        """Step 7: a question about the patient's own case, answered with general facts that do
        not name the doctor, gets `utter_personal_pointer` (rasa_components/personal_question.py).
        Not after a safety reply that escalates: that one names the doctor already."""
        if safety.escalates or not _predicts_listen(prediction, domain):
            return False
        # a topic's answer (the response named after its intent), the personal-advice reply, the
        # fallback's (read as the personal reply when it gave one beside a topic), or a second
        # topic's (read as that topic's own response)
        parse = tracker.latest_message.parse_data
        personal = f"utter_{PERSONAL_INTENT}"
        given = {ACTION_SECOND_ANSWER: f"utter_{parse.get(SECOND_TOPIC_KEY)}"}
        if PERSONAL_INTENT in (parse.get(CLOSE_TOPICS_KEY) or []):
            given[ACTION_FALLBACK_ANSWER] = personal
        answers = [given.get(name, name) for name in done
                   if name.removeprefix("utter_") in TOPICS
                   or name in (personal, ACTION_FALLBACK_ANSWER, ACTION_SECOND_ANSWER)]
        if not answers:
            return False
        language = tracker.get_slot(SLOT_LANGUAGE) or "en"
        if not is_personal(tracker.latest_message.text or "", language):
            return False
        return not any(_names_the_doctor(domain, name) for name in answers)

    def _next_pre_answer_step(
        self, tracker: DialogueStateTracker, done: list[str], safety: SafetyTurn
    ) -> tuple[str, list[Event]] | None:
        step = self._safety_step(tracker, done, safety)
        if step is not None:
            return step
        language_reply = language_turn.step(tracker.latest_message.parse_data, done)
        if language_reply is not None:  # before the welcome: one short reply, not two
            return language_reply, []
        welcome_due = tracker.get_slot(SLOT_WELCOME_DUE) is True or _welcome_due(tracker.events)
        if welcome_due and UTTER_WELCOME not in done:
            return UTTER_WELCOME, [SlotSet(SLOT_WELCOME_DUE, False)]
        return None

    @staticmethod
    def _safety_step(
        tracker: DialogueStateTracker, done: list[str], safety: SafetyTurn
    ) -> tuple[str, list[Event]] | None:
        """Steps 1 and 2: the safety reply, or the static one when it failed."""
        if safety.level and ACTION_SAFETY_RESPONSE not in done:
            events: list[Event] = [SlotSet(SLOT_PENDING, True)]
            if safety.escalates:
                events += [SlotSet(SLOT_LEVEL, safety.level), SlotSet(SLOT_SIGNS, safety.signs)]
            return ACTION_SAFETY_RESPONSE, events

        safety_reply_failed = (
            done[-1:] == [ACTION_SAFETY_RESPONSE] and tracker.get_slot(SLOT_PENDING) is True
        )
        if UTTER_SAFETY_FALLBACK not in done and safety_reply_failed:
            return UTTER_SAFETY_FALLBACK, [SlotSet(SLOT_PENDING, False)]
        return None

    @staticmethod
    def _person_step(
        tracker: DialogueStateTracker, history: list[Event], safety: SafetyTurn
    ) -> tuple[str, list[Event]] | None:
        """The answer when the patient asks for a person or leaves the message they were offered
        to leave (a message that escalates is answered as usual: its escalation reaches staff)."""
        if handoff.answers_message_offer(history) and not safety.escalates:
            return handoff.UTTER_MESSAGE_LEFT, [
                SlotSet(handoff.SLOT_PERSON_REQUESTED, handoff.MESSAGE)]
        if tracker.latest_message.intent.get("name") == handoff.INTENT_REQUEST_HUMAN:
            if handoff.clinic_open(tracker.events):
                return handoff.UTTER_IN_HOURS, [
                    SlotSet(handoff.SLOT_PERSON_REQUESTED, handoff.IN_HOURS)]
            return handoff.UTTER_OUT_OF_HOURS, []
        return None

    def _predict_action(
        self, action_name: str, domain: Domain, optional_events: list[Event]
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(action_name)] = 1.0
        return self._prediction(probabilities, optional_events=optional_events)

    @staticmethod
    def _replayed(tracker: DialogueStateTracker, events: list[Event]) -> DialogueStateTracker:
        replay = tracker.init_copy()
        replay.sender_id = tracker.sender_id
        for event in events:
            replay.update(event)
        return replay

