"""Custom parts that run inside the Rasa server: the warning-sign NLU component, the intent
classifier that tolerates empty messages, and the safety-first dialogue policy."""
