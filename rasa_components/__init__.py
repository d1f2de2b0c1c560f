"""Custom parts that run inside the Rasa server: the warning-sign NLU component and the
safety-first dialogue policy. Both stay importable without training anything."""
