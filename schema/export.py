"""Write the SDL: `python -m schema.export` (or `make sdl`) regenerates schema/schema.graphql."""

from __future__ import annotations

from pathlib import Path

from schema import build_schema

SDL_PATH = Path(__file__).with_name("schema.graphql")


def sdl() -> str:
    return build_schema().as_str() + "\n"


if __name__ == "__main__":
    SDL_PATH.write_text(sdl())
    print(f"wrote {SDL_PATH}")
