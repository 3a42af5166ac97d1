"""The fake's OAuth token endpoint, ``POST /token``: the refresh and authorization-code grants."""

from __future__ import annotations

from datetime import timedelta

from .errors import json_response

TESTING_GRANT_LIFETIME = timedelta(days=7)  # a "Testing" app's refresh tokens, from the time of consent

_DEFAULT_SCOPE = "https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube"


def _invalid_grant(description: str):
    return json_response(400, {"error": "invalid_grant", "error_description": description})


class TokenMixin:
    """``grant_type=refresh_token`` answers a new access token for a refresh token in
    ``refresh_tokens``.  ``grant_type=authorization_code`` redeems, once, a code that a test
    put in ``auth_codes`` (code -> the space-separated scopes it grants), like Google after
    the consent screen: it needs ``redirect_uri`` and a PKCE ``code_verifier``, and answers
    a new access token and a new refresh token (both made valid).  Anything else is
    ``400 invalid_grant``, Google's answer to an expired, revoked or unknown grant; so is a refresh
    token older than 7 days while ``testing_consent`` is on (an app whose publishing status is
    "Testing").  Each token made belongs to the channel of its grant (see ``AccountsMixin``)."""

    def _new_access_token(self, channel_id: str) -> str:
        token = "ya29.fake-" + self._new_id("token", 24)
        self.valid_tokens.add(token)
        self.token_channel[token] = channel_id
        return token

    def _expired(self, refresh_token: str) -> bool:
        issued = self.refresh_issued.get(refresh_token)
        return self.testing_consent and issued is not None and self.now() - issued >= TESTING_GRANT_LIFETIME

    def _token(self, form: dict):
        if form.get("grant_type") == "authorization_code":
            return self._token_from_code(form)
        refresh = form.get("refresh_token")
        if form.get("grant_type") != "refresh_token" or refresh not in self.refresh_tokens or self._expired(refresh):
            return _invalid_grant("Token has been expired or revoked.")
        channel = self.refresh_channel.get(refresh, self.channel_id)
        return json_response(200, {"access_token": self._new_access_token(channel), "expires_in": 3599,
                                   "token_type": "Bearer", "scope": _DEFAULT_SCOPE})

    def _token_from_code(self, form: dict):
        scope = self.auth_codes.pop(form.get("code"), None)  # a code is good for one exchange
        channel = self.code_channel.pop(form.get("code"), self.channel_id)
        if scope is None:
            return _invalid_grant("Malformed auth code.")
        if not form.get("redirect_uri") or not form.get("code_verifier"):
            return _invalid_grant("Missing redirect_uri or code verifier.")
        refresh_token = "1//fake-" + self._new_id("refresh", 32)
        self.refresh_tokens.add(refresh_token)
        self.refresh_channel[refresh_token] = channel
        self.refresh_issued[refresh_token] = self.now()
        return json_response(200, {"access_token": self._new_access_token(channel), "expires_in": 3599,
                                   "refresh_token": refresh_token, "token_type": "Bearer",
                                   "scope": scope})
