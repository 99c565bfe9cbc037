"""Small fake campus identity servers on 127.0.0.1, spoken to over real HTTP by the real libraries."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt

CAS_SUCCESS = """<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationSuccess>
    <cas:user>{user}</cas:user>
    <cas:attributes><cas:cn>{name}</cas:cn><cas:is_superuser>True</cas:is_superuser></cas:attributes>
  </cas:authenticationSuccess>
</cas:serviceResponse>"""
CAS_FAILURE = """<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationFailure code="INVALID_TICKET">Ticket not recognized</cas:authenticationFailure>
</cas:serviceResponse>"""


class FakeServer:
    """Runs handler_class on a free port of 127.0.0.1; `state` is shared with the handler."""

    def __init__(self, handler_class):
        self.state = {"requests": []}
        state = self.state

        class Handler(handler_class):
            shared = state

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    shared = {}

    def _answer(self, status, body, content_type):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class CASHandler(_Handler):
    """GET /cas/p3/serviceValidate?ticket=&service=: tickets are those put in shared["tickets"]."""

    def do_GET(self):
        url = urlparse(self.path)
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        self.shared["requests"].append((url.path, query))
        if url.path != "/cas/p3/serviceValidate":
            return self._answer(404, "", "text/plain")
        # A ticket is good once, and only for the service it was issued to.
        user = self.shared["tickets"].pop(query.get("ticket"), None)
        if user is None or query.get("service") != self.shared.get("service"):
            return self._answer(200, CAS_FAILURE, "text/xml")
        return self._answer(200, CAS_SUCCESS.format(**user), "text/xml")


class OIDCHandler(_Handler):
    """POST /token and GET /userinfo of an OpenID provider; codes are those put in shared["codes"]."""

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        form = {name: values[0] for name, values in parse_qs(self.rfile.read(length).decode()).items()}
        self.shared["requests"].append((self.path, form))
        grant = self.shared["codes"].pop(form.get("code"), None)
        if self.path != "/token" or grant is None or form.get("client_secret") != self.shared["secret"]:
            return self._answer(400, json.dumps({"error": "invalid_grant"}), "application/json")
        now = int(time.time())
        claims = {
            "iss": self.shared["issuer"],
            "aud": grant.get("audience", form["client_id"]),
            "sub": grant["claims"]["sub"],
            "nonce": grant["nonce"],
            "iat": now,
            "exp": now + 300,
        }
        if "rsa_key" in self.shared:
            id_token = jwt.encode(claims, self.shared["rsa_key"], algorithm="RS256", headers={"kid": "k1"})
        else:
            id_token = jwt.encode(claims, grant.get("signing_key", self.shared["secret"]), algorithm="HS256")
        access_token = f"at-{grant['claims']['sub']}"
        self.shared["userinfo"][access_token] = grant["claims"]
        body = {"access_token": access_token, "token_type": "Bearer", "id_token": id_token, "expires_in": 300}
        return self._answer(200, json.dumps(body), "application/json")

    def do_GET(self):
        self.shared["requests"].append((self.path, dict(self.headers)))
        if self.path == "/jwks":
            public = jwt.algorithms.RSAAlgorithm.to_jwk(self.shared["rsa_key"].public_key(), as_dict=True)
            keys = {"keys": [{**public, "kid": "k1", "alg": "RS256"}]}
            return self._answer(200, json.dumps(keys), "application/json")
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        claims = self.shared["userinfo"].get(token)
        if self.path != "/userinfo" or claims is None:
            return self._answer(401, "{}", "application/json")
        return self._answer(200, json.dumps(claims, ensure_ascii=False), "application/json; charset=utf-8")


class WeComHandler(_Handler):
    """The school's WeCom application API: a token, the user behind a log-in code (shared["codes"]),
    a member's name (shared["names"]), and application messages (kept in shared["messages"])."""

    def _json(self, answer):
        return self._answer(200, json.dumps(answer, ensure_ascii=False), "application/json; charset=utf-8")

    def do_GET(self):
        url = urlparse(self.path)
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        self.shared["requests"].append((url.path, query))
        if url.path == "/cgi-bin/gettoken":
            assert (query["corpid"], query["corpsecret"]) == ("corp-1", "secret-1")
            self.shared["tokens_given"] += 1
            return self._json(
                {"errcode": 0, "access_token": f"token-{self.shared['tokens_given']}", "expires_in": 7200}
            )
        if query.get("access_token") is None:
            return self._json({"errcode": 41001, "errmsg": "access_token missing"})
        if url.path == "/cgi-bin/auth/getuserinfo":
            # A code is good once; a visitor from outside the school comes back with an openid only.
            user = self.shared["codes"].pop(query.get("code"), None)
            return self._json({"errcode": 0, **user} if user else {"errcode": 40029, "errmsg": "invalid code"})
        if url.path == "/cgi-bin/user/get" and query.get("userid") in self.shared["names"]:
            return self._json({"errcode": 0, "name": self.shared["names"][query["userid"]]})
        return self._json({"errcode": 60011, "errmsg": "no privilege to access/modify contact/party/agent"})

    def do_POST(self):  # /cgi-bin/message/send?access_token=
        token = parse_qs(urlparse(self.path).query)["access_token"][0]
        message = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.shared["messages"].append((token, message))
        errcode = self.shared["errcode"]
        return self._json({"errcode": errcode, "errmsg": "bad" if errcode else "ok"})


