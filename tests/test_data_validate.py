"""`rasa data validate` passes with no warnings (domain, rules, stories, NLU data)."""

import re
import subprocess

import pytest

from actions.fallback_answer import UTTERED_RESPONSES
from actions.second_answer import UTTERED_RESPONSES as SECOND_ANSWER_RESPONSES
from devtools.servers import ROOT, VENV_BIN
from rasa_components.personal_question import UTTER_PERSONAL_POINTER

# Rasa counts a response as used only where a rule or story names it: the ones a custom action
# utters are declared by that action, and the pointer to the doctor after a personal question is
# the policy's own (its step 7, which no rule can express: it depends on the message's words);
# only those warnings are let through.
NOT_IN_RULES = {*UTTERED_RESPONSES, *SECOND_ANSWER_RESPONSES, UTTER_PERSONAL_POINTER}
UNUSED = re.compile(r"UserWarning: The utterance '(\w+)' is not used in any story or rule\.")

pytestmark = pytest.mark.slow  # Rasa's command line in a fresh interpreter (~7 s; `make validate`)


def test_rasa_data_validate_passes_without_warnings():
    result = subprocess.run(
        [str(VENV_BIN / "rasa"), "data", "validate", "--domain", "domain", "--fail-on-warnings"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert set(UNUSED.findall(output)) <= NOT_IN_RULES, output[-4000:]
    assert "UserWarning" not in UNUSED.sub("", output), output[-4000:]
    assert "No story structure conflicts found" in output
