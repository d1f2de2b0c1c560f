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

# skops (which loads the intent classifier) builds its list of trusted types when it is imported,
# looking up the module of each numpy ufunc by walking all of sys.modules, once per ufunc. After
# Rasa, TensorFlow and spaCy are in (6,000 modules) that took 5-8 s of every start; imported
# first (1,500 modules), 1.5-3 s, sklearn and scipy included, which are needed anyway. The same
# types are trusted either way: the model's classifier loads as before.
import skops.io  # noqa: E402, F401

from serving import rasa_patches  # noqa: E402  (after the setting, on purpose)

try:
    rasa_patches.apply()
except rasa_patches.StartupRefused as refused:
    sys.exit(f"The Rasa server did not start: {refused}")

from rasa.__main__ import main  # noqa: E402  (after the patches, on purpose)

if __name__ == "__main__":
    sys.argv[0] = "rasa"
    sys.exit(main())
