"""The SDK packages as installed, against the server."""

import importlib.metadata

import httpx
import pytest

from conftest import env


@pytest.mark.parametrize("service", ["materials", "quotes"])
def test_the_package_is_the_version_of_the_spec_the_server_serves(service):
    served = httpx.get(env(f"CHARTER_{service.upper()}_URL") + "/openapi.json").json()
    assert importlib.metadata.version(f"charterhq-{service}-sdk") == served["info"]["version"]
