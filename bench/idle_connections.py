#!/usr/bin/env python3
"""Open N keep-alive connections to a server on loopback, make one request on each, then hold
them idle while the caller measures. Prints "ready" when all N answered, and holds until stdin
closes. Standard library only."""
import asyncio
import sys

REQUEST = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"


async def one(port, held, errors):
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(REQUEST)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        held.append(writer)
    except Exception as error:  # noqa: BLE001 - counted and reported
        errors.append(repr(error))


async def main(port, count):
    held, errors = [], []
    batch = 500
    for start in range(0, count, batch):
        await asyncio.gather(*(one(port, held, errors) for _ in range(min(batch, count - start))))
    print(f"ready {len(held)} {len(errors)}", flush=True)
    if errors:
        print(f"first error: {errors[0]}", file=sys.stderr, flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    for writer in held:
        writer.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
