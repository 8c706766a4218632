"""Settings of the features that reach outside: webhooks, the import hub, Open Badges
credentials. Star-imported at the end of ``base``, so every environment has them."""

from pathlib import Path

import environ

from mvptracker.bootstrap import read_env_file

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
read_env_file()
DATA_DIR = Path(env.str("MVPTRACKER_DATA_DIR", default=str(BASE_DIR / "data")))

# --- Webhooks ------------------------------------------------------------------------------
# Receivers on loopback or internal addresses are refused unless this is on (tests, demos);
# a deploy check warns when it is.
WEBHOOKS_ALLOW_PRIVATE_NETWORKS = env.bool("WEBHOOKS_ALLOW_PRIVATE_NETWORKS", default=False)
# Attempts per delivery, and the first retry's wait (each next one 4x longer): 7 and 60 s
# retry for 22.7 hours before the endpoint is disabled.
WEBHOOKS_MAX_ATTEMPTS = env.int("WEBHOOKS_MAX_ATTEMPTS", default=7)
WEBHOOKS_RETRY_BASE_SECONDS = env.int("WEBHOOKS_RETRY_BASE_SECONDS", default=60)

# --- Import hub -----------------------------------------------------------------------------
# Lets import sources reach loopback and private addresses: tests and local demos only
# (production forces it off; `check --deploy` warns when it is on).
IMPORT_ALLOW_PRIVATE_NETWORKS = env.bool("IMPORT_ALLOW_PRIVATE_NETWORKS", default=False)
# Seconds to connect and between reads; a whole fetch may take three times this.
IMPORT_FETCH_TIMEOUT = env.float("IMPORT_FETCH_TIMEOUT", default=10.0)
# Optional: a token raises GitHub's rate limit, a key raises Stack Exchange's quota.
IMPORT_GITHUB_TOKEN = env.str("IMPORT_GITHUB_TOKEN", default="")
IMPORT_STACKEXCHANGE_KEY = env.str("IMPORT_STACKEXCHANGE_KEY", default="")
IMPORT_GITHUB_API_URL = env.str("IMPORT_GITHUB_API_URL", default="https://api.github.com")
IMPORT_STACKEXCHANGE_API_URL = env.str(
    "IMPORT_STACKEXCHANGE_API_URL", default="https://api.stackexchange.com/2.3"
)

# --- Credentials (Open Badges 3.0) ---------------------------------------------------------
# The issuer's RSA signing key, PEM: the text itself (CREDENTIALS_SIGNING_KEY) or a file
# (CREDENTIALS_SIGNING_KEY_FILE). With neither set, the file below is used and, where
# CREDENTIALS_GENERATE_KEY allows it (the embedded demo, tests), created on first use.
CREDENTIALS_SIGNING_KEY = env.str("CREDENTIALS_SIGNING_KEY", default="")
CREDENTIALS_SIGNING_KEY_FILE = env.str(
    "CREDENTIALS_SIGNING_KEY_FILE", default=str(DATA_DIR / "credentials" / "signing-key.pem")
)
CREDENTIALS_GENERATE_KEY = env.bool("CREDENTIALS_GENERATE_KEY", default=True)
# The issuer profile's image (absolute URL, or a path under the site); empty: the site logo.
CREDENTIALS_ISSUER_IMAGE = env.str("CREDENTIALS_ISSUER_IMAGE", default="")

# What ``base`` takes: the settings above, not this module's helpers.
__all__ = [
    name for name in dict(globals()) if name.isupper() and name not in {"BASE_DIR", "DATA_DIR"}
]
