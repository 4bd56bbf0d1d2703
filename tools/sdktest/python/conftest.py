"""What every scenario shares: where the services run and clients for the
demo roles, from the environment go test ./tools/sdktest sets."""

import os
import uuid

import pytest
from charterhq_materials import AuthenticatedClient as MaterialsClient
from charterhq_quotes import AuthenticatedClient as QuotesClient

# The company of the external user and the viewer, and another one.
OWN_COMPANY = 1
OTHER_COMPANY = 2


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run the scenarios with go test ./tools/sdktest, which starts charterd")
    return value


def unique(what: str) -> str:
    """A name no other run of the scenarios uses."""
    return f"{what} {uuid.uuid4().hex[:8]}"


def etag(response) -> str:
    """The ETag of a response, which every write that declares If-Match needs."""
    tag = response.headers.get("ETag")
    assert tag, f"answered {response.status_code} without an ETag"
    return tag


def pointers(problem) -> list[str]:
    """The JSON pointers of a problem's invalid fields, sorted."""
    return sorted(e.pointer for e in problem.errors)


@pytest.fixture(scope="session")
def tokens() -> dict[str, str]:
    return {role: env(f"CHARTER_TOKEN_{role.upper()}") for role in ("staff", "external", "viewer")}


def _clients(factory, url: str, tokens: dict[str, str]):
    return {role: factory(base_url=url, token=token, raise_on_unexpected_status=True) for role, token in tokens.items()}


@pytest.fixture(scope="session")
def materials(tokens):
    """Materials clients by role: staff, external, viewer."""
    return _clients(MaterialsClient, env("CHARTER_MATERIALS_URL"), tokens)


@pytest.fixture(scope="session")
def quotes(tokens):
    """Quotes clients by role: staff, external, viewer."""
    return _clients(QuotesClient, env("CHARTER_QUOTES_URL"), tokens)
