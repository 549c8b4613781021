#!/usr/bin/python3
"""netsuite-sim.py -- the NetSuite side of posync's tests.

    netsuite-sim.py --state FILE [--base PATH] COMMAND ...

Keeps purchase orders in a JSON state file and plays NetSuite's two scripts
against the SFTP folders (contracts.md sections 1, 4, 5):

  load FILE.json        add POs: [{"id","facility","arrival","lines":
                        [{"line_id","sku","quantity"}]}]; new POs are Pending
  export [--now EPOCH] [--age SECONDS]
                        the Map/Reduce export: every Pending PO not yet
                        exported goes into one CSV in fulfillment/, written
                        as NetSuite does (no quoting), named after the run
                        time as JavaScript's Date.toString() prints it in
                        America/Los_Angeles; prints the remote path
  import [--no-default-receive] [--allow-over-receipt] [--seed N]
                        the scheduled import: every regular file in receipt/
                        (shuffled), per PO an Item Receipt or a failure row in
                        receipt/error/<stem>-error.csv; each file is then
                        moved to receipt/archive/; one summary line per file
  show [--po ID]        the state as JSON (all POs, or one with its receipts)
  status PO             the PO's status
  received PO LINE      the quantity received so far on a line

BASE is the folder holding purchaseorder/ (default $SFTP_BASE): the test
bed's sshd has no chroot, so it is the same path on this host and on the
SFTP server, and the paths printed are both.
Quantities are exact decimals (stored as strings). Errors go to stderr with a
non-zero exit (1; 2 for usage).
"""

import argparse
import csv
import datetime
import decimal
import fcntl
import io
import json
import os
import random
import stat
import sys
import tempfile
import time
import zoneinfo
from decimal import Decimal

PROG = "netsuite-sim"
HEADER = ("external-id,product-sku,quantity,external-facility-id,"
          "item-external-id,arrival-date")
ZONE = "America/Los_Angeles"
ZONE_NAMES = {"PST": "Pacific Standard Time", "PDT": "Pacific Daylight Time"}


class Fail(Exception):
    """An error for the whole command: message on stderr, exit 1."""


class POFail(Exception):
    """One PO of a receipt file fails: a row in the error CSV."""


# ---------------------------------------------------------------- decimals

def dec(value, what):
    """A quantity from the load file: a JSON number or a decimal string."""
    if isinstance(value, bool):
        raise Fail("%s: %r is not a quantity" % (what, value))
    if isinstance(value, (Decimal, int)):
        d = Decimal(value)
    elif isinstance(value, str):
        try:
            d = Decimal(value.strip())
        except decimal.InvalidOperation:
            raise Fail("%s: %r is not a quantity" % (what, value))
    else:
        raise Fail("%s: %r is not a quantity" % (what, value))
    if not d.is_finite():
        raise Fail("%s: %r is not a quantity" % (what, value))
    return d


def fmt(d):
    """The shortest exact decimal, as JavaScript prints a number: 5, 0.3."""
    d = Decimal(d)
    if d == 0:
        return "0"
    s = format(d.normalize(), "f")
    return s


# ------------------------------------------------------------------ state

def empty_state():
    return {"pos": [], "item_receipts": [], "exports": []}


class State:
    """The state file, locked for the whole command, replaced atomically."""

    def __init__(self, path):
        self.path = path
        self.lockf = open(path + ".lock", "a")
        fcntl.flock(self.lockf, fcntl.LOCK_EX)
        try:
            with open(path, encoding="utf-8") as f:
                self.data = json.load(f)
        except FileNotFoundError:
            self.data = empty_state()
        except (OSError, ValueError) as e:
            raise Fail("%s: cannot read the state: %s" % (path, e))
        for k, v in empty_state().items():
            self.data.setdefault(k, v)

    def po(self, po_id):
        for po in self.data["pos"]:
            if po["id"] == po_id:
                return po
        return None

    def save(self):
        d = os.path.dirname(os.path.abspath(self.path))
        fd, tmp = tempfile.mkstemp(prefix=".state.", dir=d)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(self.data, f, indent=1)
            f.write("\n")
        os.replace(tmp, self.path)


def po_status(po):
    received = [Decimal(l["received"]) for l in po["lines"]]
    if all(Decimal(l["received"]) >= Decimal(l["ordered"])
           for l in po["lines"]):
        return "Received"
    if any(r > 0 for r in received):
        return "Partially Received"
    return "Pending"


# ------------------------------------------------------------------- paths

