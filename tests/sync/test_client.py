"""The typed protocol client: every route through one object, models in and out."""

from __future__ import annotations

import uuid

import httpx
import pytest

from idm_desktop.core.errors import RefusedError, SignInRequiredError
from idm_desktop.protocol import (
    PROTOCOL_VERSION,
    AuthRequest,
    Entity,
    Op,
    OpBatch,
    SubmissionBody,
    body_sha256,
)
from idm_desktop.protocol import Applied as OpApplied
from idm_desktop.sync.client import SyncClient
from idm_desktop.sync.transport import Backoff, Transport
from tests.server.conftest import PASSWORD, Service


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sign_in_pull_push_and_sign_out(service: Service) -> None:
    service.add_user("ana", "drafter", "MEX")
    with Transport(service.url) as anonymous:
        client = SyncClient(anonymous)
        assert client.info().protocol_version == PROTOCOL_VERSION
        with pytest.raises(SignInRequiredError):
            client.sign_in(AuthRequest(username="ana", password="not it", device_name="tests"))
        answer = client.sign_in(AuthRequest(username="ana", password=PASSWORD, device_name="tests"))
    assert (answer.user, answer.role, answer.delegation) == ("ana", "drafter", "MEX")

    with Transport(service.url, answer.token) as transport:
        client = SyncClient(transport)
        page = client.changes(None)
        assert page.changes  # the catalog: workshops and templates
        body = SubmissionBody(workshop_id="idm2006-integration", country="MEX", language="en",
                              title="Overview", template_id="idm-policy-overview", template_version=1,
                              body={"national_context": "text"}).model_dump(mode="json")
        op = Op(op_id=str(uuid.uuid4()), entity=Entity.SUBMISSION, id=str(uuid.uuid4()), base_rev=None,
                body=body, sha256=body_sha256(body))
        (result,) = client.push(OpBatch(ops=[op]))
        assert isinstance(result, OpApplied)
        assert result.op_id == op.op_id
        client.sign_out()
        with pytest.raises(SignInRequiredError):
            client.changes(page.next_cursor)


def test_an_answer_in_an_unknown_form_is_a_clear_refusal() -> None:
    odd = httpx.MockTransport(lambda request: httpx.Response(200, json={"changes": "?"}))
    with Transport("http://server.invalid", backoff=Backoff(attempts=1), transport=odd) as transport, \
            pytest.raises(RefusedError, match="update IDM Delegate Desktop"):
        SyncClient(transport).changes(None)
