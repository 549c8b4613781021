#!/usr/bin/python3
# stallproxy.py LISTEN TO BYTES [DIR COUNT] -- loopback proxy: forwards both
# ways until BYTES bytes have gone server->client (or, with DIR COUNT, until
# the folder DIR holds COUNT entries), then forwards nothing more either
# way and never closes (STALL_DELAY=S: S seconds after the folder fills) (a server that stops answering).
import os, socket, sys, threading, time
L, T, B = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
D = sys.argv[4] if len(sys.argv) > 5 else None
C = int(sys.argv[5]) if D else 0
stalled = [False]
if D:
    def watch():
        while not stalled[0]:
            try:
                if len(os.listdir(D)) >= C:
                    time.sleep(float(os.environ.get('STALL_DELAY', '0'))); stalled[0] = True
            except OSError: pass
            time.sleep(0.001)
    threading.Thread(target=watch, daemon=True).start()
def conn(c):
    s = socket.create_connection(("127.0.0.1", T))
    state = {"down": 0}
    def up():
        while True:
            d = c.recv(65536)
            if not d: return
            if stalled[0]: continue
            s.sendall(d)
    def down():
        while True:
            d = s.recv(65536)
            if not d: return
            if stalled[0]: continue
            left = B - state["down"]
            if len(d) >= left:
                c.sendall(d[:left]); state["down"] = B; stalled[0] = True
                continue
            c.sendall(d); state["down"] += len(d)
    threading.Thread(target=up, daemon=True).start()
    threading.Thread(target=down, daemon=True).start()
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", L)); ls.listen(16)
while True:
    c, _ = ls.accept(); conn(c)
