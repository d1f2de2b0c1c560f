"""The escalation levels: their names, their rank and which of them escalate. Defined only here.

    emergency  call the emergency number now
    doctor     contact the doctor or clinic today
    info       only a question about warning signs: give the full list and the clinic's number
    expected   an expected after-effect: reassure, and say what would change that

A message's level is its highest-ranked finding's; no level (None) means nothing to say.
"""

from __future__ import annotations

EMERGENCY = "emergency"
DOCTOR = "doctor"
INFO = "info"
EXPECTED = "expected"

# Highest first.
LEVEL_RANK = {EMERGENCY: 4, DOCTOR: 3, INFO: 2, EXPECTED: 1}
LEVELS = tuple(LEVEL_RANK)
# The levels that change the reply into "get help": emergency and doctor.
ESCALATING = (EMERGENCY, DOCTOR)
