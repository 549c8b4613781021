#!/usr/bin/python3
"""hotwax-sim -- a HotWax Commerce simulator for posync's tests.

    hotwax-sim.py --port P --cert CERT.pem --key KEY.pem [--verbose]
    hotwax-sim.py --port P --plain [--verbose]      (http, for allow_http)

Serves the HotWax API of contracts.md (sections 2 and 3) over HTTPS on
127.0.0.1:P under /api/, and a test-only control interface under /_sim/
(section 6).  All state is in memory.  Quantities are exact decimals: JSON
is read with parse_float=Decimal and written by our own encoder, never
through float.  Timestamps are epoch milliseconds.

Python 3 standard library only.
"""

import argparse
import datetime
import json
import re
import secrets
import signal
import socket
import ssl
import sys
import threading
import time
import traceback
import urllib.parse
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 64 * 1024 * 1024
VIEW_SIZE_DEFAULT = 100
VIEW_SIZE_CAP = 250
DEFAULT_CONFIG = {
    "processing_delay": 0.2,   # seconds between upload and processing
    "hold_processing": False,  # uploads wait for POST /_sim/process
    "token_ttl": 3600,         # seconds a login token lives
    "running_time": 0,         # seconds an upload stays SERVICE_RUNNING
    "fail_processing": False,  # uploads end SERVICE_FAILED, nothing applied
    "log_reply_hex": "",       # hostile: every log GET answers these bytes
}
# ---------------------------------------------------------------- hostile
# Replies a broken or hostile HotWax (or something posing as it: a wrong
# base_url, a proxy) can give.  Each is a fault kind for POST /_sim/fault,
# answered instead of the real call (nothing is processed):
#   no_logid  HTTP "status" (default 200) with the JSON value "reply"
#             (default {}): a 2xx that does not say the upload was taken
#   huge      HTTP 200 with a JSON object of "mib" MiB (default 60), sent
#             as it is made, never held in memory; "chunked": true sends
#             it without a Content-Length; the fields of the object "extra"
#             (default none) follow the padding, so that it can pass for a
#             real answer.  The request log entry says how many bytes went
#             out before the client hung up ("sent").
HOSTILE_KINDS = ("no_logid", "huge")
HUGE_CHUNK = 64 * 1024


def hostile_fault(f, req):
    """Fill fault f from control request req for a hostile kind."""
    if f["kind"] == "no_logid":
        st = int_param(req.get("status"), "status", 200)
        if not 200 <= st <= 299 or st == 204:
            raise BadRequest("status must be a 2xx with a body")
        f["status"] = st
        f["reply"] = req.get("reply", {})
    elif f["kind"] == "huge":
        mib = req.get("mib", 60)
        if not is_number(mib) or not 0 < mib <= 1024:
            raise BadRequest("mib must be a number in (0, 1024]")
        f["mib"] = mib
        f["chunked"] = bool(req.get("chunked", False))
        extra = req.get("extra", {})
        if not isinstance(extra, dict):
            raise BadRequest("extra must be a JSON object")
        f["extra"] = extra


