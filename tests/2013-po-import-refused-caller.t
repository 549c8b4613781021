#!/bin/sh
# A 401 or 403 to the upload refuses the caller, not the batch: whatever
# the body says (HotWax's _ERROR_MESSAGE_, an HTML page), po-import exits
# 77, the batch and every later one stay in new/, nothing goes to failed/,
# and the message names the URL and quotes HotWax's words.  Once the
# permission is fixed in HotWax, the next run uploads them all.  (Before:
# a 403 in HotWax's words was read as a refusal of the data, and every
# batch of the run went to failed/ with exit 65, never re-imported.)
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import_seeded

lines() { hw_lines po qty; }

n=0
for f in '"status":403,"body":"{\"_ERROR_MESSAGE_\":\"User john is not authorized\"}","content_type":"application/json"' \
	'"status":403,"body":"<html>Forbidden</html>","content_type":"text/html"' \
	'"status":401,"body":"{\"_ERROR_MESSAGE_\":\"Token expired\"}","content_type":"application/json"'; do
	n=$((n+1))
	echo "[$(row 897${n}1 1)]" >"$SP/new/r${n}a.json"
	echo "[$(row 897${n}2 2)]" >"$SP/new/r${n}b.json"
	before=$(lines)
	st=$(printf '%s' "$f" | sed 's/"status":\([0-9]*\).*/\1/')
	words=$(printf '%s' "$f" | sed 's/.*"body":"//; s/","content_type.*//; s/\\"/"/g; s/.*_ERROR_MESSAGE_":"//; s/"}$//')
	hw_ctl POST /_sim/faults/clear >/dev/null
	hw_ctl POST /_sim/fault "{\"kind\":\"status\",$f,\"path\":\"uploadJsonFile\",\"count\":50}" >/dev/null
	t_exit "HTTP $st ($words): exit 77" 77 pi
	t_like "... names the URL and the status" "$(t_err)" "POST ${HOTWAX_URL}uploadJsonFile: HTTP $st"
	t_like "... quotes HotWax's words" "$(t_err)" "HotWax says: \"$words\""
	t_is "... both batches wait in new/" "$(waiting)" "r${n}a.json r${n}b.json "
	t_is "... nothing in failed/" "$(nfailed)" 0
	t_is "... nothing reached HotWax" "$(lines)" "$before"
	hw_ctl POST /_sim/faults/clear >/dev/null
	t_exit "... the run after the fault clears: exit 0" 0 pi
	t_is "... new/ is empty" "$(waiting)" ""
	t_is "... both lines are in HotWax" "$(lines)" "${before:+$before }897${n}1:1 897${n}2:2"
done

# ---- a 403 to the log's GET: the log stays open, nothing is re-sent
echo "[$(row 8979 9)]" >"$SP/new/r9.json"
hw_ctl POST /_sim/fault '{"kind":"status","status":403,"body":"{\"_ERROR_MESSAGE_\":\"User john may not read logs\"}","content_type":"application/json","path":"dataManagerLogs/.*","count":50}' >/dev/null
t_exit "HTTP 403 to GET dataManagerLogs: exit 77" 77 pi
t_like "... names the URL and quotes HotWax" "$(t_err)" \
	"GET ${HOTWAX_URL}dataManagerLogs/[A-Za-z0-9]*: HTTP 403.*HotWax says: \"User john may not read logs\""
t_true "... the batch is in cur/, its log open" -f "$SP/cur/r9.logid"
t_true "... and not closed" ! -e "$SP/cur/r9.logdone"
t_is "... new/ is empty (not sent again)" "$(waiting)" ""
t_is "... nothing in failed/" "$(nfailed)" 0
hw_ctl POST /_sim/faults/clear >/dev/null
t_exit "... the run after the fault clears: exit 0" 0 pi
t_true "... closes the log" -f "$SP/cur/r9.logdone"

# ---- a refused login: its answer is never quoted (a server that echoes
# the request would have the password printed)
( umask 077
  od -An -tx1 -N12 /dev/urandom | tr -d ' \n' >"$SCRATCH/hotwax.password" )
PW=$(cat "$SCRATCH/hotwax.password")
posync_conf hotwax.token_file= hotwax.username=po-import-test \
	hotwax.password_file="$SCRATCH/hotwax.password"
echo "[$(row 8980 1)]" >"$SP/new/r10.json"
hw_ctl POST /_sim/fault "{\"kind\":\"status\",\"status\":401,\"body\":\"{\\\"_ERROR_MESSAGE_\\\":\\\"bad password $PW\\\"}\",\"content_type\":\"application/json\",\"path\":\"login\",\"count\":50}" >/dev/null
t_exit "HTTP 401 to POST login: exit 77" 77 pi
t_like "... says the login was refused" "$(t_err)" "POST ${HOTWAX_URL}login: HTTP 401: login refused"
t_is "... never prints the answer, which echoed the password" "$(t_err | grep -c -F "$PW")" 0
t_is "... the batch waits in new/" "$(waiting)" "r10.json "
hw_ctl POST /_sim/faults/clear >/dev/null
t_done
