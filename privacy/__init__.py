"""Patients' data rights (docs/data-rights.md): what is kept about them, for how long, and the
deletion of their conversations ("delete my conversation", the console, retention)."""
