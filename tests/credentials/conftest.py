import pytest
from joserfc.jwk import RSAKey


@pytest.fixture(scope="session")
def rsa_pems():
    """Two issuer keys (2048 bits: fast enough to make per session), for rotation tests."""
    return [RSAKey.generate_key(2048, private=True).as_pem(private=True).decode() for _ in "ab"]


@pytest.fixture(autouse=True)
def signing_key(settings, rsa_pems):
    settings.CREDENTIALS_SIGNING_KEY = rsa_pems[0]
    settings.SITE_URL = "https://mvp.example.org"
    settings.SITE_NAME = "Example MVP Program"
    return rsa_pems[0]
