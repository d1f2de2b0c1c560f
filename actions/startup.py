"""What the replies read, loaded while the action server starts (`rasa run actions` imports this
package before it listens), never on a patient's message.

Loaded on first use, the first emergency or doctor reply (naming its signs imported the learned
judge's module) and the first Spanish reassurance (the Spanish vocabulary) imported spaCy, and
spaCy TensorFlow: about 4 s on an idle machine, over 10 s on a busy one. The action server answered
nobody else meanwhile; the replies waiting behind it ran past ACTION_TIMEOUT_SECONDS and their
patients got the static safe reply instead of their answer (tests/production/test_scale_out.py,
50 conversations at once on a 2-core machine). Loading here also stops a server whose clinic
profile or texts are broken before it answers anybody. tests/test_action_server_start.py checks
that a reply loads nothing.
"""

from __future__ import annotations

from clinic import load_profile
from content.model import LANGUAGES, load_safety
from safety.reassurance import vocabulary_in


def load_reply_data() -> None:
    """The clinic profile, the safety texts and every reply language's vocabulary of signs."""
    load_profile()
    load_safety()
    for language in LANGUAGES:
        vocabulary_in(language)
