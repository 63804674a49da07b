"""`python -m tests.oidc_provider --port N --issuer http://127.0.0.1:N`."""

from __future__ import annotations

import argparse
import os

import uvicorn


def main() -> None:
    parser = argparse.ArgumentParser(description="Test OpenID provider")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--issuer", required=True)
    parser.add_argument(
        "--no-end-session", action="store_true", help="offer no end_session_endpoint"
    )
    args = parser.parse_args()
    # authlib refuses plain-http requests unless told this is a test.
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    from tests.oidc_provider.app import create_provider_app

    uvicorn.run(
        create_provider_app(args.issuer, end_session=not args.no_end_session),
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
