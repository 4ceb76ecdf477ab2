"""Recorded Elasticsearch contracts, replayed at the HTTP layer (no server, none of our code
mocked).

A contract (tests/search/contracts/<name>.json) is the list of HTTP exchanges one scenario
has with the cluster. `ReplayNode` is an elastic_transport node class: the official client
sends its real requests to it; it checks each against the next recorded request (method,
path with query string, JSON body or NDJSON lines — so a body that is not valid JSON fails)
and answers with the recorded response.

With ELASTICSEARCH_URL set and KEPU_RECORD_ES_CONTRACTS=1, `RecordingNode` sends the
requests to that cluster instead and rewrites the contract files from its answers.

Without a cluster, KEPU_REWRITE_ES_CONTRACT_REQUESTS=1 replaces each recorded request with
the one the backend sends now and keeps the recorded answers (for a change of the query or
the mappings that leaves the conversation's shape alone); review the diff, and check that
the answers still fit the new requests.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from elastic_transport import (
    ApiResponseMeta,
    BaseNode,
    ConnectionError,
    ConnectionTimeout,
    HttpHeaders,
    Urllib3HttpNode,
)
from elastic_transport._node._base import NodeApiResponse

CONTRACTS = Path(__file__).resolve().parent / "contracts"
RECORDING = bool(os.environ.get("KEPU_RECORD_ES_CONTRACTS")) and bool(
    os.environ.get("ELASTICSEARCH_URL")
)
REWRITING = bool(os.environ.get("KEPU_REWRITE_ES_CONTRACT_REQUESTS")) and not RECORDING


def parse_body(body: bytes | None):
    """A request body as JSON: an object, or the list of NDJSON lines (bulk requests)."""
    if not body:
        return None
    text = body.decode("utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


class Conversation:
    """The exchanges of one contract, consumed in order."""

    current: Conversation | None = None

    def __init__(self, name: str):
        self.name = name
        self.path = CONTRACTS / f"{name}.json"
        self.exchanges = [] if RECORDING else json.loads(self.path.read_text("utf-8"))
        self.position = 0
        self.requests: list[dict] = []

    def answer(self, config, method: str, target: str, body: bytes | None) -> NodeApiResponse:
        request = {"method": method, "path": target, "body": parse_body(body)}
        self.requests.append(request)
        assert self.position < len(self.exchanges), f"unexpected request {request}"
        expected = self.exchanges[self.position]
        self.position += 1
        if REWRITING:
            expected["request"] = request
        assert request == expected["request"], (
            f"request {self.position} of {self.name} differs from the contract:\n"
            f"sent     {json.dumps(request, ensure_ascii=False)}\n"
            f"recorded {json.dumps(expected['request'], ensure_ascii=False)}"
        )
        response = expected["response"]
        if response.get("error") == "connection":
            raise ConnectionError("connection refused (recorded)")
        if response.get("error") == "timeout":
            raise ConnectionTimeout("read timed out (recorded)")
        data = json.dumps(response["body"]).encode() if "body" in response else b""
        meta = ApiResponseMeta(
            status=response["status"],
            http_version="1.1",
            headers=HttpHeaders(
                {"content-type": "application/json", "x-elastic-product": "Elasticsearch"}
            ),
            duration=0.0,
            node=config,
        )
        return NodeApiResponse(meta, data)

    def record(self, method, target, body, meta, data) -> None:
        try:
            response_body = json.loads(data) if data else None
        except ValueError:
            response_body = None
        response = {"status": meta.status}
        if response_body is not None:
            response["body"] = response_body
        self.exchanges.append(
            {
                "request": {"method": method, "path": target, "body": parse_body(body)},
                "response": response,
            }
        )

    def finish(self) -> None:
        if RECORDING or REWRITING:
            self.path.write_text(
                json.dumps(self.exchanges, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                "utf-8",
            )
            return
        assert self.position == len(self.exchanges), (
            f"{self.name}: {len(self.exchanges) - self.position} recorded requests never sent"
        )


class ReplayNode(BaseNode):
    """Answers from the current conversation's recorded exchanges."""

    def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
        return Conversation.current.answer(self.config, method, target, body)


class RecordingNode(Urllib3HttpNode):
    """Talks to a real cluster and records each exchange into the current conversation."""

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        response = super().perform_request(method, target, body=body, headers=headers, **kwargs)
        Conversation.current.record(method, target, body, response.meta, response.body)
        return response


def node_class():
    return RecordingNode if RECORDING else ReplayNode
