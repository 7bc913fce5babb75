#!/usr/bin/env python3
"""A minimal HTTP CONNECT proxy for the transport tests: tunnels each CONNECT to its target and
appends the target (and any Proxy-Authorization) to LOG. Usage: proxy.py LOG.
Prints "PORT <n>" once listening on 127.0.0.1."""
import orphan_guard  # noqa: F401  (first: the fixture ends with its test process)
import socket
import sys
import threading

log_path = sys.argv[1]


def pipe(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    finally:
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def handle(client):
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = client.recv(4096)
        if not chunk:
            client.close()
            return
        head += chunk
    lines = head.split(b"\r\n")
    method, target, _ = lines[0].decode().split(" ", 2)
    auth = [l.decode() for l in lines[1:] if l.lower().startswith(b"proxy-authorization:")]
    with open(log_path, "a") as f:
        f.write("%s %s %s\n" % (method, target, auth[0] if auth else "-"))
    if method != "CONNECT":
        client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
        client.close()
        return
    host, port = target.rsplit(":", 1)
    upstream = socket.create_connection((host, int(port)))
    client.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
    threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
    pipe(upstream, client)


server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))
server.listen(16)
print("PORT %d" % server.getsockname()[1], flush=True)
while True:
    conn, _ = server.accept()
    threading.Thread(target=handle, args=(conn,), daemon=True).start()
