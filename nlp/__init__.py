"""The project's own English spaCy pipeline (tokens and lemmas for Rasa and the safety layer)."""
