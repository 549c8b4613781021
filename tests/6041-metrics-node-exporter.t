#!/bin/sh
# The real prometheus-node-exporter, its textfile collector reading
# [metrics] textfile_dir, on 127.0.0.1: posync's series are in what it
# serves, for two instances (two configurations, two spools) side by
# side, and it found no error in posync's files.
. "${0%/*}/lib.sh"
. "$BED/posync.sh"
. "$BED/metrics.sh"

NE=$(command -v prometheus-node-exporter) ||
	t_skip_all "prometheus-node-exporter not installed (make deps)"
bed_built po-import

metrics_conf "$SCRATCH/a.conf" "$SCRATCH/spool-a" tenant-a
metrics_conf "$SCRATCH/b.conf" "$SCRATCH/spool-b" tenant-b
# tenant b has a batch waiting that HotWax (out of reach) never takes
mkdir -p "$SCRATCH/spool-b/po/new"
metrics_pi "$SCRATCH/a.conf"
t_is "tenant a's po-import: 0" "$PI_ST" 0
printf '[]' >"$SCRATCH/spool-b/po/new/b1.json"
metrics_pi "$SCRATCH/b.conf"
t_true "tenant b's po-import fails: HotWax is out of reach" "$PI_ST" -ne 0
t_is "two files" "$(ls "$MD" | wc -l)" 2

port=$(free_port)
"$NE" --web.listen-address="127.0.0.1:$port" --collector.disable-defaults \
	--collector.textfile --collector.textfile.directory="$MD" \
	>"$SCRATCH/ne.log" 2>&1 &
NE_PID=$!
t_at_exit "kill $NE_PID"
wait_port "$port" 20 || t_bail "the node exporter did not start: $(tail -3 "$SCRATCH/ne.log")"
curl -sf "http://127.0.0.1:$port/metrics" >"$SCRATCH/scrape"
t_is "the scrape succeeds" "$?" 0

t_is "node_textfile_scrape_error is 0" "$(metric "$SCRATCH/scrape" node_textfile_scrape_error)" 0
for i in a b; do
	t_is "tenant $i: its last exit status, as its run ended" \
		"$(metric "$SCRATCH/scrape" posync_last_exit_status "instance=\"tenant-$i\"")" \
		"$(metric "$MD/posync_po-import_tenant-$i.prom" posync_last_exit_status)"
done
t_is "tenant b: its waiting batch" \
	"$(metric "$SCRATCH/scrape" posync_queue_files 'instance="tenant-b",program="po-import",queue="po/new"')" 1
t_is "tenant a: no batch waiting" \
	"$(metric "$SCRATCH/scrape" posync_queue_files 'instance="tenant-a",program="po-import",queue="po/new"')" 0
t_is "every series of both files is served" \
	"$(grep -h '^posync_' "$MD"/*.prom | wc -l)" "$(grep -c '^posync_' "$SCRATCH/scrape")"
for i in a b; do
	t_ok "tenant $i's file's modification time is served too" grep -qF \
		"node_textfile_mtime_seconds{file=\"$MD/posync_po-import_tenant-$i.prom\"}" "$SCRATCH/scrape"
done
t_ok "the node exporter stops" kill "$NE_PID"
t_done
