# tests/bed/metrics.sh -- what the metrics tests share.
#
# Source after lib.sh and posync.sh.
#   metrics_conf FILE SPOOL INSTANCE [section.key=value...]
#       a configuration for po-import alone, with no server: a HotWax on a
#       port nothing listens on, no retries (po-import with no batch never
#       calls it),
#       SPOOL, [metrics] textfile_dir $MD and instance INSTANCE; po-import
#       -c FILE then makes a real run that writes its metrics
#   metric FILE NAME [LABELS]
#       the value of NAME's series in the .prom FILE (LABELS: text the
#       series' labels must hold, e.g. queue="po/new"); nothing when none
#   metrics_pi FILE
#       po-import -c FILE, no input, its status kept in PI_ST, stderr in
#       $SCRATCH/pi.err
MD=$SCRATCH/metrics
mkdir -p "$MD"

metrics_conf() {
	_mf=$1 _ms=$2 _mi=$3
	shift 3
	( umask 077; echo token >"$SCRATCH/metrics.token" )
	mkdir -p "$_ms"
	{
		echo "[hotwax]"
		echo "base_url = https://127.0.0.1:$(free_port)/api/"
		echo "token_file = $SCRATCH/metrics.token"
		echo "retries = 0"
		echo "[spool]"
		echo "dir = $_ms"
		echo "[metrics]"
		echo "textfile_dir = $MD"
		echo "instance = $_mi"
		for _kv in "$@"; do
			echo "[${_kv%%.*}]"
			echo "${_kv#*.}"
		done
	} >"$_mf"
	chmod 600 "$_mf"
}

metric() {
	awk -v n="$2" -v l="${3:-}" '
		$1 !~ /^#/ { split($1, a, "{"); if (a[1] == n && index($1, l)) print $2 }' "$1"
}

metrics_pi() {
	po-import -c "$1" </dev/null >/dev/null 2>"$SCRATCH/pi.err"
	PI_ST=$?
}
