"""Property-based fuzzing of the HTTP service from its own OpenAPI spec (schemathesis): valid and invalid
requests for every operation against a real uvicorn server; no request may yield a 5xx, every error is
JSON, and successful responses match the documented schemas. Bounded so it finishes in about a minute."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)
from test_http import running

from ui.http import create_app

pytestmark = pytest.mark.slow
EXAMPLES = 40  # per operation and mode (valid / invalid data); ~9 operations


@pytest.fixture(scope="module")
def api_schema(answerer, settings) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    with running(create_app(answerer, settings, mount_ui=False)) as base:
        schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
        schema.config.update(base_url=base)
        yield schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_yields_a_server_error(case: Any) -> None:
    response = case.call(timeout=60)
    assert response.status_code < 500, f"{case.method} {case.path}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        assert response.headers["content-type"][0].startswith("application/json")
        assert response.json()["error"]["message"]
    else:
        case.validate_response(response, checks=[response_schema_conformance, content_type_conformance])
