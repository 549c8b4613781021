# bench/lib.sh -- what the bench scripts that run on the test bed share.
#
# Source it first:  . "$(dirname "$0")/lib.sh"
# It sources tests/lib.sh (TOP, BED, a scratch folder SCRATCH removed on
# exit, t_at_exit's cleanup list, free_port; the programs of $BUILD on
# PATH) and the whole bed (tests/bed/bed.sh: the sshd, the HotWax
# simulator, posync_conf and the preambles); nothing here prints TAP.
#
#   bench_built PROG...  each PROG is built (bed_missing), else "build
#                        first" on stderr and exit 1
#   ms                   milliseconds now, for a wall time

. "$(dirname "$0")/../tests/lib.sh"
. "$BED/bed.sh"

bench_built() {
	_p=$(bed_missing "$@") && { echo "build first: make ($_p)" >&2; exit 1; }
	:
}

ms() { echo $(($(date +%s%N) / 1000000)); }
