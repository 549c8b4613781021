#!/bin/sh
# HotWax text with control bytes never reaches a terminal, syslog or a
# .err file raw: a data-manager log message, a statusId and an upload
# refusal holding LF, CR, ESC[2J, an OSC title, C1 CSI (as UTF-8 and as a
# raw 0x9b byte) come out escaped, one line each, still readable.  And a
# log with 500 failed rows prints at most 20 lines of that kind, then says
# how many more there were; the .err keeps them all.
. "${0%/*}/lib.sh"
. "$BED/hotwax.sh"
. "$BED/posync.sh"

bed_po_import
hw_seed_sku_a

pi() { po-import "$@" </dev/null; }
fresh() { # a new spool for each case
	SP=$SCRATCH/$1/po
	mkdir -p "$SP/new"
	posync_conf spool.dir="$SCRATCH/$1" hotwax.log_wait=5
	printf '[{"externalId":"%s","itemExternalId":"1","productSku":"SKU-A","quantity":1,"externalFacilityId":"116"}]\n' \
		"$2" >"$SP/new/$2.json"
}
# bytes of FILE other than printable ASCII and LF
raw() { LC_ALL=C tr -d ' -~\n' <"$1" | wc -c | tr -d ' '; }
nlines() { wc -l <"$1" | tr -d ' '; }
reply() { # the simulator's next log replies, from a Python expression of bytes
	python3 -c "import json, sys; sys.stdout.write(($1).hex())" >"$SCRATCH/hex" &&
	hw_ctl POST /_sim/config "{\"log_reply_hex\":\"$(cat "$SCRATCH/hex")\"}" >/dev/null
}
EVIL='"evil\nFORGED LINE\x1b[2J\r\u009b end"'
# as po-import must show it: every control byte visible, nothing lost
SHOWN='evil\nFORGED LINE\x1b[2J\r\xc2\x9b end\x9b'

# ---- a failed row's message
fresh a 3001
reply "(b'{\"logId\":\"L\",\"statusId\":\"SERVICE_FINISHED\",\"totalRecordCount\":1,'
  b'\"failedRecordCount\":1,\"errors\":[{\"rowIndex\":0,\"message\":'
  + json.dumps($EVIL).encode()[:-1] + b'\x9b\"}]}')"
t_exit "a log whose row message holds control bytes: exit 65" 65 pi
t_err >"$SCRATCH/err"
t_is "stderr: no byte but printable ASCII and LF" "$(raw "$SCRATCH/err")" 0
t_is "... one line: nothing forged" "$(nlines "$SCRATCH/err")" 1
t_ok "... the message is there, escaped" grep -qF "$SHOWN" "$SCRATCH/err"
e=$SP/failed/3001.rows.json.err
t_true "the rows .err is written" -s "$e"
t_is "... no byte but printable ASCII and LF" "$(raw "$e")" 0
t_is "... two lines: the row, and where the rows are" "$(nlines "$e")" 2
t_ok "... the message is there, escaped" grep -qF "row 0 (PO 3001, line 1, SKU SKU-A): HotWax log" "$e"
t_ok "... escaped as on stderr" grep -qF "$SHOWN" "$e"

# ---- a statusId
fresh b 3002
reply "b'{\"logId\":\"L\",\"statusId\":' + json.dumps('SERVICE_\x1b[2J\nFORGED\x07').encode() + b'}'"
t_exit "a log with a hostile statusId: exit 76" 76 pi
t_err >"$SCRATCH/err"
t_is "stderr: no byte but printable ASCII and LF" "$(raw "$SCRATCH/err")" 0
t_is "... one line" "$(nlines "$SCRATCH/err")" 1
t_like "... the status shown escaped" "$(cat "$SCRATCH/err")" \
	'unknown status "SERVICE_\\x1b\[2J\\nFORGED\\x07"$'
hw_ctl POST /_sim/config '{"log_reply_hex":""}' >/dev/null

# ---- an upload refused with a hostile message: spool_fail's .err
fresh c 3003
hw_ctl POST /_sim/fault '{"kind":"error_body","path":"uploadJsonFile","message":"paused\nFORGED\u001b]0;title\u0007\u009b\r"}' >/dev/null
t_exit "an upload refused with control bytes in the reason: exit 65" 65 pi
t_err >"$SCRATCH/err"
t_is "stderr: no byte but printable ASCII and LF" "$(raw "$SCRATCH/err")" 0
e=$SP/failed/3003.json.err
t_true "the batch is in failed/ with its .err" -f "$SP/failed/3003.json" -a -s "$e"
t_is "... the .err: no byte but printable ASCII and LF" "$(raw "$e")" 0
t_is "... one line" "$(nlines "$e")" 1
# (hotwax.c escapes a reason by the one rule: the line feed shows as \n)
t_like "... HotWax's reason there, C1 CSI escaped" "$(cat "$e")" \
	'HotWax refused the batch 3003\.json .*: paused\\nFORGED\\x1b\]0;title\\x07\\xc2\\x9b\\r'
t_like "... and on stderr" "$(cat "$SCRATCH/err")" 'HotWax says: paused\\nFORGED\\x1b\]0;title\\x07\\xc2\\x9b\\r'

# ---- a flood: 500 failed rows in one log
fresh d 3004
reply "json.dumps({'logId': 'L', 'statusId': 'SERVICE_FINISHED', 'totalRecordCount': 500,
  'failedRecordCount': 500, 'errors': [{'rowIndex': i, 'message': 'bad row %d' % i}
  for i in range(500)]}).encode()"
t_exit "a log with 500 failed rows: exit 65" 65 pi
t_err >"$SCRATCH/err"
t_is "20 row lines on stderr" "$(grep -v 'more like' "$SCRATCH/err" | grep -c ': "bad row [0-9]*"$')" 20
t_like "... then how many more" "$(cat "$SCRATCH/err")" \
	'^po-import: .*3004\.json: 480 more rows failed in HotWax log '
t_true "... at most 22 lines in all" "$(nlines "$SCRATCH/err")" -le 22
t_is "the .err keeps every row" "$(grep -c ': "bad row [0-9]*"$' "$SP/failed/3004.rows.json.err")" 500
hw_ctl POST /_sim/config '{"log_reply_hex":""}' >/dev/null
t_done
