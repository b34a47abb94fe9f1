"""A small HTTP/1.1 load generator: open loop at a fixed rate, or N closed-loop clients."""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    """Latencies in seconds of the requests that got a 2xx, and how many did not."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def mean(self) -> float:
        return statistics.fmean(self.latencies) if self.latencies else float("nan")


def ms(seconds: float) -> str:
    """Seconds in milliseconds, to a tenth, for the tables."""
    return f"{seconds * 1000:.1f}"


class Connection:
    """One keep-alive connection that sends a prepared request and reads the answer."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        return cls(*await asyncio.open_connection(host, port))

    async def exchange(self, request: bytes) -> int:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        self.writer.close()


def http_request(host: str, port: int, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def open_loop(
    host: str,
    port: int,
    requests: list[bytes],
    *,
    rate: float,
    seconds: float,
    give_up: float | None = None,
) -> Result:
    """Send at a steady `rate`, cycling through `requests`; latency counts from each
    request's scheduled time. A request unanswered `give_up` seconds after it was due
    counts as an error, as Slack gives up on one after 3 s."""
    result, idle = Result(), []
    count = int(rate * seconds)
    start = time.perf_counter() + 0.05

    async def one(scheduled: float, request: bytes) -> None:
        connection = None
        left = None if give_up is None else scheduled + give_up - time.perf_counter()
        try:
            async with asyncio.timeout(left):
                connection = idle.pop() if idle else await Connection.open(host, port)
                status = await connection.exchange(request)
        except (TimeoutError, OSError, asyncio.IncompleteReadError):
            result.errors += 1
            if connection is not None:
                connection.close()
            return
        idle.append(connection)
        if 200 <= status < 300:
            result.latencies.append(time.perf_counter() - scheduled)
        else:
            result.errors += 1

    tasks = []
    for i in range(count):
        scheduled = start + i / rate
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        tasks.append(asyncio.create_task(one(scheduled, requests[i % len(requests)])))
    await asyncio.gather(*tasks)
    result.seconds = seconds
    for connection in idle:
        connection.close()
    return result


async def closed_loop(
    host: str, port: int, requests: list[bytes], *, clients: int, seconds: float
) -> Result:
    """`clients` connections, each sending its next request as soon as the last is answered;
    between them they cycle through `requests`."""
    deadline = time.perf_counter() + seconds
    counter = itertools.count()

    def next_request() -> bytes | None:
        if time.perf_counter() >= deadline:
            return None
        return requests[next(counter) % len(requests)]

    return await _back_to_back(host, port, next_request, clients=clients)


async def each_once(host: str, port: int, requests: list[bytes], *, clients: int) -> Result:
    """`clients` connections sending every request exactly once between them, back to back."""
    pending = iter(requests)
    return await _back_to_back(host, port, lambda: next(pending, None), clients=clients)


async def _back_to_back(
    host: str, port: int, next_request: Callable[[], bytes | None], *, clients: int
) -> Result:
    """`clients` connections, each sending the next request as soon as the last is answered."""
    result = Result()

    async def client() -> None:
        connection = await Connection.open(host, port)
        while (request := next_request()) is not None:
            sent = time.perf_counter()
            try:
                status = await connection.exchange(request)
            except (OSError, asyncio.IncompleteReadError):
                result.errors += 1
                connection.close()
                connection = await Connection.open(host, port)
                continue
            if 200 <= status < 300:
                result.latencies.append(time.perf_counter() - sent)
            else:
                result.errors += 1
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    result.seconds = time.perf_counter() - started
    return result
