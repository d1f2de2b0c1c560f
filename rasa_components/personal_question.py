"""A question about the patient's own case gets a pointer to their doctor after the answer.

The answers give the clinic pages' general facts; for anything personal the assistant points to
the doctor (README, "The product"). A patient who asks about their own case ("I'm pregnant, can I
still have them?", "with my diabetes will the steroid matter?", "is it right for me?") often gets
a topic's answer - the intent model reads the topic, not the person - and some topics' answers
never name the doctor. So the policy (safety_first_policy.py) sends `utter_personal_pointer`
after the answer when the message speaks of the writer's own health, medicines, age or case, and
the answer did not already name the doctor.

The cues are deliberately plain: the writer's own condition, medicine, pregnancy, age or case,
or a relative's ("my mother is 84", "my dad, who has ..."), and whether it suits their own
problem ("would it help my sciatica?", "do I need injections?"). A question that only says "my
arm" or "my appointment" is not personal in this sense. On the blind development rounds' 158
personal questions the cues find 152 (125 before session 41's kinds); of their 3,213 other
questions they flag 303 (266 before), most of them about a named relative's case.
"""

from __future__ import annotations

import re

UTTER_PERSONAL_POINTER = "utter_personal_pointer"

# the writer's own health, medicines or case, in English
_ENGLISH = re.compile(
    r"\b(?:"
    r"(?:for|in) my (?:case|situation)|for (?:me|him|her)\b|(?:someone|people|a person) like me"
    # a decision about the writer's (or a relative's) own treatment
    r"|should (?:i|we|he|she|my \w+) (?:get|have|do|try|choose|go for|book|consider)\b"
    r"|(?:am i|is (?:he|she)) (?:a )?(?:good |suitable |right |an? ideal )?candidate"
    r"|would (?:you|u) (?:recommend|advise|suggest|get)|if (?:you|u) were me"
    r"|do (?:you|u) think (?:i|we|he|she) (?:need|should)|personally|my specific"
    r"|at (?:my|his|her) age|\bdose\b.*\b(?:i|me)\b|can i (?:still )?(?:have|get) (?:this|it|them)"
    r"|i can'?t have (?:this|it|them|these)"
    r"|am i (?:at )?(?:a )?(?:higher|more|greater|extra|bigger) risk"
    r"|i(?:'ve| have)? been diagnosed"
    r"|(?:i'?m|i am|im) (?:pregnant|breast ?feeding|nursing|diabetic|a diabetic|asthmatic"
    r"|epileptic|allergic|on (?:blood thinners?|thinners|meds|medications?|insulin|\w+)"
    r"|taking|\d{2}\b|over \d{2})"
    r"|i (?:take|use) (?!a |an |the |my (?:car|bus))\w+"
    r"|i(?: have| ?'ve got| ?ve got| suffer from| was diagnosed with| got diagnosed with)"
    r" (?!(?:a |an |some |a few |few |two |more |another |any )?(?:tpi |trigger point )?"
    r"(?:questions?|appointments?|bookings?|times?|to|been|heard|read|no|not|never|had|just"
    r"|already|it|that|this|one|hours?|time|a ride|a lift|someone|somebody|my (?:first |next "
    r"|second |last |\d\w* )?(?:appointment|injections?|shots?|tpis?|visit))\b)\w+"
    r"|my (?:history|condition|conditions|diagnosis|health|type of|kind of|meds|medications?"
    r"|medicines?|pills|diabetes|asthma|pregnancy|blood pressure|sugars?|allerg(?:y|ies)"
    r"|age|weight|heart|kidneys?|liver|illness|disease|arthritis|fibromyalgia|migraines?"
    r"|epilepsy|seizures?|immune system|ivf|cancer|chemo|lupus|psoriasis|sciatica|discs?|disorder"
    r"|mri|x-?rays?|scans?|test results|particular)\b"
    # a relative's own case: "my dad, who has kidney disease", "my mother is 91", "my 16 year
    # old", "can she have this"
    r"|my (?:mom|mum|mother|dad|father|husband|wife|partner|son|daughter|child|kid|grandma"
    r"|grandmother|grandpa|grandfather|granddad|grandad|nan|sister|brother),? (?:who|is \d)"
    r"|my \d{1,2}[ -]?(?:year|yr)s?[ -]?old|can (?:he|she) (?:still )?(?:have|get) (?:this|it|them"
    r"|these)"
    # the writer's age, type of diabetes, past reaction, or whether it suits their own problem
    r"|too (?:old|young)\b(?!-)|(?:i'?m|i am|im) (?:a )?type (?:1|2|one|two|i|ii) diabetic"
    r"|i had (?:a |an )?(?:bad |severe |serious )?(?:allergic )?reaction"
    r"|(?:am i|is (?:he|she)) (?:a )?(?:good |right )?fit\b|rule (?:me|him|her) out"
    r"|put (?:me|him|her) at (?:\w+ )?risk|am i (?:still )?able to (?:have|get) (?:this|it"
    r"|them|these)"
    # whether it suits the writer's own problem: "would it help my sciatica?", "which is better
    # for MY neck?", "my back specifically" (not "is ice good for my arm?", "help my wife book")
    r"|(?:me|my (?:\w+ )?(?:pain|back|neck|condition|problem|case|body|sciatica|knots?))"
    r" (?:specifically|in particular)"
    r"|(?:help|fix|best for|better for|work for|right for) my (?:\w+ )?(?:pain|back|neck"
    r"|shoulders?|knees?|hips?|elbows?|wrists?|jaw|traps|sciatica|condition|problem"
    r"|migraines?|headaches?|fibro\w*"
    r"|arthritis|knots?|injury|spasms?)\b|safe (?:with|for) my\b"
    r"|is my (?:\w+ )?pain\b|do i (?:really |actually )?need (?:a |an |the )?(?:tpi|tpis"
    r"|injections?|shots?|these|this|them|ultrasound)\b(?! (?:site|bandage|spot|area|plaster))"
    r")",
    re.IGNORECASE,
)

