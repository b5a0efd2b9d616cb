"""Sync protocol v1 (DESIGN §5): the wire schemas shared by the desktop's sync client and
``idm-server``, so both sides validate exactly the same shapes."""

from idm_desktop.protocol.schemas import (
    PROTOCOL_VERSION,
    Applied,
    AuthRequest,
    AuthResponse,
    Change,
    ChangesPage,
    Conflict,
    Duplicate,
    Entity,
    ErrorBody,
    Op,
    OpBatch,
    OpResult,
    OpResults,
    Receipt,
    Rejected,
    ServerInfo,
    SubmitRequest,
)

__all__ = [
    "PROTOCOL_VERSION",
    "Applied",
    "AuthRequest",
    "AuthResponse",
    "Change",
    "ChangesPage",
    "Conflict",
    "Duplicate",
    "Entity",
    "ErrorBody",
    "Op",
    "OpBatch",
    "OpResult",
    "OpResults",
    "Receipt",
    "Rejected",
    "ServerInfo",
    "SubmitRequest",
]
