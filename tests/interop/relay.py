"""A delaying DNS relay for the interop benchmark (this kernel has no netem qdisc).

    python3 relay.py LISTEN_IP=TARGET_IP@DELAY_MS ...

For each pair it listens on LISTEN_IP:53 (UDP and TCP) and forwards to TARGET_IP:53,
holding every query DELAY_MS milliseconds first, so a server appears that far away."""

import asyncio
import sys


class Udp(asyncio.DatagramProtocol):
    def __init__(self, target, delay):
        self.target, self.delay, self.transport = target, delay, None

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, client):
        asyncio.get_running_loop().create_task(self.forward(data, client))

    async def forward(self, data, client):
        await asyncio.sleep(self.delay)
        loop = asyncio.get_running_loop()
        reply = loop.create_future()

        class Once(asyncio.DatagramProtocol):
            def datagram_received(self, answer, _):
                if not reply.done():
                    reply.set_result(answer)

        upstream, _ = await loop.create_datagram_endpoint(Once, remote_addr=(self.target, 53))
        try:
            upstream.sendto(data)
            self.transport.sendto(await asyncio.wait_for(reply, 5), client)
        except asyncio.TimeoutError:
            pass
        finally:
            upstream.close()


async def tcp(target, delay, reader, writer):
    try:
        up_reader, up_writer = await asyncio.open_connection(target, 53)

        async def pipe(src, dst, hold):
            while data := await src.read(65536):
                if hold:
                    await asyncio.sleep(delay)
                dst.write(data)
                await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer, True), pipe(up_reader, writer, False))
    except OSError:
        writer.close()


async def main():
    loop = asyncio.get_running_loop()
    for spec in sys.argv[1:]:
        listen, rest = spec.split("=")
        target, delay = rest.split("@")
        seconds = int(delay) / 1000
        await loop.create_datagram_endpoint(lambda t=target, s=seconds: Udp(t, s), local_addr=(listen, 53))
        await asyncio.start_server(lambda r, w, t=target, s=seconds: tcp(t, s, r, w), listen, 53)
    print("ready", flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
