"""Keys that the pipeline's components add to a message's parse data and that the action server
reads too. A module of its own: the action server does not load Rasa's engine (TensorFlow)."""

# The two topics a hesitant question is answered with (rasa_components/close_topics.py).
CLOSE_TOPICS_KEY = "close_topics"
# A second topic likely enough to answer after the model's own (rasa_components/close_topics.py).
SECOND_TOPIC_KEY = "second_topic"