class Folders:
    def __init__(self, base):
        if not base:
            raise Fail("--base (or $SFTP_BASE) is needed for this command")
        if not base.startswith("/"):
            raise Fail("--base %s: not an absolute path" % base)
        self.base = "/" + base.strip("/")
        self.po = os.path.join(self.base, "purchaseorder")

    def host(self, *parts):
        return os.path.join(self.po, *parts)

    def remote(self, *parts):
        return "/".join((self.base, "purchaseorder") + parts)

    def need(self, *parts):
        p = self.host(*parts)
        if not os.path.isdir(p):
            raise Fail("%s: no such folder (remote %s)"
                       % (p, self.remote(*parts)))
        return p


def write_file(folder, name, data):
    """Write data under a hidden temporary name, then rename into place, so
    nobody listing the folder sees a half-written file."""
    fd, tmp = tempfile.mkstemp(prefix=".netsuite-sim.", dir=folder)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, os.path.join(folder, name))


# -------------------------------------------------------------------- load

def cmd_load(st, opts):
    try:
        with open(opts.file, "rb") as f:
            pos = json.loads(f.read().decode("utf-8"),
                             parse_float=Decimal, parse_int=Decimal)
    except (OSError, ValueError) as e:
        raise Fail("%s: %s" % (opts.file, e))
    if not isinstance(pos, list):
        raise Fail("%s: not a JSON array of POs" % opts.file)
    new = []
    seen = set()
    for i, p in enumerate(pos):
        where = "%s: PO #%d" % (opts.file, i + 1)
        if not isinstance(p, dict):
            raise Fail("%s: not an object" % where)
        po_id = p.get("id")
        if not isinstance(po_id, str) or not po_id:
            raise Fail("%s: id must be a non-empty string" % where)
        where = "%s: PO %s" % (opts.file, po_id)
        if st.po(po_id) or po_id in seen:
            raise Fail("%s: already exists" % where)
        seen.add(po_id)
        facility = p.get("facility", "")
        arrival = p.get("arrival", "")
        if not isinstance(facility, str) or not isinstance(arrival, str):
            raise Fail("%s: facility and arrival must be strings" % where)
        lines = p.get("lines")
        if not isinstance(lines, list) or not lines:
            raise Fail("%s: lines must be a non-empty array" % where)
        out = []
        ids = set()
        for ln in lines:
            if not isinstance(ln, dict):
                raise Fail("%s: a line is not an object" % where)
            lid, sku = ln.get("line_id"), ln.get("sku")
            if not isinstance(lid, str) or not lid or lid in ids:
                raise Fail("%s: line_id %r must be a unique non-empty string"
                           % (where, lid))
            ids.add(lid)
            if not isinstance(sku, str):
                raise Fail("%s: line %s: sku must be a string" % (where, lid))
            q = dec(ln.get("quantity"), "%s: line %s" % (where, lid))
            if q <= 0:
                raise Fail("%s: line %s: quantity must be > 0" % (where, lid))
            out.append({"line_id": lid, "sku": sku, "ordered": fmt(q),
                        "received": "0"})
        new.append({"id": po_id, "facility": facility, "arrival": arrival,
                    "status": "Pending", "exported": False, "lines": out})
    st.data["pos"].extend(new)
    st.save()


# ------------------------------------------------------------------ export

