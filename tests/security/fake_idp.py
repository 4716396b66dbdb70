"""A tiny OpenID Connect identity provider on 127.0.0.1, for tests: discovery, authorize,
token (with PKCE and client secret checks), userinfo and JWKS, RS256-signed id_tokens."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "bidra-test"
CLIENT_SECRET = "test-secret-" + "x" * 20


class FakeIdP:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-key-1"
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.person: dict = {}
        self.requests: list[str] = []
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, data, status=200):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urlparse(self.path)
                idp.requests.append(url.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    return self._json(idp.discovery())
                if url.path == "/jwks":
                    return self._json(idp.jwks())
                if url.path == "/authorize":
                    code = secrets.token_urlsafe(16)
                    idp.codes[code] = {**query, "person": dict(idp.person)}
                    self.send_response(302)
                    self.send_header(
                        "Location",
                        query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]}),
                    )
                    self.end_headers()
                    return None
                if url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in idp.tokens:
                        return self._json({"error": "invalid_token"}, 401)
                    return self._json(idp.tokens[token])
                return self._json({"error": "not_found"}, 404)

            def do_POST(self):
                idp.requests.append(self.path)
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if self.path != "/token":
                    return self._json({"error": "not_found"}, 404)
                grant = idp.codes.pop(form.get("code", ""), None)
                if grant is None or form.get("client_secret") != CLIENT_SECRET:
                    return self._json({"error": "invalid_grant"}, 400)
                verifier = form.get("code_verifier", "")
                challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
                if challenge.decode() != grant.get("code_challenge"):
                    return self._json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
                access = secrets.token_urlsafe(16)
                idp.tokens[access] = grant["person"]
                now = int(time.time())
                id_token = jwt.encode(
                    {
                        "iss": idp.url,
                        "aud": CLIENT_ID,
                        "sub": grant["person"].get("sub", "1"),
                        "iat": now,
                        "exp": now + 300,
                        "nonce": grant.get("nonce"),
                    },
                    idp.key,
                    algorithm="RS256",
                    headers={"kid": idp.kid},
                )
                return self._json({"access_token": access, "token_type": "Bearer", "id_token": id_token})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def discovery(self) -> dict:
        return {
            "issuer": self.url,
            "authorization_endpoint": self.url + "/authorize",
            "token_endpoint": self.url + "/token",
            "userinfo_endpoint": self.url + "/userinfo",
            "jwks_uri": self.url + "/jwks",
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def jwks(self) -> dict:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def settings(self) -> dict:
        d = self.discovery()
        return {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": d["authorization_endpoint"],
            "OIDC_OP_TOKEN_ENDPOINT": d["token_endpoint"],
            "OIDC_OP_USER_ENDPOINT": d["userinfo_endpoint"],
            "OIDC_OP_JWKS_ENDPOINT": d["jwks_uri"],
        }

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