# Switching single sign-on on as the settings would at start-up, and logging in through it the way
# a browser does: our site, the campus server, back to our site.

CAS_BACKEND = "accounts.backends.CampusCASBackend"
OIDC_BACKEND = "accounts.backends.CampusOIDCBackend"
OIDC_SECRET = "test-client-secret-that-is-long-enough-for-hs256"


def _add_backend(settings, backend):
    if backend not in settings.AUTHENTICATION_BACKENDS:
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, backend]


def switch_on_cas(settings, server):
    server.state["tickets"] = {}
    settings.CAS_SERVER_URL = f"{server.url}/cas/"
    _add_backend(settings, CAS_BACKEND)


def switch_on_oidc(settings, server):
    server.state.update({"codes": {}, "userinfo": {}, "secret": OIDC_SECRET, "issuer": server.url})
    settings.OIDC_RP_CLIENT_ID = "echowall"
    _add_backend(settings, OIDC_BACKEND)
    settings.OIDC_RP_CLIENT_SECRET = OIDC_SECRET
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{server.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{server.url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{server.url}/userinfo"
    settings.ECHOWALL_OIDC_ID_CLAIM = "student_id"


def switch_on_wecom(settings, server):
    server.state.update({"codes": {}, "names": {}, "messages": [], "tokens_given": 0, "errcode": 0})
    settings.ECHOWALL_WECOM_API_URL = server.url
    settings.ECHOWALL_WECOM_CORP_ID, settings.ECHOWALL_WECOM_SECRET = "corp-1", "secret-1"
    settings.ECHOWALL_WECOM_AGENT_ID = "1000002"


def cas_start(client, next_url="/my/posts/"):
    """Ask to log in; return the service URL our site told CAS to send the browser back to."""
    response = client.get("/accounts/cas/login/", {"next": next_url})
    assert response.status_code == 302
    target = urlparse(response["Location"])
    assert target.path == "/cas/login"
    return parse_qs(target.query)["service"][0]


def cas_come_back(client, server, service, ticket, user):
    server.state["tickets"][ticket] = user
    server.state["service"] = service
    path = urlparse(service)
    return client.get(f"{path.path}?{path.query}&ticket={ticket}" if path.query else f"{path.path}?ticket={ticket}")


def log_in_through_cas(client, server, campus_id, name, ticket="ST-1", next_url="/my/posts/"):
    return cas_come_back(client, server, cas_start(client, next_url), ticket, {"user": campus_id, "name": name})


def oidc_start(client, next_url="/my/posts/"):
    response = client.get("/accounts/oidc/login/", {"next": next_url})
    assert response.status_code == 302
    target = urlparse(response["Location"])
    assert target.path == "/authorize"
    return {name: values[0] for name, values in parse_qs(target.query).items()}


def oidc_come_back(client, server, auth, claims, code="code-1", state=None, **grant):
    server.state["codes"][code] = {"nonce": auth["nonce"], "claims": claims, **grant}
    callback = urlparse(auth["redirect_uri"])
    return client.get(callback.path, {"code": code, "state": state or auth["state"]})


def log_in_through_oidc(client, server, claims, code="code-1"):
    return oidc_come_back(client, server, oidc_start(client), claims, code=code)
