"""YouTube-shaped error bodies (``{"error": {"code", "message", "errors": [...]}}``).

``googleapiclient`` reads ``error.message`` into ``HttpError.reason`` and the
``errors`` list into ``HttpError.error_details``; it retries 5xx, 429 and 403
only when the first reason is ``rateLimitExceeded``/``userRateLimitExceeded``.
"""

from __future__ import annotations

import json

# google.rpc status names that Google front ends add to JSON errors.  Observed
# quotaExceeded bodies from YouTube carry no "status" key, so that one is omitted.
_RPC_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}

# Reason used when a test injects a bare status code.
DEFAULT_REASON = {
    400: "badRequest",
    401: "authError",
    403: "forbidden",
    404: "notFound",
    429: "rateLimitExceeded",
    500: "backendError",
    502: "backendError",
    503: "backendError",
}

# Messages Google's front ends give with the rate-limit reasons (429 carries RESOURCE_EXHAUSTED).
RATE_LIMIT_MESSAGES = {
    (429, "rateLimitExceeded"): "Resource has been exhausted (e.g. check quota).",
    (403, "rateLimitExceeded"): "Rate Limit Exceeded",
    (403, "userRateLimitExceeded"): "User Rate Limit Exceeded",
}

QUOTA_MESSAGE = (
    'The request cannot be completed because you have exceeded your '
    '<a href="/youtube/v3/getting-started#quota">quota</a>.'
)


class ApiError(Exception):
    """An error the fake answers with; raise it anywhere inside a handler."""

    def __init__(
        self,
        code: int,
        reason: str,
        message: str,
        domain: str = "youtube.video",
        location: str | None = None,
        location_type: str | None = None,
        with_status: bool = True,
        retry_after: int | None = None,
    ):
        super().__init__(f"{code} {reason}: {message}")
        self.code = code
        self.reason = reason
        self.message = message
        self.domain = domain
        self.location = location
        self.location_type = location_type
        self.with_status = with_status
        self.retry_after = retry_after  # seconds, sent as a Retry-After header when set

    def body(self) -> dict:
        detail = {"message": self.message, "domain": self.domain, "reason": self.reason}
        if self.location:
            detail["location"] = self.location
            detail["locationType"] = self.location_type or "other"
        error = {"code": self.code, "message": self.message, "errors": [detail]}
        if self.with_status and self.code in _RPC_STATUS:
            error["status"] = _RPC_STATUS[self.code]
        return {"error": error}

    @property
    def headers(self) -> dict[str, str]:
        if self.code == 401:
            return {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'}
        if self.retry_after is not None:
            return {"Retry-After": str(self.retry_after)}
        return {}


def quota_exceeded() -> ApiError:
    return ApiError(403, "quotaExceeded", QUOTA_MESSAGE, domain="youtube.quota", with_status=False)


def login_required() -> ApiError:
    return ApiError(401, "required", "Login Required.", domain="global",
                    location="Authorization", location_type="header")


def invalid_credentials() -> ApiError:
    return ApiError(401, "authError", "Invalid Credentials", domain="global",
                    location="Authorization", location_type="header")


def bad(reason: str, message: str, location: str | None = None, domain: str = "youtube.video") -> ApiError:
    return ApiError(400, reason, message, domain=domain, location=location,
                    location_type="other" if location else None)


def not_found(reason: str, message: str, domain: str = "youtube.video") -> ApiError:
    return ApiError(404, reason, message, domain=domain)


def injected(code: int, reason: str | None = None, message: str | None = None,
             retry_after: int | None = None) -> ApiError:
    reason = reason or DEFAULT_REASON.get(code, "backendError")
    if reason == "quotaExceeded":
        return quota_exceeded()
    domain = "usageLimits" if reason.lower().endswith("ratelimitexceeded") else "global"
    message = message or RATE_LIMIT_MESSAGES.get((code, reason)) or f"Injected {code} ({reason})"
    return ApiError(code, reason, message, domain=domain, retry_after=retry_after)


def json_response(status: int, obj: object, headers: dict | None = None) -> tuple:
    """(status, headers, body) for a JSON answer."""
    return (status, {"Content-Type": "application/json; charset=UTF-8", **(headers or {})},
            json.dumps(obj).encode("utf-8"))
