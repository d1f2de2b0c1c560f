"""How this project runs the Rasa server: `python -m serving run ...` is `rasa run ...` with the
changes in `serving.rasa_patches` applied first (faster custom-action calls, no silent fallback to
an in-memory tracker store), and `serving.tracker_store` is the production PostgreSQL store."""