def hostile_reply(handler, fault, entry):
    """Answer the call as fault says (a hostile kind)."""
    if fault["kind"] == "no_logid":
        entry["status"] = fault["status"]
        handler.send_body(fault["status"], enc(fault["reply"]))
        return
    size = int(Decimal(fault["mib"]) * 1024 * 1024)
    head = b'{"docs":['
    tail = b'{"pad":"x"}],"count":0' + b"".join(
        b"," + enc(str(k)).encode() + b":" + enc(v).encode()
        for k, v in fault["extra"].items()) + b"}"
    item = b'{"pad":"' + b"x" * (HUGE_CHUNK - 12) + b'"},'
    n = max(0, (size - len(head) - len(tail)) // len(item))
    entry["status"] = 200
    entry["sent"] = 0
    handler.close_connection = True
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    if fault["chunked"]:
        handler.send_header("Transfer-Encoding", "chunked")
    else:
        handler.send_header("Content-Length",
                            str(len(head) + n * len(item) + len(tail)))
    handler.send_header("Connection", "close")
    handler.end_headers()
    try:
        for part in [head] + [item] * n + [tail]:
            if fault["chunked"]:
                part = b"%x\r\n%s\r\n" % (len(part), part)
            handler.wfile.write(part)
            entry["sent"] += len(part)
        if fault["chunked"]:
            handler.wfile.write(b"0\r\n\r\n")
        handler.wfile.flush()
    except (OSError, ssl.SSLError):
        pass    # the client hung up: what it took is in entry["sent"]


FAULT_KINDS = ("status", "error_body", "error_list", "not_object", "delay",
               "drop_before", "drop_after", "retry_after", "expire_tokens",
               "late_receipts") + HOSTILE_KINDS
RECEIVE_RE = re.compile(r"oms/purchaseOrders/([^/]+)/receive")
LOG_RE = re.compile(r"dataManagerLogs/([^/]+)")


class BadRequest(Exception):
    """A request the simulator refuses with HTTP status (default 400)."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


# ---------------------------------------------------------------- JSON

def _reject_constant(name):
    raise ValueError("not JSON: %s" % name)


def parse_json(data):
    """Parse bytes as JSON with exact decimals; ValueError when it is not."""
    try:
        text = data.decode("utf-8")
        return json.loads(text, parse_float=Decimal,
                          parse_constant=_reject_constant)
    except (UnicodeDecodeError, RecursionError) as e:
        raise ValueError(str(e))


def fmt_decimal(d):
    if not d.is_finite():
        raise ValueError("non-finite number")
    exp = d.as_tuple().exponent
    if -60 <= exp <= 60:
        return format(d, "f")  # plain notation, digits kept as written
    return str(d)              # absurd exponents: still valid JSON


def enc(o):
    """Encode o as compact JSON; Decimals exactly as their digits."""
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if isinstance(o, int):
        return str(o)
    if isinstance(o, Decimal):
        return fmt_decimal(o)
    if isinstance(o, float):
        return json.dumps(o)
    if isinstance(o, str):
        return json.dumps(o)
    if isinstance(o, (list, tuple)):
        return "[" + ",".join(enc(x) for x in o) + "]"
    if isinstance(o, dict):
        return "{" + ",".join(json.dumps(str(k)) + ":" + enc(v)
                              for k, v in o.items()) + "}"
    raise TypeError("cannot encode %r" % type(o))


def is_number(v):
    return isinstance(v, (int, Decimal)) and not isinstance(v, bool)


def now_ms():
    return int(time.time() * 1000)


# ---------------------------------------------------------------- multipart

def _header_params(value):
    """'form-data; name="a"; filename="b"' -> ('form-data', {name:a, ...})."""
    parts = []
    cur, quoted, i = "", False, 0
    while i < len(value):
        c = value[i]
        if quoted and c == "\\" and i + 1 < len(value):
            cur += value[i + 1]
            i += 2
            continue
        if c == '"':
            quoted = not quoted
        elif c == ";" and not quoted:
            parts.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    parts.append(cur)
    main = parts[0].strip().lower()
    params = {}
    for p in parts[1:]:
        if "=" in p:
            k, v = p.split("=", 1)
            params[k.strip().lower()] = v.strip()
    return main, params


def parse_multipart(content_type, body):
    """Parse a multipart/form-data body into a list of parts, each a dict
    with name, filename (or None), content_type (or None) and data (bytes).
    Raises BadRequest for anything malformed."""
    ctype, params = _header_params(content_type or "")
    if ctype != "multipart/form-data":
        raise BadRequest("Content-Type must be multipart/form-data")
    boundary = params.get("boundary", "")
    if not boundary or len(boundary) > 200:
        raise BadRequest("multipart/form-data without a boundary")
    delim = b"\r\n--" + boundary.encode("latin-1")
    chunks = (b"\r\n" + body).split(delim)
    if len(chunks) < 3:
        raise BadRequest("multipart body has no parts")
    last = chunks[-1]
    if not last.startswith(b"--"):
        raise BadRequest("multipart body is not terminated (truncated?)")
    parts = []
    for chunk in chunks[1:-1]:
        # the rest of the boundary line: optional whitespace, then CRLF
        nl = chunk.find(b"\r\n")
        if nl < 0 or chunk[:nl].strip(b" \t"):
            raise BadRequest("malformed multipart boundary line")
        chunk = chunk[nl + 2:]
        end = chunk.find(b"\r\n\r\n")
        if end < 0:
            if chunk.startswith(b"\r\n"):
                head, data = b"", chunk[2:]
            else:
                raise BadRequest("multipart part without a header end")
        else:
            head, data = chunk[:end], chunk[end + 4:]
        headers = {}
        for line in head.split(b"\r\n"):
            if not line:
                continue
            if b":" not in line:
                raise BadRequest("malformed multipart part header")
            k, v = line.split(b":", 1)
            headers[k.strip().lower().decode("latin-1")] = \
                v.strip().decode("utf-8", "replace")
        disp, dparams = _header_params(headers.get("content-disposition", ""))
        if disp != "form-data" or "name" not in dparams:
            raise BadRequest("multipart part without Content-Disposition "
                             "form-data; name=...")
        parts.append({
            "name": dparams["name"],
            "filename": dparams.get("filename"),
            "content_type": headers.get("content-type"),
            "data": data,
        })
    return parts


# ---------------------------------------------------------------- entities

S, N = "s", "n"   # field kinds: string, number
ENTITIES = {
    "ShipmentReceiptAndItem": [
        ("receiptId", S), ("shipmentId", S), ("orderId", S),
        ("orderItemSeqId", S), ("productId", S), ("quantityAccepted", N),
        ("quantityRejected", N), ("datetimeReceived", N),
        ("receivedByUserLoginId", S)],
    "OrderHeader": [
        ("orderId", S), ("externalId", S), ("orderTypeId", S),
        ("statusId", S), ("orderDate", N)],
    "OrderItem": [
        ("orderId", S), ("orderItemSeqId", S), ("externalId", S),
        ("productId", S), ("quantity", N), ("statusId", S)],
}
OPS = ("equals", "in", "greaterThan", "greaterThanEqualTo", "lessThan",
       "between")


def coerce(kind, v, what):
    """A condition value as the field's kind (numbers as Decimal)."""
    if v is None:
        return None
    if kind == N:
        if is_number(v):
            return Decimal(v)
        if isinstance(v, str):
            try:
                d = Decimal(v.strip())
                if d.is_finite():
                    return d
            except InvalidOperation:
                pass
        raise BadRequest("Value %s for %s is not a number" % (enc(v), what))
    if isinstance(v, str):
        return v
    if is_number(v):
        return fmt_decimal(Decimal(v))
    raise BadRequest("Value %s for %s is not a string" % (enc(v), what))


def cmp_value(kind, v):
    return Decimal(v) if (kind == N and v is not None) else v


def int_param(v, name, default):
    if v is None:
        return default
    if isinstance(v, str) and re.fullmatch(r"-?\d{1,9}", v.strip()):
        return int(v)
    if is_number(v) and Decimal(v) == Decimal(v).to_integral_value():
        return int(v)
    raise BadRequest("%s must be an integer" % name)


# ---------------------------------------------------------------- state

class Sim:
    def __init__(self):
        self.lock = threading.RLock()
        self.cond = threading.Condition(self.lock)
        self.conn_seq = 0
        self.gen = 0
        self._reset()
        threading.Thread(target=self._worker, daemon=True,
                         name="processor").start()

    # -- lifecycle

    def _reset(self):
        self.gen += 1
        self.config = dict(DEFAULT_CONFIG)
        self.products = []      # [{productId, sku}]
        self.facilities = []    # [{facilityId, externalId}]
        self.users = {}         # username -> password
        self.tokens = {}        # token -> {"user", "expires" (s) | None}
        self.orders = {}        # orderId -> order (insertion ordered)
        self.receipts = []
        self.logs = {}          # logId -> log
        self.jobs = []          # [(due monotonic, seq, logId)]
        self.held = []          # [logId]
        self.faults = []
        self.requests = []
        self.seq = {"order": 10000, "receipt": 10000, "shipment": 10000,
                    "log": 10000, "fault": 1, "job": 0}

    def next_id(self, kind, prefix):
        n = self.seq[kind]
        self.seq[kind] = n + 1
        return "%s%d" % (prefix, n)

    # -- tokens

    def issue_token(self, user, ttl):
        tok = secrets.token_hex(24)
        self.tokens[tok] = {"user": user,
                            "expires": None if ttl is None else time.time() + ttl}
        return tok

    def token_lookup(self, header):
        """The record {"user"} of a valid Bearer token in header, or None.
        Seeded API tokens have user None."""
        if not header:
            return None
        m = re.fullmatch(r"\s*[Bb]earer\s+(\S+)\s*", header)
        if not m:
            return None
        t = self.tokens.get(m.group(1))
        if t is None:
            return None
        if t["expires"] is not None and time.time() >= t["expires"]:
            del self.tokens[m.group(1)]
            return None
        return t

    # -- faults

    def take_fault(self, method, sub):
        """The fault that fires for this call, or None.  Every pending fault
        that matches and is still skipping counts the call."""
        fired = None
        for f in self.faults:
            if f["method"] and f["method"].upper() != method:
                continue
            if not re.fullmatch(f["path"], sub):
                continue
            if f["kind"] == "late_receipts" and not (
                    method == "POST" and RECEIVE_RE.fullmatch(sub)):
                continue   # only receive calls make receipts
            if f["skip"] > 0:
                f["skip"] -= 1
                continue
            if fired is None:
                fired = f
        if fired is not None:
            fired["count"] -= 1
            fired["fired"] += 1
            if fired["count"] <= 0:
                self.faults.remove(fired)
        return fired

    # -- uploads

    def schedule(self, log_id):
        if self.config["hold_processing"]:
            self.held.append(log_id)
        else:
            self.seq["job"] += 1
            due = time.monotonic() + float(self.config["processing_delay"])
            self.jobs.append((due, self.seq["job"], log_id))
            self.jobs.sort()
            self.cond.notify_all()

    def _worker(self):
        while True:
            with self.cond:
                while True:
                    if self.jobs:
                        wait = self.jobs[0][0] - time.monotonic()
                        if wait <= 0:
                            log_id = self.jobs.pop(0)[2]
                            break
                        self.cond.wait(wait)
                    else:
                        self.cond.wait()
            try:
                self.process(log_id)
            except Exception:
                traceback.print_exc()

    def process(self, log_id):
        with self.lock:
            log = self.logs.get(log_id)
            if log is None or log["statusId"] != "SERVICE_PENDING":
                return
            log["statusId"] = "SERVICE_RUNNING"
            log["startedDate"] = now_ms()
            running = float(self.config["running_time"])
        if running > 0:
            time.sleep(running)
        with self.lock:
            if self.logs.get(log_id) is not log:
                return  # reset meanwhile
            if self.config["fail_processing"]:
                log["errors"] = [{"rowIndex": None, "message":
                                  "Simulated data manager failure"}]
                log["failedRecordCount"] = len(log["rows"])
                log["statusId"] = "SERVICE_FAILED"
                log["finishedDate"] = now_ms()
                return
            errors = []
            for i, row in enumerate(log["rows"]):
                msg = self.apply_row(row)
                if msg:
                    errors.append({"rowIndex": i, "message": msg})
            log["errors"] = errors
            log["failedRecordCount"] = len(errors)
            log["statusId"] = "SERVICE_FINISHED"
            log["finishedDate"] = now_ms()

    def process_all_now(self):
        with self.lock:
            ids = [lid for lid, lg in self.logs.items()
                   if lg["statusId"] == "SERVICE_PENDING"]
            self.held = []
            self.jobs = []
            for lid in ids:
                self.process(lid)
            return ids

    def apply_row(self, row):
        """Upsert one uploaded row; None when it went in, else why not."""
        problems = []
        vals = {}
        for f in ("externalId", "productSku", "externalFacilityId",
                  "itemExternalId"):
            v = row.get(f)
            if f not in row or v is None:
                problems.append("Missing field '%s'" % f)
            elif not isinstance(v, str) or v == "":
                problems.append("Field '%s' must be a non-empty string, got %s"
                                % (f, enc(v)))
            else:
                vals[f] = v
        qty = row.get("quantity")
        if "quantity" not in row or qty is None:
            problems.append("Missing field 'quantity'")
        elif not is_number(qty) or Decimal(qty) <= 0:
            problems.append("Bad quantity %s: must be a number greater than 0"
                            % enc(qty))
        else:
            qty = Decimal(qty)
        date = None
        ad = row.get("arrivalDate")
        if ad is not None:
            m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", ad) \
                if isinstance(ad, str) else None
            try:
                if not m:
                    raise ValueError
                date = datetime.date(int(m.group(3)), int(m.group(1)),
                                     int(m.group(2))).isoformat()
            except ValueError:
                problems.append("Bad arrivalDate %s: expected MM/dd/yyyy"
                                % enc(ad))
        product = facility = None
        if "productSku" in vals:
            product = next((p for p in self.products
                            if p["sku"] == vals["productSku"]), None)
            if product is None:
                problems.append("Product not found for SKU '%s'"
                                % vals["productSku"])
        if "externalFacilityId" in vals:
            facility = next((f for f in self.facilities
                             if f["externalId"] == vals["externalFacilityId"]),
                            None)
            if facility is None:
                problems.append("Facility not found for externalId '%s'"
                                % vals["externalFacilityId"])
        if problems:
            return "; ".join(problems)

        order = next((o for o in self.orders.values()
                      if o["externalId"] == vals["externalId"]), None)
        if order is None:
            oid = self.next_id("order", "HWPO")
            while oid in self.orders:
                oid = self.next_id("order", "HWPO")
            order = {"orderId": oid, "externalId": vals["externalId"],
                     "orderTypeId": "PURCHASE_ORDER",
                     "statusId": "ORDER_APPROVED", "orderDate": now_ms(),
                     "facilityId": facility["facilityId"], "items": []}
            self.orders[oid] = order
        item = next((it for it in order["items"]
                     if it["externalId"] == vals["itemExternalId"]), None)
        if item is None:
            order["items"].append({
                "orderId": order["orderId"],
                "orderItemSeqId": self.next_seq(order),
                "externalId": vals["itemExternalId"],
                "productId": product["productId"],
                "quantity": qty, "statusId": "ITEM_APPROVED",
                "estimatedDeliveryDate": date})
            if order["statusId"] == "ORDER_COMPLETED":
                order["statusId"] = "ORDER_APPROVED"
        elif not self.line_receipts(order["orderId"], item["orderItemSeqId"]):
            item["quantity"] = qty
            item["estimatedDeliveryDate"] = date
        return None

    @staticmethod
    def next_seq(order):
        n = 0
        for it in order["items"]:
            if re.fullmatch(r"\d+", it["orderItemSeqId"]):
                n = max(n, int(it["orderItemSeqId"]))
        return "%05d" % (n + 1)

    def line_receipts(self, order_id, seq):
        return [r for r in self.receipts
                if r["orderId"] == order_id and r["orderItemSeqId"] == seq]

    # -- views

    def entity_rows(self, entity):
        if entity == "ShipmentReceiptAndItem":
            now = time.time()
            for r in self.receipts:
                if r["hiddenUntil"] is not None and now < r["hiddenUntil"]:
                    continue
                yield r
        elif entity == "OrderHeader":
            yield from self.orders.values()
        else:
            for o in self.orders.values():
                yield from o["items"]

    def state(self):
        now = time.time()
        orders = []
        for o in self.orders.values():
            orders.append(dict(o, items=[dict(it) for it in o["items"]]))
        receipts = []
        for r in self.receipts:
            hidden = r["hiddenUntil"] is not None and now < r["hiddenUntil"]
            d = {k: v for k, v in r.items() if k != "hiddenUntil"}
            d["hidden"] = hidden
            d["hiddenUntil"] = (int(r["hiddenUntil"] * 1000) if hidden
                                else None)
            receipts.append(d)
        return {
            "config": dict(self.config),
            "products": [dict(p) for p in self.products],
            "facilities": [dict(f) for f in self.facilities],
            "users": sorted(self.users),
            "tokenCount": len(self.tokens),
            "orders": orders,
            "receipts": receipts,
            "logs": [dict(lg) for lg in self.logs.values()],
            "faults": [dict(f) for f in self.faults],
        }


# ---------------------------------------------------------------- API

def api_login(sim, body, user):
    req = body_object(body)
    u, p = req.get("USERNAME"), req.get("PASSWORD")
    with sim.lock:
        if not isinstance(u, str) or not isinstance(p, str) \
                or u not in sim.users or sim.users[u] != p:
            return 401, {"_ERROR_MESSAGE_": "Invalid username or password"}
        ttl = float(sim.config["token_ttl"])
        tok = sim.issue_token(u, ttl)
        return 200, {"token": tok,
                     "expirationTime": int((time.time() + ttl) * 1000)}


def api_upload(sim, handler, body, user):
    parts = parse_multipart(handler.headers.get("Content-Type"), body)
    fields = {}
    for p in parts:
        if p["name"] in fields:
            raise BadRequest("Field '%s' sent twice" % p["name"])
        fields[p["name"]] = p
    f = fields.get("uploadedFile")
    if f is None:
        raise BadRequest("Missing file field 'uploadedFile'")
    if f["filename"] is None:
        raise BadRequest("Field 'uploadedFile' is not a file (no filename)")
    if not f["filename"].lower().endswith(".json"):
        raise BadRequest("Uploaded file name '%s' does not end in .json"
                         % f["filename"])
    ct = (f["content_type"] or "").split(";")[0].strip().lower()
    if ct != "application/json":
        raise BadRequest("Uploaded file content type '%s' is not "
                         "application/json" % (f["content_type"] or ""))
    c = fields.get("configId")
    if c is None:
        raise BadRequest("Missing field 'configId'")
    config_id = c["data"].decode("utf-8", "replace")
    if config_id != "IMP_PO":
        raise BadRequest("Unknown configId '%s'" % config_id)
    try:
        rows = parse_json(f["data"])
    except ValueError as e:
        raise BadRequest("Uploaded file is not valid JSON: %s" % e)
    if not isinstance(rows, list):
        raise BadRequest("Uploaded file is not a JSON array")
    for i, r in enumerate(rows):
        if not isinstance(r, dict):
            raise BadRequest("Uploaded file element %d is not a JSON object"
                             % i)
    with sim.lock:
        log_id = sim.next_id("log", "DM")
        sim.logs[log_id] = {
            "logId": log_id, "statusId": "SERVICE_PENDING",
            "configId": config_id, "fileName": f["filename"],
            "totalRecordCount": len(rows), "failedRecordCount": 0,
            "errors": [], "rows": rows, "createdDate": now_ms(),
            "startedDate": None, "finishedDate": None, "uploadedBy": user}
        sim.schedule(log_id)
    return 200, {"_EVENT_MESSAGE_": "Uploaded file %s (%d records) for "
                 "processing as log %s" % (f["filename"], len(rows), log_id),
                 "logId": log_id}


def api_log(sim, log_id):
    with sim.lock:
        # A hostile HotWax (tests/0811): the reply's bytes exactly as the
        # test wrote them, raw control and non-UTF-8 bytes included.
        if sim.config["log_reply_hex"]:
            return 200, bytes.fromhex(sim.config["log_reply_hex"])
        lg = sim.logs.get(log_id)
        if lg is None:
            return 404, {"_ERROR_MESSAGE_": "Data manager log '%s' not found"
                         % log_id}
        return 200, {k: lg[k] for k in ("logId", "statusId",
                                        "totalRecordCount",
                                        "failedRecordCount", "errors")}


def body_object(body):
    try:
        req = parse_json(body) if body else None
    except ValueError as e:
        raise BadRequest("Request body is not valid JSON: %s" % e)
    if not isinstance(req, dict):
        raise BadRequest("Request body is not a JSON object")
    return req


def api_find(sim, body):
    req = body_object(body)
    entity = req.get("entityName")
    if entity not in ENTITIES:
        raise BadRequest("Unknown entityName %s" % enc(entity))
    kinds = dict(ENTITIES[entity])
    names = [f for f, _ in ENTITIES[entity]]
    inputs = req.get("inputFields") or {}
    if not isinstance(inputs, dict):
        raise BadRequest("inputFields must be a JSON object")
    conds = []
    for k, v in inputs.items():
        if k.endswith("_op"):
            base = k[:-3]
            if base not in kinds:
                raise BadRequest("Unknown field '%s' for %s" % (base, entity))
            if base not in inputs:
                raise BadRequest("Operator '%s' without a value for '%s'"
                                 % (k, base))
            continue
        if k not in kinds:
            raise BadRequest("Unknown field '%s' for %s" % (k, entity))
        op = inputs.get(k + "_op", "equals")
        if op not in OPS:
            raise BadRequest("Unknown operator %s for '%s'" % (enc(op), k))
        kind = kinds[k]
        if op in ("in", "between"):
            if isinstance(v, str):
                v = [x.strip() for x in v.split(",")]
            if not isinstance(v, list):
                raise BadRequest("'%s' with %s needs a list" % (k, op))
            val = [coerce(kind, x, k) for x in v]
            if op == "between" and (len(val) != 2 or None in val):
                raise BadRequest("'%s' between needs two values" % k)
        else:
            if isinstance(v, (list, dict)):
                raise BadRequest("'%s' with %s needs a single value" % (k, op))
            val = coerce(kind, v, k)
        conds.append((k, op, val))

    field_list = req.get("fieldList")
    if field_list in (None, []):
        field_list = names
    if not isinstance(field_list, list) or \
            not all(isinstance(f, str) for f in field_list):
        raise BadRequest("fieldList must be a list of field names")
    for f in field_list:
        if f not in kinds:
            raise BadRequest("Unknown field '%s' in fieldList for %s"
                             % (f, entity))

    order_by = req.get("orderBy") or []
    if isinstance(order_by, str):
        order_by = order_by.split(",")
    if not isinstance(order_by, list):
        raise BadRequest("orderBy must be a string")
    keys = []
    for item in order_by:
        if not isinstance(item, str):
            raise BadRequest("orderBy must be a string")
        words = item.split()
        if not words:
            continue
        f, desc = words[0], False
        if f.startswith("-"):
            f, desc = f[1:], True
        elif f.startswith("+"):
            f = f[1:]
        if len(words) == 2 and words[1].upper() in ("ASC", "DESC"):
            desc = words[1].upper() == "DESC"
        elif len(words) != 1:
            raise BadRequest("Bad orderBy term '%s'" % item.strip())
        if f not in kinds:
            raise BadRequest("Unknown field '%s' in orderBy for %s"
                             % (f, entity))
        keys.append((f, desc))

    size = int_param(req.get("viewSize"), "viewSize", VIEW_SIZE_DEFAULT)
    index = int_param(req.get("viewIndex"), "viewIndex", 0)
    if size < 1:
        raise BadRequest("viewSize must be at least 1")
    if index < 0:
        raise BadRequest("viewIndex must not be negative")
    size = min(size, VIEW_SIZE_CAP)

    with sim.lock:
        if not conds and req.get("noConditionFind") != "Y":
            return 200, {"docs": [], "count": 0}
        rows = []
        for r in sim.entity_rows(entity):
            ok = True
            for f, op, val in conds:
                fv = cmp_value(kinds[f], r.get(f))
                if op == "equals":
                    ok = fv == val
                elif op == "in":
                    ok = fv in val
                elif fv is None or (val is None and op != "between"):
                    ok = False
                elif op == "greaterThan":
                    ok = fv > val
                elif op == "greaterThanEqualTo":
                    ok = fv >= val
                elif op == "lessThan":
                    ok = fv < val
                else:
                    ok = val[0] <= fv <= val[1]
                if not ok:
                    break
            if ok:
                rows.append({f: r.get(f) for f in names})
    for f, desc in reversed(keys):
        rows.sort(key=lambda r: ((1, cmp_value(kinds[f], r[f]))
                                 if r[f] is not None else (0,)),
                  reverse=desc)
    page = rows[index * size:(index + 1) * size]
    docs = [{f: r[f] for f in field_list} for r in page]
    return 200, {"docs": docs, "count": len(rows)}


def api_receive(sim, order_id, body, user, late):
    req = body_object(body)
    fac = req.get("facilityId")
    if not isinstance(fac, str) or not fac:
        raise BadRequest("facilityId is required")
    items = req.get("items")
    if not isinstance(items, list) or not items:
        raise BadRequest("items must be a non-empty list")
    with sim.lock:
        order = sim.orders.get(order_id)
        if order is None:
            raise BadRequest("Order '%s' not found" % order_id)
        lines = {it["orderItemSeqId"]: it for it in order["items"]}
        todo = []
        for n, i in enumerate(items):
            if not isinstance(i, dict):
                raise BadRequest("items[%d] is not an object" % n)
            seq = i.get("orderItemSeqId")
            line = lines.get(seq) if isinstance(seq, str) else None
            if line is None:
                raise BadRequest("Order item %s not found in order '%s'"
                                 % (enc(seq), order_id))
            pid = i.get("productId")
            if pid is not None and pid != line["productId"]:
                raise BadRequest("productId %s does not match order item %s "
                                 "(%s)" % (enc(pid), seq, line["productId"]))
            q = {}
            for f in ("quantityAccepted", "quantityRejected"):
                v = i.get(f, 0)
                if v is None:
                    v = 0
                if not is_number(v):
                    raise BadRequest("%s of item %s is not a number"
                                     % (f, seq))
                if v < 0:
                    raise BadRequest("%s of item %s is negative" % (f, seq))
                q[f] = Decimal(v)
            todo.append((line, q))
        shipment = sim.next_id("shipment", "SHIP")
        when = now_ms()
        hidden_until = None
        if late is not None:
            when -= int(Decimal(str(late.get("backdate_seconds", 0))) * 1000)
            when += int(Decimal(str(late.get("ahead_seconds", 0))) * 1000)
            hidden_until = time.time() + float(late.get("hide_seconds", 0))
        ids = []
        for line, q in todo:
            rid = sim.next_id("receipt", "R")
            ids.append(rid)
            sim.receipts.append({
                "receiptId": rid, "shipmentId": shipment,
                "orderId": order_id, "orderItemSeqId": line["orderItemSeqId"],
                "productId": line["productId"],
                "quantityAccepted": q["quantityAccepted"],
                "quantityRejected": q["quantityRejected"],
                "datetimeReceived": when,
                "receivedByUserLoginId": user or "api",
                "facilityId": fac, "hiddenUntil": hidden_until})
        for line, _ in todo:
            got = sum((r["quantityAccepted"] for r in sim.line_receipts(
                order_id, line["orderItemSeqId"])), Decimal(0))
            if got >= line["quantity"]:
                line["statusId"] = "ITEM_COMPLETED"
        if order["items"] and all(it["statusId"] == "ITEM_COMPLETED"
                                  for it in order["items"]):
            order["statusId"] = "ORDER_COMPLETED"
        return 200, {"receiptIds": ids}


# ---------------------------------------------------------------- control

def ctl(sim, method, sub, body):
    req = body_object(body) if body and body.strip() else {}
    if method == "POST" and sub == "reset":
        with sim.lock:
            sim._reset()
        return 200, {"ok": True}
    if method == "POST" and sub == "seed":
        return ctl_seed(sim, req)
    if method == "POST" and sub == "orders":
        return ctl_order(sim, req)
    if method == "GET" and sub == "state":
        with sim.lock:
            return 200, sim.state()
    if method == "POST" and sub == "config":
        with sim.lock:
            for k, v in req.items():
                if k not in DEFAULT_CONFIG:
                    raise BadRequest("Unknown config key '%s'" % k)
                if k == "log_reply_hex":
                    try:
                        bytes.fromhex(v)
                    except (TypeError, ValueError):
                        raise BadRequest("log_reply_hex must be hex digits")
                elif k in ("hold_processing", "fail_processing"):
                    if not isinstance(v, bool):
                        raise BadRequest("%s must be true/false" % k)
                elif not is_number(v) or v < 0:
                    raise BadRequest("%s must be a number >= 0" % k)
                sim.config[k] = v
            if not sim.config["hold_processing"] and sim.held:
                held, sim.held = sim.held, []
                for lid in held:
                    sim.schedule(lid)
            return 200, dict(sim.config)
    if method == "GET" and sub == "config":
        with sim.lock:
            return 200, dict(sim.config)
    if method == "POST" and sub == "process":
        return 200, {"processed": sim.process_all_now()}
    if method == "POST" and sub == "fault":
        return ctl_fault(sim, req)
    # faults, requests: the lists a test reads (GET) and empties (/clear)
    for name in ("faults", "requests"):
        if method == "GET" and sub == name:
            with sim.lock:
                return 200, [dict(x) for x in getattr(sim, name)]
        if method == "POST" and sub == name + "/clear":
            with sim.lock:
                setattr(sim, name, [])
            return 200, {"ok": True}
    if method == "POST" and sub == "release-late":
        with sim.lock:
            n = 0
            for r in sim.receipts:
                if r["hiddenUntil"] is not None:
                    if time.time() < r["hiddenUntil"]:
                        n += 1
                    r["hiddenUntil"] = None
        return 200, {"released": n}
    # receipt-ids {"OLD": "NEW", ...}: give receipts hostile ids (commas,
    # quotes, CR/LF) for the tests of what posync writes from them
    if method == "POST" and sub == "receipt-ids":
        with sim.lock:
            n = 0
            for r in sim.receipts:
                new = req.get(r["receiptId"])
                if isinstance(new, str) and new:
                    r["receiptId"] = new
                    n += 1
        return 200, {"renamed": n}
    return 404, {"_ERROR_MESSAGE_": "Unknown control call %s /_sim/%s"
                 % (method, sub)}


def _str_field(d, k, required=True):
    v = d.get(k)
    if v is None and not required:
        return None
    if not isinstance(v, str) or not v:
        raise BadRequest("'%s' must be a non-empty string" % k)
    return v


def ctl_seed(sim, req):
    for k in req:
        if k not in ("products", "facilities", "users", "tokens"):
            raise BadRequest("Unknown seed key '%s'" % k)
    products = [{"productId": _str_field(p, "productId"),
                 "sku": _str_field(p, "sku")}
                for p in _objs(req.get("products"), "products")]
    facilities = [{"facilityId": _str_field(f, "facilityId"),
                   "externalId": _str_field(f, "externalId")}
                  for f in _objs(req.get("facilities"), "facilities")]
    users = [(_str_field(u, "username"), _str_field(u, "password"))
             for u in _objs(req.get("users"), "users")]
    tokens = req.get("tokens") or []
    if not isinstance(tokens, list) or \
            not all(isinstance(t, str) and t and not re.search(r"\s", t)
                    for t in tokens):
        raise BadRequest("tokens must be a list of non-empty strings")
    with sim.lock:
        sim.products.extend(products)
        sim.facilities.extend(facilities)
        sim.users.update(users)
        for t in tokens:
            sim.tokens[t] = {"user": None, "expires": None}
    return 200, {"products": len(products), "facilities": len(facilities),
                 "users": len(users), "tokens": len(tokens)}


def _objs(v, name):
    if v is None:
        return []
    if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
        raise BadRequest("'%s' must be a list of objects" % name)
    return v


def ctl_order(sim, req):
    items = _objs(req.get("items"), "items")
    with sim.lock:
        oid = _str_field(req, "orderId", False)
        if oid is None:
            oid = sim.next_id("order", "HWPO")
            while oid in sim.orders:
                oid = sim.next_id("order", "HWPO")
        if oid in sim.orders:
            raise BadRequest("Order '%s' exists" % oid)
        order = {"orderId": oid,
                 "externalId": _str_field(req, "externalId", False),
                 "orderTypeId": _str_field(req, "orderTypeId", False)
                 or "PURCHASE_ORDER",
                 "statusId": _str_field(req, "statusId", False)
                 or "ORDER_APPROVED",
                 "orderDate": req.get("orderDate") or now_ms(),
                 "facilityId": _str_field(req, "facilityId", False),
                 "items": []}
        if not isinstance(order["orderDate"], int):
            raise BadRequest("orderDate must be epoch milliseconds")
        for it in items:
            q = it.get("quantity")
            if not is_number(q) or q <= 0:
                raise BadRequest("item quantity must be a number > 0")
            seq = _str_field(it, "orderItemSeqId", False) or \
                Sim.next_seq(order)
            if any(x["orderItemSeqId"] == seq for x in order["items"]):
                raise BadRequest("orderItemSeqId '%s' twice" % seq)
            order["items"].append({
                "orderId": oid, "orderItemSeqId": seq,
                "externalId": _str_field(it, "externalId", False),
                "productId": _str_field(it, "productId"),
                "quantity": Decimal(q),
                "statusId": _str_field(it, "statusId", False)
                or "ITEM_APPROVED",
                "estimatedDeliveryDate": None})
        sim.orders[oid] = order
        return 200, dict(order, items=[dict(i) for i in order["items"]])


def ctl_fault(sim, req):
    kind = req.get("kind")
    if kind not in FAULT_KINDS:
        raise BadRequest("Unknown fault kind %s (one of %s)"
                         % (enc(kind), ", ".join(FAULT_KINDS)))
    path = req.get("path", ".*")
    if not isinstance(path, str):
        raise BadRequest("path must be a regular expression string")
    try:
        re.compile(path)
    except re.error as e:
        raise BadRequest("Bad path regex: %s" % e)
    method = req.get("method")
    if method is not None and not isinstance(method, str):
        raise BadRequest("method must be a string")
    f = {"kind": kind, "method": method.upper() if method else None,
         "path": path,
         "skip": int_param(req.get("skip"), "skip", 0),
         "count": int_param(req.get("count"), "count", 1), "fired": 0}
    if f["skip"] < 0 or f["count"] < 1:
        raise BadRequest("skip must be >= 0 and count >= 1")
    if kind == "status":
        st = int_param(req.get("status"), "status", 500)
        if not 100 <= st <= 599 or st in (100, 101, 204, 304):
            raise BadRequest("status must be an HTTP status with a body")
        f["status"] = st
        body = req.get("body")
        if body is not None and not isinstance(body, str):
            raise BadRequest("body must be a string")
        f["body"] = body
        ct = req.get("content_type")
        f["content_type"] = ct if isinstance(ct, str) else None
    elif kind in ("error_body", "error_list"):
        msg = req.get("message", "Simulated HotWax error")
        f["message"] = msg if isinstance(msg, str) else enc(msg)
    elif kind == "not_object":
        body = req.get("body", "<html>oops</html>")
        if not isinstance(body, str):
            raise BadRequest("body must be a string")
        f["body"] = body
    elif kind in ("delay", "retry_after"):
        s = req.get("seconds", 1)
        if not is_number(s) or s < 0:
            raise BadRequest("seconds must be a number >= 0")
        f["seconds"] = s
    elif kind in ("drop_before", "drop_after"):
        mode = req.get("mode", "close")
        if mode not in ("close", "reset"):
            raise BadRequest("mode must be close or reset")
        f["mode"] = mode
    elif kind in HOSTILE_KINDS:
        hostile_fault(f, req)
    elif kind == "late_receipts":
        # ahead_seconds: receipts dated in the future (HotWax's clock
        # ahead of posync's), for the clock-skew tests (0833)
        for k in ("hide_seconds", "backdate_seconds", "ahead_seconds"):
            v = req.get(k, 0)
            if not is_number(v) or v < 0:
                raise BadRequest("%s must be a number >= 0" % k)
            f[k] = v
    with sim.lock:
        f["id"] = sim.seq["fault"]
        sim.seq["fault"] += 1
        sim.faults.append(f)
    return 200, dict(f)


# ---------------------------------------------------------------- HTTP

class Dropped(Exception):
    pass


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hotwax-sim/1"
    sys_version = ""
    timeout = 60

    def setup(self):
        super().setup()
        with self.server.sim.lock:
            self.server.sim.conn_seq += 1
            self.conn_id = self.server.sim.conn_seq

    def handle(self):
        try:
            super().handle()
        except (OSError, ssl.SSLError, Dropped):
            pass

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("hotwax-sim: %s %s\n"
                             % (self.address_string(), fmt % args))

    def log_request(self, code="-", size="-"):
        if self.server.verbose:
            sys.stderr.write('hotwax-sim: conn %d "%s" %s\n'
                             % (self.conn_id, self.requestline, code))

    # every method goes through dispatch
    def do_GET(self):
        self.dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def read_body(self):
        te = self.headers.get("Transfer-Encoding", "").lower()
        if te:
            if te != "chunked":
                raise BadRequest("Unsupported Transfer-Encoding", 501)
            out = bytearray()
            while True:
                line = self.rfile.readline(1024)
                if not line:
                    raise Dropped()
                try:
                    n = int(line.split(b";")[0].strip(), 16)
                except ValueError:
                    raise BadRequest("Bad chunk size")
                if n == 0:
                    while True:   # trailers
                        t = self.rfile.readline(8192)
                        if t in (b"\r\n", b"\n", b""):
                            break
                    return bytes(out)
                if len(out) + n > MAX_BODY:
                    raise BadRequest("Request body too large", 413)
                out += self.rfile.read(n)
                self.rfile.readline(8)
        cl = self.headers.get("Content-Length")
        if cl is None:
            return b""
        if not re.fullmatch(r"\s*\d{1,12}\s*", cl):
            raise BadRequest("Bad Content-Length")
        n = int(cl)
        if n > MAX_BODY:
            raise BadRequest("Request body too large", 413)
        data = self.rfile.read(n)
        if len(data) != n:
            raise Dropped()
        return data

    def send_body(self, status, payload, ctype="application/json",
                  headers=()):
        if isinstance(payload, bytes):
            data = payload
        elif isinstance(payload, str):
            data = payload.encode("utf-8")
        else:
            data = enc(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        # Headers and body in one write: two small writes make every call
        # wait ~40 ms for the client's delayed ACK (Nagle), which would
        # dominate the tests' and benchmarks' time.
        self._headers_buffer.append(b"\r\n")
        if self.command != "HEAD":
            self._headers_buffer.append(data)
        self.flush_headers()
        self.wfile.flush()

    def drop(self, mode):
        """Close the connection without a response."""
        self.close_connection = True
        conn = self.connection
        try:
            if mode == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                b"\x01\x00\x00\x00\x00\x00\x00\x00")
                conn.close()
            else:
                conn.settimeout(2)
                try:
                    conn.unwrap()   # close_notify: a clean, empty reply
                except (OSError, ssl.SSLError, ValueError):
                    pass
                conn.close()
        except OSError:
            pass
        raise Dropped()

    def dispatch(self):
        sim = self.server.sim
        t0 = time.time()
        path = urllib.parse.urlsplit(self.path).path
        try:
            body = self.read_body()
        except BadRequest as e:
            self.close_connection = True
            self.send_body(e.status, {"_ERROR_MESSAGE_": str(e)})
            return
        except (OSError, ValueError):
            raise Dropped()
        method = self.command
        if path.startswith("/_sim/"):
            try:
                status, obj = ctl(sim, method, path[len("/_sim/"):], body)
            except BadRequest as e:
                status, obj = e.status, {"_ERROR_MESSAGE_": str(e)}
            except Exception as e:
                traceback.print_exc()
                status, obj = 500, {"_ERROR_MESSAGE_": "simulator bug: %s" % e}
            self.send_body(status, obj)
            return
        if path != "/api" and not path.startswith("/api/"):
            self.send_body(404, {"_ERROR_MESSAGE_": "Not found: %s" % path})
            return
        sub = path[len("/api/"):]
        entry = {"method": method, "path": path, "status": None, "time": t0,
                 "fault": None,
                 "authorization_present": "Authorization" in self.headers,
                 "conn": self.conn_id, "bytes": len(body),
                 "content_type": self.headers.get("Content-Type")}
        with sim.lock:
            sim.requests.append(entry)
            fault = sim.take_fault(method, sub)
            if fault is not None:
                entry["fault"] = fault["kind"]
                fault = dict(fault)
        kind = fault["kind"] if fault else None
        late = None
        if kind in HOSTILE_KINDS:
            hostile_reply(self, fault, entry)
            return
        if kind == "status":
            entry["status"] = fault["status"]
            if fault["body"] is not None:
                self.send_body(fault["status"], fault["body"],
                               fault["content_type"] or "text/plain")
            else:
                self.send_body(fault["status"], {
                    "_ERROR_MESSAGE_": "Simulated HTTP %d" % fault["status"]})
            return
        if kind in ("error_body", "error_list"):
            entry["status"] = 200
            if kind == "error_body":
                self.send_body(200, {"_ERROR_MESSAGE_": fault["message"]})
            else:
                self.send_body(200, {"_ERROR_MESSAGE_LIST_":
                                     [fault["message"]]})
            return
        if kind == "not_object":
            entry["status"] = 200
            self.send_body(200, fault["body"], "text/html")
            return
        if kind == "retry_after":
            entry["status"] = 429
            self.send_body(429, {"_ERROR_MESSAGE_": "Too many requests"},
                           headers=[("Retry-After",
                                     enc(fault["seconds"]))])
            return
        if kind == "drop_before":
            self.drop(fault["mode"])
        if kind == "delay":
            time.sleep(float(fault["seconds"]))
        if kind == "expire_tokens":
            with sim.lock:
                sim.tokens.clear()
        if kind == "late_receipts":
            late = fault
        try:
            status, obj = self.api(sim, method, sub, body, late)
        except BadRequest as e:
            status, obj = e.status, {"_ERROR_MESSAGE_": str(e)}
        except Exception as e:
            traceback.print_exc()
            status, obj = 500, {"_ERROR_MESSAGE_": "simulator bug: %s" % e}
        if kind == "drop_after":
            self.drop(fault["mode"])
        entry["status"] = status
        self.send_body(status, obj)

    def api(self, sim, method, sub, body, late):
        m_recv = RECEIVE_RE.fullmatch(sub)
        m_log = LOG_RE.fullmatch(sub)
        if method == "POST" and sub == "login":
            self.need_json()
            return api_login(sim, body, None)
        known = ((method == "POST" and sub in ("uploadJsonFile", "performFind"))
                 or (method == "POST" and m_recv)
                 or (method == "GET" and m_log))
        if not known:
            return 404, {"_ERROR_MESSAGE_": "Not found: %s /api/%s"
                         % (method, sub)}
        with sim.lock:
            tok = sim.token_lookup(self.headers.get("Authorization"))
        if tok is None:
            return 401, {"error": "unauthorized"}
        user = tok["user"]
        if sub == "uploadJsonFile":
            return api_upload(sim, self, body, user)
        if m_log:
            return api_log(sim, urllib.parse.unquote(m_log.group(1)))
        self.need_json()
        if sub == "performFind":
            return api_find(sim, body)
        return api_receive(sim, urllib.parse.unquote(m_recv.group(1)), body,
                           user, late)

    def need_json(self):
        ct = (self.headers.get("Content-Type") or "").split(";")[0]
        if ct.strip().lower() != "application/json":
            raise BadRequest("Content-Type must be application/json")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def finish_request(self, request, client_address):
        request.settimeout(10)
        if self.ctx is None:   # --plain: http, for the allow_http tests
            self.RequestHandlerClass(request, client_address, self)
            return
        try:
            conn = self.ctx.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError) as e:
            if self.verbose:
                sys.stderr.write("hotwax-sim: TLS handshake failed: %s\n" % e)
            return
        try:
            self.RequestHandlerClass(conn, client_address, self)
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        if self.verbose:
            traceback.print_exc()


def main():
    ap = argparse.ArgumentParser(description="HotWax simulator")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--plain", action="store_true",
                    help="speak plain http instead of https (no --cert)")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()

    ctx = None
    if not a.plain:
        if not a.cert or not a.key:
            ap.error("--cert and --key are required (or --plain)")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(a.cert, a.key)

    srv = Server((a.host, a.port), Handler)
    srv.ctx = ctx
    srv.verbose = a.verbose
    srv.sim = Sim()

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if a.verbose:
        sys.stderr.write("hotwax-sim: listening on %s://%s:%d/\n"
                         % ("http" if a.plain else "https", a.host,
                            srv.server_address[1]))
    try:
        srv.serve_forever(poll_interval=0.2)
    except SystemExit:
        pass
    finally:
        srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
