"""Every text a patient reads, with the source of each medical statement (content/README.md)."""
