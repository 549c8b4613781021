#!/bin/sh
# Any name NetSuite can write gets its POs into HotWax: remote CSV names at
# the 255-byte limit (ASCII, two- and three-byte UTF-8), names that are the
# same for their first 240 bytes (so their local names meet after the cut
# and differ only by hash), and the awkward bytes of real names (spaces,
# colons, parentheses, a leading '-', '..').  The real pipe,
# po-export-parse | po-import, against the sshd bed and the HotWax
# simulator: every PO arrives, every file is archived, nothing is refused,
# and every spool name (with the longest suffix a program adds) fits
# NAME_MAX.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_all hotwax.batch_size=1
hw_seed_prd1

# rep STRING N -- STRING N times
rep() { python3 -c 'import sys; sys.stdout.write(sys.argv[1] * int(sys.argv[2]))' "$1" "$2"; }
e=$(printf '\303\251')		# é, two bytes
cup=$(printf '\342\230\225')	# ☕, three bytes
names="$(rep a 251).csv
$(rep "$e" 125)x.csv
$(rep "$cup" 83)ab.csv
$(rep "$e" 120).csv
$(rep "$e" 120)A.csv
$(rep "$e" 120)B.csv
-..$(rep "$e" 100) (Pacific: x)..csv"
t_is "seven names, the first three of exactly 255 bytes" \
	"$(printf '%s\n' "$names" | head -n 3 | while IFS= read -r n; do printf '%s' "$n" | wc -c; done | tr -d ' ' | tr '\n' ' ')" \
	"255 255 255 "
i=0
printf '%s\n' "$names" | while IFS= read -r n; do
	i=$((i + 1))
	printf '%s\n' "$HDR" "700$i,26897,$i,116,1,12/24/2026" "700$i,26897,1$i,116,2," >"$IN/$n"
	touch -d '10 minutes ago' "$IN/$n"
done
# An older file of the same 255-byte name is in the archive already: the
# new one goes beside it as NAME.1, NAME cut to leave room for ".1", never
# inside a UTF-8 character.
first=$(printf '%s\n' "$names" | head -n 1)
second=$(printf '%s\n' "$names" | sed -n 2p)
echo old >"$IN/archive/$first"
echo old >"$IN/archive/$second"
t_is "seven files in the inbox" "$(find "$IN" -maxdepth 1 -type f | wc -l | tr -d ' ')" 7

t_exit "po-export-parse | po-import exits 0" 0 sh -c 'po-export-parse | po-import'
t_is "... and prints nothing" "$(t_out)$(t_err)" ""
t_is "HotWax has the seven POs, two lines each" \
	"$(hw_ctl GET /_sim/state | hw_json '" ".join(sorted("%s:%d" % (o["externalId"], len(o["items"])) for o in d["orders"]))')" \
	"7001:2 7002:2 7003:2 7004:2 7005:2 7006:2 7007:2"
t_is "every line's quantity as NetSuite wrote it" \
	"$(hw_ctl GET /_sim/state | hw_json '" ".join(sorted("%s/%s=%s" % (o["externalId"], i["externalId"], i["quantity"]) for o in d["orders"] for i in o["items"]))')" \
	"7001/1=1 7001/2=11 7002/1=2 7002/2=12 7003/1=3 7003/2=13 7004/1=4 7004/2=14 7005/1=5 7005/2=15 7006/1=6 7006/2=16 7007/1=7 7007/2=17"
t_is "the inbox is empty" "$(find "$IN" -maxdepth 1 -type f | wc -l | tr -d ' ')" 0
missing=0
printf '%s\n' "$names" | { while IFS= read -r n; do [ -f "$IN/archive/$n" ] || missing=$((missing + 1)); done; echo $missing; } >"$SCRATCH/missing"
t_is "each file is in the archive under its own name (the first two: the older files)" "$(cat "$SCRATCH/missing")" 0
t_is "the older archived files are untouched" "$(cat "$IN/archive/$first" "$IN/archive/$second")" "old
old"
cut1=$(printf '%s' "$first" | head -c 253).1
cut2=$(printf "%s" "$second" | head -c 253).1
t_like "the new 255-byte ASCII one is beside it, cut to 253 bytes + .1" "$(cat "$IN/archive/$cut1" 2>&1)" "^7001,"
t_like "the new 255-byte UTF-8 one too" "$(cat "$IN/archive/$cut2" 2>&1)" "^7002,"
t_is "nothing waits in new/, nothing failed" "$(ls -A "$SP/po/new" "$SP/po/failed" | grep -v ':$' | grep -c .)" 0
t_is "fourteen batches in cur/" "$(ls "$SP/po/cur" | grep -c '\.json$')" 14
t_is "seven raw copies" "$(ls "$SP/po/raw" | wc -l | tr -d ' ')" 7
t_is "the four names that start with 120 é have four distinct raw copies" \
	"$(ls "$SP/po/raw" | grep -c '^=C3=A9=C3=A9')" 4
# The longest name any program makes from a batch name: po-import's
# STEM.rows.json.err written as STEM.rows.json.err.tmp.PID (7 digits).
longest=$(find "$SP" -type f | sed 's#.*/##' | awk '{ n = length($0); if (n > m) m = n } END { print m }')
t_true "the longest spool name ($longest bytes) leaves 24 bytes within NAME_MAX for suffixes" \
	"$longest" -le 231
t_true "... and the names were cut (some are over 200 bytes)" "$longest" -gt 200

# A second run takes nothing and uploads nothing.
hw_ctl POST /_sim/requests/clear >/dev/null
t_exit "the pipe again exits 0" 0 sh -c 'po-export-parse | po-import'
t_is "... uploads nothing" \
	"$(hw_ctl GET /_sim/requests | hw_json 'sum(1 for r in d if r["method"] == "POST")')" 0
# The longest suffix a program adds: a row HotWax fails makes po-import
# write failed/STEM.rows.json and STEM.rows.json.err (through
# STEM.rows.json.err.tmp.PID) for a batch of a 255-byte name.
long="$(rep "$cup" 83)zz.csv"
printf '%s\n' "$HDR" '7100,26897,1,116,1,' '7100,NOT-IN-HOTWAX,1,116,2,' >"$IN/$long"
touch -d '10 minutes ago' "$IN/$long"
posync_conf hotwax.batch_size=10
t_exit "a 255-byte name with a row HotWax fails: the pipe exits 65" 65 sh -c 'po-export-parse | po-import'
t_like "... po-import names the failed row" "$(t_err)" "NOT-IN-HOTWAX|unknown"
rows=$(ls "$SP/po/failed" | grep '\.rows\.json$')
t_true "... failed/ has the rows file" -n "$rows" -a -f "$SP/po/failed/$rows.err"
t_true "... STEM.rows.json.err is $(printf %s "$rows.err" | wc -c) bytes, leaving room for .tmp.PID" \
	"$(printf %s "$rows.err.tmp.4194304" | wc -c)" -le 255
t_is "... the good line of that PO reached HotWax" \
	"$(hw_ctl GET /_sim/state | hw_json '" ".join(o["externalId"] + ":" + str(len(o["items"])) for o in d["orders"] if o["externalId"] == "7100")')" "7100:1"
t_done
