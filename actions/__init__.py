"""The action server's custom actions (run with `rasa run actions`): one module per concern."""

from actions.startup import load_reply_data

load_reply_data()
