"""Keys that the pipeline's components add to a message's parse data and that the action server
reads too, and the one intent both read. A module of its own: the action server does not load
Rasa's engine (TensorFlow)."""

# The two topics a hesitant question is answered with (rasa_components/close_topics.py).
CLOSE_TOPICS_KEY = "close_topics"
# A second topic likely enough to answer after the model's own (rasa_components/close_topics.py).
SECOND_TOPIC_KEY = "second_topic"

# A question about the patient's own case ("I'm diabetic, is the steroid ok for me?"): its reply
# says the assistant gives general facts only and points to the doctor; the likeliest topic's
# general facts may follow it (rasa_components/close_topics.py, actions/second_answer.py).
PERSONAL_INTENT = "ask_medical_advice"
