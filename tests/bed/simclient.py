# tests/bed/simclient.py -- what the receipt tests' Python models share:
# a client of the HotWax simulator (hotwax-sim.py) over its HTTPS, with
# the test's throwaway CA and API token, and a quantity written as
# receipt-export writes it.  Import it with PYTHONPATH=$BED (re_model
# does).
import http.client
import json
import os
import ssl
import sys
from decimal import Decimal as D


# the test's folders, exported by receipt-lib.sh's re_model: its scratch
# folder, the folder of what it wants, the spool ("" outside a model)
S, W, SPOOL = (os.environ.get(k, "") for k in ("SCRATCH", "W", "SPOOL"))


def fmt(q):
    """q as the receipt file writes a quantity: no exponent, no
    trailing zeros, 0 for zero."""
    q = D(q)
    return "0" if q == 0 else format(q.normalize(), "f")


class Hotwax:
    def __init__(self):
        ctx = ssl.create_default_context(cafile=os.environ["HOTWAX_CA"])
        self.c = http.client.HTTPSConnection(
            "127.0.0.1", int(os.environ["HOTWAX_PORT"]), context=ctx,
            timeout=60)
        self.auth = "Bearer " + os.environ["HOTWAX_TOKEN"]

    def call(self, method, path, body=b"", ctype="application/json"):
        # never retried: a receive sent twice makes receipts twice
        h = {"Content-Type": ctype, "Authorization": self.auth}
        self.c.request(method, path, body=body, headers=h)
        r = self.c.getresponse()
        data = r.read()
        if r.status >= 400:
            sys.exit("%s %s: %d %s" % (method, path, r.status, data[:300]))
        return json.loads(data, parse_float=D)

    def json(self, method, path, obj):
        return self.call(method, path, json.dumps(obj).encode())
