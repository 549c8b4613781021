#!/bin/sh
# A row whose comma recovery fails gives no ids to the ledger of PO lines
# (SPOOL/state/polines), and a recovered row must have NetSuite internal
# ids (digits): a comma in the arrival date, or one trailing comma, never
# makes up a line NetSuite does not have (a receipt listing it would fail
# the whole PO in NetSuite, contracts.md section 4).  A rejected row with
# the header's number of fields still records its ids.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

posync_conf
SP=$SCRATCH/spool
mkdir -p "$SCRATCH/in"
f=$SCRATCH/in/po.csv
{
	echo "$HDR"
	echo '6800,SKU-A,5,116,1,12/24/2026'
	echo '6801,SKU-A,5,116,1,Dec 24, 2026'
	echo '6301,SKU-A,5,116,1,12/24/2026,'
	echo '6302,Box, small,2,116,3,'
	echo '6303,SKU-A,x,116,4,'
} >"$f"

t_exit "po-export-parse: two rows with a failed recovery, one bad quantity: exit 65" 65 po-export-parse "$f"
t_like "line 3 is rejected: no line \"Dec 24\"" "$(t_err)" \
	'"po\.csv": line 3: .*item-external-id "Dec 24" is not a NetSuite internal id'
t_like "line 4 is rejected: no SKU \"SKU-A,5\", no line \"12/24/2026\"" "$(t_err)" \
	'"po\.csv": line 4: .*item-external-id "12/24/2026" is not a NetSuite internal id'
t_is "the batch holds the good row and the recovered one" \
	"$(python3 -c 'import json,sys; print(" ".join("%s/%s/%s" % (e["externalId"], e["itemExternalId"], e["productSku"]) for e in json.load(open(sys.argv[1]))))' "$SP"/po/new/*.json 2>&1)" \
	"6800/1/SKU-A 6302/3/Box, small"
t_is "the ledger holds only lines NetSuite has: the good, the recovered, the bad quantity's" \
	"$(awk -F'\t' '$2 != ""' "$SP/state/polines" | sort | tr '\t' ' ' | tr '\n' '|')" \
	"6302 3 2|6303 4 ?|6800 1 5|"
t_is "no record for PO 6801 or 6301" "$(grep -c '^6801\|^6301' "$SP/state/polines")" 0
t_done