def js_date(epoch):
    """Date.prototype.toString() in America/Los_Angeles:
    'Fri Nov 27 2026 08:15:00 GMT-0800 (Pacific Standard Time)'."""
    t = datetime.datetime.fromtimestamp(epoch, zoneinfo.ZoneInfo(ZONE))
    off = t.utcoffset()
    mins = int(off.total_seconds()) // 60
    sign = "+" if mins >= 0 else "-"
    mins = abs(mins)
    abbr = t.tzname()
    name = ZONE_NAMES.get(abbr, abbr)
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
              "Oct", "Nov", "Dec")
    return "%s %s %02d %04d %02d:%02d:%02d GMT%s%02d%02d (%s)" % (
        days[t.weekday()], months[t.month - 1], t.day, t.year, t.hour,
        t.minute, t.second, sign, mins // 60, mins % 60, name)


def cmd_export(st, opts):
    fo = Folders(opts.base)
    inbox = fo.need("fulfillment")
    pos = [p for p in st.data["pos"]
           if p["status"] == "Pending" and not p["exported"]]
    if not pos:
        return
    rows = [HEADER]
    for p in pos:
        for ln in p["lines"]:
            # NetSuite joins with "," and no quoting or escaping at all.
            rows.append(",".join((p["id"], ln["sku"], fmt(ln["ordered"]),
                                  p["facility"], ln["line_id"], p["arrival"])))
    data = "".join(r + "\n" for r in rows).encode("utf-8")
    now = int(opts.now if opts.now is not None else time.time())
    # Two runs in one second would get one name; the simulated clock moves
    # on a second instead of overwriting a file (here or already taken).
    taken = set()
    for sub in ("fulfillment", "fulfillment/archive", "fulfillment/error"):
        try:
            taken.update(os.listdir(fo.host(sub)))
        except OSError:
            pass
    while True:
        name = js_date(now) + "-PurchaseOrder.csv"
        if name not in taken:
            break
        now += 1
    write_file(inbox, name, data)
    path = os.path.join(inbox, name)
    if opts.age:
        t = time.time() - opts.age
        os.utime(path, (t, t))
    for p in pos:
        p["exported"] = True
    st.data["exports"].append({"file": name, "pos": [p["id"] for p in pos],
                               "rows": len(rows) - 1})
    st.save()
    print(fo.remote("fulfillment", name))


# ------------------------------------------------------------------ import

def jtext(v):
    """A JSON value as words: strings as they are, numbers as written."""
    if isinstance(v, str):
        return v
    if isinstance(v, Decimal):
        return str(v)
    return json.dumps(v, default=str)


def is_number(v):
    return isinstance(v, Decimal) and not isinstance(v, bool)


def receive_po(st, elem, opts):
    """Plan one element's Item Receipt; return (po, {line_id: Decimal}).
    Raise POFail with NetSuite-like words when the PO fails."""
    if not isinstance(elem, dict):
        raise POFail("element is not an object")
    order_id = elem.get("order_id")
    if not isinstance(order_id, str):
        raise POFail("order_id %s is not a string" % jtext(order_id))
    po = st.po(order_id)
    if po is None:
        raise POFail("order_id %s: no such purchase order" % order_id)
    items = elem.get("items")
    if not isinstance(items, list):
        raise POFail("items is not an array")
    # The transform holds only the open lines.
    remaining = {}
    for ln in po["lines"]:
        left = Decimal(ln["ordered"]) - Decimal(ln["received"])
        if left > 0:
            remaining[ln["line_id"]] = left
    plan = {}       # line_id -> quantity set (0 = unticked)
    for it in items:
        if not isinstance(it, dict):
            raise POFail("an item is not an object")
        lid = it.get("line_id")
        if not isinstance(lid, str):
            raise POFail("line_id %s is not a string" % jtext(lid))
        if lid not in remaining:
            raise POFail("line %s is not open" % lid)
        q = it.get("quantity")
        if not is_number(q) or not q.is_finite() or q < 0:
            raise POFail("line %s: quantity %s is not a number >= 0"
                         % (lid, jtext(q)))
        if q > remaining[lid] and not opts.allow_over_receipt:
            raise POFail("line %s: quantity %s is more than the %s left to "
                         "receive" % (lid, fmt(q), fmt(remaining[lid])))
        # As in the script, a line listed twice keeps the last value set.
        plan[lid] = q
    for lid, left in remaining.items():
        if lid not in plan:
            plan[lid] = Decimal(0) if opts.no_default_receive else left
    got = {lid: q for lid, q in plan.items() if q > 0}
    if not got:
        raise POFail("You must enter at least one line item for this "
                     "transaction")
    return po, got


def error_csv_name(folder, stem):
    name = stem + "-error.csv"
    n = 1
    while os.path.lexists(os.path.join(folder, name)):
        n += 1
        name = "%s-error-%d.csv" % (stem, n)
    return name


def reject_constant(name):
    raise ValueError("%s is not JSON" % name)


def import_file(st, fo, name, opts):
    """Process one receipt file; returns (received, failures)."""
    path = fo.host("receipt", name)
    failures = []
    received = 0
    try:
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except FileNotFoundError:
            return None
        elems = json.loads(raw.decode("utf-8"), parse_float=Decimal,
                           parse_int=Decimal, parse_constant=reject_constant)
        if not isinstance(elems, list):
            raise ValueError("not a JSON array")
    except (ValueError, UnicodeDecodeError) as e:
        failures.append(("", "file %s is not a JSON array: %s" % (name, e)))
        elems = []
    for elem in elems:
        try:
            po, got = receive_po(st, elem, opts)
        except POFail as e:
            oid = elem.get("order_id") if isinstance(elem, dict) else None
            failures.append(("" if oid is None else jtext(oid), str(e)))
            continue
        # Saved: all of it at once.
        for ln in po["lines"]:
            if ln["line_id"] in got:
                ln["received"] = fmt(Decimal(ln["received"]) +
                                     got[ln["line_id"]])
        po["status"] = po_status(po)
        n = len(st.data["item_receipts"]) + 1
        st.data["item_receipts"].append({
            "id": "IR%d" % n, "file": name, "po": po["id"],
            "lines": {lid: fmt(q) for lid, q in got.items()}})
        received += 1
    st.save()
    return received, failures


def cmd_import(st, opts):
    fo = Folders(opts.base)
    inbox = fo.need("receipt")
    archive = fo.need("receipt", "archive")
    errdir = fo.need("receipt", "error")
    names = []
    for name in sorted(os.listdir(inbox)):
        try:
            if stat.S_ISREG(os.lstat(os.path.join(inbox, name)).st_mode):
                names.append(name)
        except FileNotFoundError:
            pass
    # NetSuite lists the folder without sorting.
    random.Random(opts.seed).shuffle(names)
    status = 0
    for name in names:
        got = import_file(st, fo, name, opts)
        if got is None:
            continue        # gone since the listing
        received, failures = got
        line = "%s\treceived=%d\tfailed=%d" % (name, received, len(failures))
        if failures:
            stem = name[:-5] if name.endswith(".json") else name
            ename = error_csv_name(errdir, stem)
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(("orderId", "errorMessage"))
            w.writerows(failures)
            write_file(errdir, ename, buf.getvalue().encode("utf-8"))
            line += "\terror=%s" % fo.remote("receipt", "error", ename)
        dest = os.path.join(archive, name)
        if os.path.lexists(dest):
            # An SFTP move onto an existing name fails: the file stays and
            # will be read again by the next run, as NetSuite would.
            print("%s: %s: cannot move to archive/: the name is taken"
                  % (PROG, fo.remote("receipt", name)), file=sys.stderr)
            status = 1
        else:
            os.rename(os.path.join(inbox, name), dest)
        print(line, flush=True)
    return status


# -------------------------------------------------------------------- show

def cmd_show(st, opts):
    if opts.po is None:
        out = {"pos": st.data["pos"], "item_receipts": st.data["item_receipts"]}
    else:
        po = st.po(opts.po)
        if po is None:
            raise Fail("no such PO: %s" % opts.po)
        out = dict(po)
        out["item_receipts"] = [r for r in st.data["item_receipts"]
                                if r["po"] == opts.po]
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


def cmd_status(st, opts):
    po = st.po(opts.po)
    if po is None:
        raise Fail("no such PO: %s" % opts.po)
    print(po["status"])


def cmd_received(st, opts):
    po = st.po(opts.po)
    if po is None:
        raise Fail("no such PO: %s" % opts.po)
    for ln in po["lines"]:
        if ln["line_id"] == opts.line:
            print(ln["received"])
            return
    raise Fail("PO %s has no line %s" % (opts.po, opts.line))


# -------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(prog=PROG,
                                 description="NetSuite simulator for tests")
    ap.add_argument("--state", required=True, metavar="FILE")
    ap.add_argument("--base", metavar="PATH",
                    default=os.environ.get("SFTP_BASE"))
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("load")
    p.add_argument("file")
    p.set_defaults(func=cmd_load)
    p = sub.add_parser("export")
    p.add_argument("--now", type=float, metavar="EPOCH")
    p.add_argument("--age", type=float, default=0, metavar="SECONDS")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("import")
    p.add_argument("--no-default-receive", action="store_true")
    p.add_argument("--allow-over-receipt", action="store_true")
    p.add_argument("--seed", type=int)
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("show")
    p.add_argument("--po", metavar="ID")
    p.set_defaults(func=cmd_show)
    p = sub.add_parser("status")
    p.add_argument("po")
    p.set_defaults(func=cmd_status)
    p = sub.add_parser("received")
    p.add_argument("po")
    p.add_argument("line")
    p.set_defaults(func=cmd_received)
    opts = ap.parse_args()
    try:
        st = State(opts.state)
        sys.exit(opts.func(st, opts) or 0)
    except Fail as e:
        print("%s: %s" % (PROG, e), file=sys.stderr)
        sys.exit(1)
    except OSError as e:
        print("%s: %s: %s" % (PROG, e.filename or "", e.strerror),
              file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
