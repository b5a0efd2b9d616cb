"""Fuzz the served OpenAPI of a real idm-server (schemathesis over a real socket, DESIGN §8).

Every operation is driven with generated requests, valid and invalid, signed in as a drafter (and
the routes where the role matters once more as a secretariat user), so the routes are exercised
past their 401. Every built-in check runs: no 5xx, status codes and content types the schema
declares, responses that match their schema, invalid data refused, valid data accepted,
authentication not ignored. Bounded and derandomized, so a run is short and the same every time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup

from tests.server.conftest import Account, Service, save_op, submission_body

pytestmark = pytest.mark.slow

MAX_EXAMPLES = 25
LOGOUT = "POST /api/v1/auth/logout"
# Where a secretariat user is answered differently from a drafter (the rest it fuzzes as well
# would only repeat the drafter's run).
SECRETARIAT_TOO = {"GET /api/v1/changes", "GET /api/v1/submissions/{submission_id}"}
# positive_data_acceptance holds that data the schema allows gets a 2xx. These operations take
# values no schema can tell good from bad, so they answer 400 to some schema-valid data, rightly:
SEMANTIC_400 = {
    "GET /api/v1/changes",  # the cursor is opaque: only one the server gave out is accepted
    "POST /api/v1/admin/documents",  # the body must really be the PDF/DOCX/text file it claims
    "POST /api/v1/admin/templates",  # a free-form JSON object, checked as a template
    "POST /api/v1/bundles",  # the body must really be an outbox bundle signed by a registered device
}


@pytest.fixture(params=["drafter", "secretariat"])
def caller(request: pytest.FixtureRequest, service: Service) -> Account:
    if request.param == "secretariat":
        return service.account("fuzz-secretariat", role="secretariat", delegation=None)
    return service.account("fuzz-drafter", role="drafter", delegation="MEX")


def fuzzer(operation: Any, mode: GenerationMode, caller: Account,
           statuses: dict[str, set[int]]) -> Callable[[], None]:
    """A bounded, derandomized Hypothesis test of ``operation`` that runs every check (but
    positive_data_acceptance where SEMANTIC_400 says) and notes the statuses it got."""
    excluded = [schemathesis.checks.positive_data_acceptance] if operation.label in SEMANTIC_400 else []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def fuzz(case: schemathesis.Case[Any]) -> None:
        response = case.call(headers=caller.headers)
        statuses[case.operation.label].add(response.status_code)
        case.validate_response(response, headers=caller.headers, excluded_checks=excluded)

    return fuzz


def test_api_conforms_to_its_openapi(service: Service, caller: Account) -> None:
    config = schemathesis.Config.from_dict({
        "base-url": service.url,
        "headers": caller.headers,
        "request-timeout": 30,
        # The service refuses NUL characters in all text (PostgreSQL cannot store them; see
        # test_nul_characters_are_refused) but the protocol's schemas do not say so: with NULs
        # generated, "valid" data would fail positive_data_acceptance with the 422 it gets.
        "generation": {"allow-x00": False},
    })
    schema = schemathesis.openapi.from_url(f"{service.url}/openapi.json", config=config)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    if caller.role == "secretariat":
        operations = [op for op in operations
                      if "secretariat" in (op.tags or ()) or op.label in SECRETARIAT_TOO]
    # Signing out revokes the token every other operation is called with: fuzz it last.
    operations.sort(key=lambda op: op.label == LOGOUT)
    statuses: dict[str, set[int]] = defaultdict(set)
    failures: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                fuzzer(operation, mode, caller, statuses)()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE, operation.label
                continue  # nothing to make invalid: the operation takes no input
            except (AssertionError, FailureGroup) as err:  # collect them all, then report
                failures.append(f"{operation.label} ({mode.value}): {str(err)[:2000]}")
    assert not failures, "\n\n".join(failures)
    assert len(statuses) >= (5 if caller.role == "secretariat" else 15), sorted(statuses)
    # Signed in, the fuzzer got past authentication on every route it drove.
    stuck = sorted(label for label, seen in statuses.items() if seen <= {401})
    assert not stuck, f"only 401 from {stuck}"
    if caller.role == "secretariat":  # and past the role check on the secretariat's routes
        assert statuses["POST /api/v1/admin/templates"] - {401, 403}, statuses


def test_nul_characters_are_refused(service: Service) -> None:
    """PostgreSQL cannot store a NUL character: the service refuses one anywhere (422), on
    SQLite as well, rather than failing with a 500 or acting differently by database."""
    client = service.client()
    drafter = service.account("nul-drafter")
    secretariat = service.account("nul-secretariat", role="secretariat", delegation=None)

    def sign_in(**nul: str) -> tuple[str, dict[str, object], dict[str, str]]:
        body: dict[str, object] = {"username": "someone", "password": "correct horse battery",
                                   "device_name": "laptop", **nul}
        return "/api/v1/auth/token", body, {}

    def save(title: str = "Title", **sections: str) -> tuple[str, dict[str, object], dict[str, str]]:
        content = submission_body(**(sections or {"national_context": "Fine."}))
        content["title"] = title
        ops = [save_op("0b0e3c56-4b38-4c39-9d57-2f6b0c1f7a11", content)]
        return "/api/v1/ops", {"ops": ops}, drafter.headers

    for path, body, headers in (sign_in(username="a\x00b"), sign_in(device_name="a\x00b"),
                                save(national_context="x\x00y"), save(title="T\x00")):
        r = client.post(path, json=body, headers=headers)
        assert (r.status_code, r.json()["code"]) == (422, "invalid_request"), (body, r.text)
    r = client.post("/api/v1/admin/documents", content=b"Some text.", headers=secretariat.headers,
                    params={"workshop": "idm2006-integration", "symbol": "S\x00", "language": "en",
                            "filename": "a.txt"})
    assert (r.status_code, r.json()["code"]) == (422, "invalid_request"), r.text
    # A backslash followed by "u0000" is text, not a NUL.
    _path, body, headers = save(national_context="C:\\u0000 is a path")
    r = client.post("/api/v1/ops", json=body, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["status"] == "applied", r.text
