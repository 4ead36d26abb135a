"""A bounded memcached load on loopback for memcached-stacks.sh: CONNECTIONS
connections, each on its own thread, send REQUESTS requests in all, half
`set`, half `get`, over 10000 keys with 16-1024-byte values (a fixed seed per
connection, so every run sends the same requests). Waits up to 10 s for the
server to accept connections. Prints requests, hits and the time taken.

usage: memcached-load.py PORT CONNECTIONS REQUESTS"""

import random
import socket
import sys
import threading
import time

HOST = "127.0.0.1"
KEYS = 10000


def connect(port):
    deadline = time.monotonic() + 10
    while True:
        try:
            return socket.create_connection((HOST, port), timeout=30)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def read_reply(f, get):
    """One reply: a line for set; VALUE lines and their data, then END, for get."""
    hit = 0
    while True:
        line = f.readline()
        if not line:
            raise RuntimeError("the server closed the connection")
        if not get:
            if line != b"STORED\r\n":
                raise RuntimeError("unexpected reply to set: %r" % line)
            return 0
        if line == b"END\r\n":
            return hit
        if not line.startswith(b"VALUE "):
            raise RuntimeError("unexpected reply to get: %r" % line)
        f.read(int(line.split()[3]) + 2)
        hit += 1


def client(port, seed, count, hits, errors):
    try:
        run_client(port, seed, count, hits)
    except (OSError, RuntimeError) as e:
        errors.append("connection %d: %s" % (seed, e))


def run_client(port, seed, count, hits):
    rng = random.Random(seed)
    with connect(port) as s, s.makefile("rb") as f:
        for _ in range(count):
            key = b"key:%d" % rng.randrange(KEYS)
            if rng.random() < 0.5:
                value = b"v" * rng.randrange(16, 1025)
                s.sendall(b"set %s 0 0 %d\r\n%s\r\n" % (key, len(value), value))
                read_reply(f, False)
            else:
                s.sendall(b"get %s\r\n" % key)
                hits[seed] += read_reply(f, True)


def main():
    port, conns, requests = (int(a) for a in sys.argv[1:4])
    hits = [0] * conns
    errors = []
    threads = [threading.Thread(target=client, args=(port, i, requests // conns, hits, errors))
               for i in range(conns)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        sys.exit("memcached-load: " + "; ".join(errors))
    print("requests=%d hits=%d seconds=%.2f" % (requests // conns * conns, sum(hits),
                                                time.monotonic() - start))


main()
