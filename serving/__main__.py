"""`python -m serving <rasa arguments>`: the `rasa` command with this project's patches applied.

Every launcher (make run, the production profile, docker-compose, Helm values, the tests) starts
the Rasa server this way, so the server that is tested is the server that runs. If a patch does
not fit the installed Rasa (serving/rasa_patches.py, FINGERPRINTS), it refuses to start and says
which patch and why.
"""

import os
import sys

# Rasa's telemetry (and its Sentry error reports, which can quote a tracker) is off unless a
# clinic turns it on: patients' messages are health data.
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

# TensorFlow 2.12 imports tf.lite with its compat API, which imports jax (installed as its
# dependency) only to offer a converter the server never uses: 0.3-0.5 s of every start. Marked
# absent, tf.lite takes its own "jax is not installed" path.
sys.modules.setdefault("jax", None)

from serving import rasa_patches  # noqa: E402  (after the setting, on purpose)

try:
    rasa_patches.apply()
except rasa_patches.StartupRefused as refused:
    sys.exit(f"The Rasa server did not start: {refused}")

from rasa.__main__ import main  # noqa: E402  (after the patches, on purpose)

if __name__ == "__main__":
    sys.argv[0] = "rasa"
    sys.exit(main())
