#!/bin/sh
# A wrong base_url, or anything that is not HotWax speaking, never moves a
# batch to failed/: a 404 in JSON from a wrong path of the simulator, a
# 404 as an HTML page or plain text, a 405, a 400 with a JSON object
# without HotWax's error keys -- each keeps the batch and every later one
# in new/, exits 76 and names the URL and the status; the next run with
# the right URL imports them.  A 400 in HotWax's own words is still
# refused for good (failed/, exit 65).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import_seeded

lines() { hw_lines po qty; }
echo "[$(row 8621 1)]" >"$SP/new/u1.json"
echo "[$(row 8622 2)]" >"$SP/new/u2.json"

# ---- a wrong path of the simulator: 404 with a JSON error
WRONG=https://127.0.0.1:$HOTWAX_PORT/wrong/
GOOD=$POSYNC_CONFIG
posync_conf -f "$SCRATCH/wrong.conf" hotwax.base_url=$WRONG
POSYNC_CONFIG=$GOOD
t_exit "a base_url at a wrong path: exit 76" 76 pi -c "$SCRATCH/wrong.conf"
t_like "the message names the URL and the status" "$(t_err)" \
	"POST ${WRONG}uploadJsonFile: HTTP 404.*base_url"
t_is "both batches wait in new/" "$(waiting)" "u1.json u2.json "
t_is "nothing in failed/" "$(nfailed)" 0

# ---- answers that are not HotWax speaking, from the right URL
for f in '"status":404,"body":"<html><body>Not found: /uploadJsonFile</body></html>","content_type":"text/html"' \
	'"status":404,"body":"Not found: /uploadJsonFile","content_type":"text/plain"' \
	'"status":405,"body":"{\"_ERROR_MESSAGE_\":\"Method not allowed\"}","content_type":"application/json"' \
	'"status":400,"body":"{\"message\":\"bad\"}","content_type":"application/json"'; do
	hw_ctl POST /_sim/fault "{\"kind\":\"status\",$f,\"path\":\"uploadJsonFile\"}" >/dev/null
	st=$(printf '%s' "$f" | sed 's/"status":\([0-9]*\).*/\1/')
	t_exit "HTTP $st ($(printf '%s' "$f" | sed 's/.*content_type":"//; s/".*//')): exit 76" 76 pi
	t_like "... named with the URL" "$(t_err)" "POST ${HOTWAX_URL}uploadJsonFile: HTTP $st"
	t_is "... both batches still wait in new/" "$(waiting)" "u1.json u2.json "
	t_is "... nothing in failed/" "$(nfailed)" 0
done
t_is "nothing reached HotWax meanwhile" "$(lines)" ""

# ---- the right URL
t_exit "the next run: exit 0" 0 pi
t_is "both batches are in HotWax" "$(lines)" "8621:1 8622:2"

# ---- HotWax's own refusal is still for good
echo "[$(row 8623 3)]" >"$SP/new/u3.json"
hw_ctl POST /_sim/fault '{"kind":"status","status":400,"path":"uploadJsonFile"}' >/dev/null
t_exit "a 400 in HotWax's words: exit 65" 65 pi
t_true "... the batch is in failed/" -f "$SP/failed/u3.json"
t_done
