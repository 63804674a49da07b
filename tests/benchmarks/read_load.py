"""Closed-loop HTTP load for `bench_read`, run as its own process (it competes for the cores).

    python -m tests.benchmarks.read_load --port P --body-file F --token-file T \
        [--expect-file E] [--connections 8] [--warmup 1] [--duration 5]

Raw asyncio streams (on uvloop when installed), HTTP/1.1 keep-alive, one pre-built
request, so a request costs the generator little (it reports its own CPU). Each of
`--connections` connections sends the next request as soon as the previous answer is
read. After `--warmup` seconds it prints the line `measuring` (the benchmark samples
server CPU then), measures for `--duration` seconds, lets each connection finish its
request in flight, and prints one JSON line: requests completed in the window, the
window's length, latency p50/p90/p99/max (ms), non-200 or unexpected bodies (`errors`,
compared by length with `--expect-file`), the generator's own CPU seconds in the
window, and every latency (ms, sorted).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from importlib.util import find_spec
from pathlib import Path


def build_request(host: str, port: int, path: str, body: bytes, token: str) -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nhost: {host}:{port}\r\ncontent-type: application/json\r\n"
        f"authorization: Bearer {token}\r\ncontent-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, int]:
    """(status, body length) of one HTTP/1.1 response (content-length or chunked)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, chunked = 0, False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if not chunked:
        await reader.readexactly(length)
        return status, length
    total = 0
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        await reader.readexactly(size + 2)
        if size == 0:
            return status, total
        total += size


class Window:
    def __init__(self) -> None:
        self.measuring = False
        self.stop = False
        self.latencies: list[int] = []
        self.errors = 0


async def connection(
    host: str, port: int, request: bytes, expect_len: int | None, window: Window
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while not window.stop:
            started = time.perf_counter_ns()
            writer.write(request)
            status, length = await read_response(reader)
            elapsed = time.perf_counter_ns() - started
            if window.measuring:
                window.latencies.append(elapsed)
                if status != 200 or (expect_len is not None and length != expect_len):
                    window.errors += 1
    finally:
        writer.close()


def percentile(sorted_ns: list[int], q: float) -> float:
    if not sorted_ns:
        return float("nan")
    index = min(len(sorted_ns) - 1, max(0, round(q * (len(sorted_ns) - 1))))
    return sorted_ns[index] / 1e6


async def run(args: argparse.Namespace) -> dict[str, object]:
    body = Path(args.body_file).read_bytes()
    token = Path(args.token_file).read_text().strip()
    expect_len = len(Path(args.expect_file).read_bytes()) if args.expect_file else None
    request = build_request(args.host, args.port, args.path, body, token)
    window = Window()
    tasks = [
        asyncio.create_task(connection(args.host, args.port, request, expect_len, window))
        for _ in range(args.connections)
    ]
    await asyncio.sleep(args.warmup)
    print("measuring", flush=True)
    cpu0, t0 = time.process_time(), time.perf_counter()
    window.measuring = True
    await asyncio.sleep(args.duration)
    window.stop = True
    await asyncio.gather(*tasks)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    lat = sorted(window.latencies)
    return {
        "requests": len(lat),
        "seconds": elapsed,
        "p50_ms": percentile(lat, 0.50),
        "p90_ms": percentile(lat, 0.90),
        "p99_ms": percentile(lat, 0.99),
        "max_ms": lat[-1] / 1e6 if lat else float("nan"),
        "errors": window.errors,
        "generator_cpu_s": cpu,
        "latencies_ms": [round(ns / 1e6, 3) for ns in lat],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/graphql")
    parser.add_argument("--body-file", required=True)
    parser.add_argument("--token-file", required=True)
    parser.add_argument("--expect-file")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--duration", type=float, default=5.0)
    args = parser.parse_args()
    if find_spec("uvloop"):  # cheaper per request, when installed
        import uvloop

        result = uvloop.run(run(args))
    else:
        result = asyncio.run(run(args))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
