"""The clinic staff console: review the assistant's conversations (issue 5)."""
