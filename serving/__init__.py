"""How this project runs the Rasa server: `python -m serving run ...` is `rasa run ...` with the
changes in `serving.rasa_patches` applied first (faster custom-action calls bounded by
ACTION_TIMEOUT_SECONDS, no silent fallback to an in-memory tracker store; each patch checked
against the Rasa it was written for). `serving.tracker_store` is the tracker store and
`serving.lock_stores` the lock stores that the endpoints files name."""