# the same in Spanish (accents optional: patients often leave them out)
_SPANISH = re.compile(
    r"\b(?:"
    r"mi caso|para m[ií]\b|(?:alguien|personas|gente) como yo"
    r"|me convien|(?:soy|es) (?:buen|buena) candidat|candidat[oa] para|a (?:mi|su) edad"
    r"|estoy en tratamiento|me (?:las|los|la|lo) recomienda|usted me (?:las|la) pondr[ií]a"
    # "tengo" + anything but a question, an appointment, a feeling or a sign ("tengo diabetes",
    # "tengo 70 años", "tengo un marcapasos"; not "tengo una duda", "tengo fiebre": a report)
    r"|tengo (?!(?:una |un |unas |unos |varias |muchas )?(?:preguntas?|dudas?|citas?|que|q|miedo"
    r"|ganas|tiempo|hambre|sed|fr[ií]o|calor|el|la|los|las|mi|mis|dolor|fiebre)\b)\w+"
    r"|estoy (?:embarazada|amamantando|dando pecho|tomando)"
    r"|soy (?:diab[eé]tic[oa]|al[eé]rgic[oa]|asm[aá]tic[oa]|hipertens[oa]|epil[eé]ptic[oa])"
    r"|(?:yo )?tomo (?!agua|caf[eé]|el cami[oó]n|el bus)\w+"
    r"|(?:con|por) mi (?:diabetes|asma|presi[oó]n|coraz[oó]n|embarazo|edad|peso|enfermedad"
    r"|condici[oó]n|medicamento|medicina|tratamiento|historial)"
    r"|mis? (?:historial|condici[oó]n|diagn[oó]stico|salud|tipo de|medicamentos?|medicinas?"
    r"|pastillas|diabetes|asma|embarazo|presi[oó]n|az[uú]car|alergias?|edad|peso|enfermedad)\b"
    r")",
    re.IGNORECASE,
)


def is_personal(text: str, language: str = "en") -> bool:
    """Does the message speak of the writer's own health, medicines, age or case?"""
    text = (text or "").replace("’", "'")
    pattern = _SPANISH if language == "es" else _ENGLISH
    return bool(pattern.search(text))
