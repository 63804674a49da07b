"""How a refused login is shown: JSON for programs, a short HTML page for people.

Both carry the stable reason code; neither says which secret value was wrong.
Responses are `no-store`: a refusal page must not be cached and replayed.
"""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from tenants.services.login_refusals import LoginRefused

NO_STORE = {"cache-control": "no-store", "pragma": "no-cache"}

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign-in refused</title></head>
<body><h1>Sign-in refused</h1><p>{message}</p><p>Reason: <code>{reason}</code></p></body></html>
"""


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept


def refusal_response(request: Request, refusal: LoginRefused) -> Response:
    """The 4xx (or 502) answer for a refused login."""
    if _wants_html(request):
        page = _PAGE.format(message=escape(refusal.message), reason=escape(refusal.reason.value))
        return HTMLResponse(page, status_code=refusal.status, headers=NO_STORE)
    body = {
        "errors": [
            {
                "message": refusal.message,
                "extensions": {"code": "LOGIN_REFUSED", "reason": refusal.reason.value},
            }
        ]
    }
    return JSONResponse(body, status_code=refusal.status, headers=NO_STORE)
