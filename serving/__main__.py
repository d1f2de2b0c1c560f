"""`python -m serving <rasa arguments>`: the `rasa` command with this project's patches applied.

Every launcher (make run, the production profile, docker-compose, Helm values, the tests) starts
the Rasa server this way, so the server that is tested is the server that runs.
"""

import sys

from serving import rasa_patches

rasa_patches.apply()

from rasa.__main__ import main  # noqa: E402  (after the patches, on purpose)

if __name__ == "__main__":
    sys.argv[0] = "rasa"
    sys.exit(main())
