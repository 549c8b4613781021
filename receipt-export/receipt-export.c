/*
 * receipt-export -- HotWax receipts -> one NetSuite receipt file per run.
 *
 * Asks HotWax (performFind on ShipmentReceiptAndItem) for the receipts
 * received since its cursor minus [hotwax] receipt_overlap, keeps those not
 * in its ledger, and writes one JSON file into SPOOL/receipt/new listing,
 * for each NetSuite PO with new goods, exactly its lines still open in
 * NetSuite (contracts.md section 4; the rules are in
 * common/receipt_rules.c).
 * Prints the file's path.
 *
 * Promises:
 *   - every receipt ends up in exactly one file, whatever the overlap and
 *     wherever the program is killed: the file, the excess rows, the new
 *     state (ledger, per-line totals, cursor) and the POs to drop from the
 *     polines ledger are first written together into a journal
 *     (SPOOL/state/receipt-export.pending); then the file is committed
 *     under its deterministic name, the rest applied, and the journal
 *     removed.  A run that finds a journal rolls it forward first.
 *   - file names only grow: <prefix>_PurchaseOrderReceiptFeed_<UTC ms>.json,
 *     the time bumped past the last name's when the clock lags, because
 *     receipt-push publishes in name order.
 *   - a receipt whose line HotWax cannot name (no OrderItem externalId),
 *     or whose order HotWax cannot find, holds its PO back: nothing of it
 *     is exported and the query window keeps it in view (the cursor does
 *     not pass it, nor ever moves back), so it goes out on the first run
 *     after the data is fixed.  So does a receipt row HotWax got wrong
 *     (no id, order or item, a bad time or quantity): one bad row must
 *     not stop every other PO of an unattended job.
 *   - the first run, with no state, exports every receipt HotWax holds for
 *     a NetSuite PO; --start-at TIME instead writes a first state whose
 *     floor keeps every receipt dated before TIME out for good (the query
 *     starts there, and rx_input_receipt drops what HotWax dates before
 *     it);
 *     what those receipts accepted counts as received in NetSuite
 *     (receipt_seed.c), so a line they closed is not listed again and one
 *     they received in part gets at most what is left open.
 *   - the queue stays short: while the posync files in new/ are all ones
 *     receipt-push held back (NetSuite has not read the one before), the
 *     run's receipts are folded into them, under the publish lock taken
 *     without waiting; the fold is part of the journaled commit.
 *   - the cursor never passes this host's clock: a receipt HotWax dates
 *     ahead of it does not move the cursor, and is said once when it is
 *     more than receipt_overlap ahead (posync(7), CLOCKS).
 *
 * The parts: HotWax's rows become the run's input in receipt_fetch.c
 * (performFind paging in hotwax.c, --start-at's seed in receipt_seed.c),
 * the decisions are receipt_rules.c's (pure, tested from files), the
 * state file is receipt_state.c's, the commit receipt_journal.c's, the
 * fold receipt_fold.c's, excess.csv receipt_excess.c's.  This file keeps
 * the order of the steps.
 */
#include <errno.h>
#include <inttypes.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "hotwax.h"
#include "isotime.h"
#include "lock.h"
#include "msg.h"
#include "polines.h"
#include "prog.h"
#include "receipt_fetch.h"
#include "receipt_fold.h"
#include "receipt_journal.h"
#include "receipt_rules.h"
#include "receipt_run.h"
#include "receipt_seed.h"
#include "receipt_state.h"
#include "spill.h"
#include "spool.h"
#include "util.h"

#define DAY_MS		INT64_C(86400000)
/* main's at: no --start-at (a TIME is never before the epoch) */
#define NO_START_AT	(-1)
/* The lock's name is fixed, not argv[0]'s: a copy run through a link
 * with another name must still find the running one. */
#define LOCK_NAME	"receipt-export"
/* An allocation this large gets its own mapping (memory_tune). */
#define MMAP_FROM	(64 * 1024)
/* The polines compaction's chunk here (memory_tune): bytes, records. */
#define COMPACT_BYTES	(2 << 20)
#define COMPACT_RECS	(64 << 10)

struct run {
	const struct config *cfg;
	struct rx_spool *sp;	/* paths, -n, the publish lock */
	int dry;		/* -n: change nothing */
	struct hotwax *hw;
	struct rx_state *st;
};

static int64_t
overlap_ms(const struct run *r)
{
	return (int64_t)r->cfg->hotwax.receipt_overlap * 1000;
}

/* Where the run's temporary files go (receipt_run.h): spool/state, or
 * for -n, which may not write the spool (read-only, full), $TMPDIR. */
static const char *
spill_dir(const struct run *r)
{
	return r->dry ? spill_dry_dir() : rx_spool_state_dir(r->sp);
}

/* Fetch what the receipts need from HotWax and the polines ledger (their
 * orders and items, the polines records, --start-at's seed) and decide
 * (receipt_rules.h), a chunk of POs at a time (receipt_run.h): fills j
 * (name empty when no file).  *changed: there is anything to record at
 * all.  0, EX_DATAERR (something held back), or the status that stops
 * the run.  Once decided, the input and its spill are freed (*in NULL):
 * what the commit needs is in d, the file's text and the state. */
static int
fetch_and_decide(struct run *r, struct rx_input **in, struct rx_journal *j,
    int *changed)
{
	struct rx_decision d;
	struct spill_text file;
	int rc;

	spill_text_init(&file, spill_dir(r));
	rx_decide_begin(&d);
	rc = rx_run(r->hw, r->cfg, *in, r->st, &d, &file);
	spill_free(rx_input_spill(*in));
	rx_input_free(*in);
	*in = NULL;
	if (rc == 0) {
		rx_decision_say(&d, r->cfg->hotwax.base_url);
		*changed = rx_decision_changed(&d);
		if ((rc = rx_journal_decided(j, &d, &file, r->st,
		    r->cfg->netsuite.receipt_prefix, now_ms())) == 0)
			rc = rx_decision_status(&d);
	}
	spill_text_free(&file);
	rx_decision_free(&d);
	return rc;
}

/* The cursor never passes this host's clock; finding it ahead means the
 * clock was set back (or an older posync followed a receipt dated in the
 * future).  It cannot be moved back safely -- the ledger has forgotten
 * what lies before its window -- so say it every run until a person
 * looks (posync(7), CLOCKS). */
static void
check_cursor(struct run *r)
{
	int64_t now = now_ms(), floor = rx_state_floor(r->st),
	    cursor = rx_state_cursor(r->st), last = rx_state_last(r->st);
	const char *path = rx_spool_state_path(r->sp);

	/* no receipt dated before the floor goes out: one ahead of the
	 * clock stalls every run until then */
	if (floor > now)
		msg_warn("%s: the floor (--start-at) is %" PRId64 " s ahead of "
		    "this host's clock: no receipt dated before it is exported; "
		    "see receipt-export(1), --start-at", path,
		    (floor - now) / 1000);
	if (cursor > now + overlap_ms(r))
		msg_warn("%s: the cursor is %" PRId64 " s ahead of this host's "
		    "clock (set back?); receipts HotWax dates before it, less "
		    "[hotwax] receipt_overlap, are not seen: see posync(7), CLOCKS",
		    path, (cursor - now) / 1000);
	/* each new file is named after last + 1 at the least: a last far
	 * ahead names files ahead of the clock, sorted behind every file a
	 * person queues meanwhile */
	if (last > now + DAY_MS)
		msg_warn("%s: last is %" PRId64 " s ahead of this host's clock "
		    "(set back?); receipt files are named after it, not the "
		    "clock: see posync(7), CLOCKS", path,
		    (last - now) / 1000);
}

/* The run's file, folded with the waiting ones when it may be (under
 * the publish lock, taken here and held through the commit; it reads the
 * files in new/); a run with nothing new still folds a backlog.  0 when
 * there is nothing to do at all, else 1. */
static int
fold_under_lock(struct run *r, struct rx_journal *j, int fresh)
{
	if (fresh)
		return rx_fold_only(r->sp, r->st, j);
	if (*rx_journal_name(j))
		rx_fold_prepare(r->sp, j, RX_FOLD_INTO_NEW);
	else
		rx_fold_only(r->sp, r->st, j);
	return 1;
}

static int
export(struct run *r)
{
	struct rx_journal j = { 0 };
	struct rx_input *in;
	int rc, changed = 0, said = 0;

	if ((rc = hotwax_open(r->cfg, &r->hw)) != 0)
		return rc;
	in = rx_input_new(r->st, now_ms(), overlap_ms(r),
	    (int64_t)r->cfg->spool.keep_days * DAY_MS, r->cfg->hotwax.base_url);
	/* the receipts wait on disk, not in memory (receipt_run.h) */
	rx_input_spill_to(in, spill_new(spill_dir(r)));
	check_cursor(r);
	rc = rx_fetch_receipts(r->hw, r->cfg, r->st, in);
	if (rc == 0 && rx_input_empty(in)) {
		/* nothing new: a backlog is still folded, else silence */
		if (!fold_under_lock(r, &j, 1))
			goto out;
	} else {
		if (rc == 0)
			rc = fetch_and_decide(r, &in, &j, &changed);
		if (!exit_done(rc))
			goto out;
		fold_under_lock(r, &j, 0);
	}
	if (r->dry) {
		rc = exit_merge(rc, rx_journal_show(&j));
		if (rx_journal_has_excess(&j))
			rc = exit_merge(rc, EX_DATAERR);
		goto out;
	}
	if (!changed && rx_journal_empty(&j))
		goto out;
	rc = exit_merge(rc, rx_journal_commit(r->sp, &j, r->st, &said));
	if (said)
		rc = exit_merge(rc, EX_DATAERR);
out:
	if (in)
		spill_free(rx_input_spill(in));
	rx_input_free(in);
	rx_journal_free(&j);
	rx_spool_unlock(r->sp);
	hotwax_close(r->hw);
	r->hw = NULL;
	return rc;
}

/* --start-at: refuse when a state or journal is there -- replacing it
 * would forget what was exported -- or when TIME is further ahead of the
 * clock than receipt_overlap (a typo would stall every run until then);
 * else write the first state: the floor at TIME (receipt_fetch and
 * receipt_rules honour it, receipt_seed counts what lies before it), the
 * cursor there too, or at the clock when TIME is ahead of it (a cursor
 * never passes the clock).  Nothing is exported; -n prints the state
 * instead. */
static int
start_at(struct run *r, int64_t at)
{
	const char *state = rx_spool_state_path(r->sp);
	const char *v[2] = { rx_spool_journal_path(r->sp), state };
	struct stat sb;
	struct buf b = { 0 };
	int64_t now = now_ms();
	int i, rc = 0;

	for (i = 0; i < 2; i++) {
		if (lstat(v[i], &sb) == 0) {
			msg_warn("%s exists: --start-at only starts a spool that has "
			    "no state; to start afresh, check in NetSuite which "
			    "receipts it has, move the state and journal aside, "
			    "then run --start-at again (receipt-export(1), CAVEATS)",
			    v[i]);
			return EX_USAGE;
		}
		if (errno != ENOENT) {
			msg_warnerr("%s", v[i]);
			return EX_IOERR;
		}
	}
	if (at > now + overlap_ms(r)) {
		msg_warn("--start-at: TIME is %" PRId64 " s ahead of this host's "
		    "clock, more than [hotwax] receipt_overlap: a typo? nothing "
		    "would be exported until then; no state written",
		    (at - now) / 1000);
		return EX_USAGE;
	}
	rx_state_set_floor(r->st, at);
	rx_state_set_cursor(r->st, at < now ? at : now);
	rx_state_format(r->st, &b);
	if (r->dry)
		fwrite(b.s, 1, b.len, stdout);
	else if ((rc = spool_write_atomic(state, b.s, b.len)) == 0)
		msg_info("%s: written; no receipt dated before %" PRId64
		    " (epoch ms) will be exported", state, at);
	buf_free(&b);
	return rc;
}

/* at: --start-at's TIME (epoch ms), or NO_START_AT for a run that
 * exports. */
static int
receipt_export(const struct config *cfg, int dry, int64_t at)
{
	struct run r = { 0 };
	int rc, excess = 0;

	/* receipt_prefix: config.c checked it (name_ok) */
	r.cfg = cfg;
	r.dry = dry;
	r.sp = rx_spool_new(cfg, dry);
	r.st = rx_state_new();
	/* only a run that read its whole state exports (else it would
	 * export again what it forgot); excess rows said while finishing
	 * an interrupted run are 65, and the run goes on */
	if (at != NO_START_AT)
		rc = start_at(&r, at);
	else if ((rc = rx_journal_load(r.sp, r.st, &excess)) == 0)
		rc = exit_merge(excess ? EX_DATAERR : 0, export(&r));
	rx_state_free(r.st);
	rx_spool_free(r.sp);
	return rc;
}

/* --start-at TIME (prog.h: an option of receipt-export's own) */
static int
set_start_at(const char *arg, void *ctx)
{
	int64_t *at = ctx;
	const char *why;
	char *q;

	if (isotime_parse(arg, at, &why) == 0)
		return 0;
	q = msg_quote(arg, strlen(arg));
	msg_warn("--start-at %s: %s", q, why);
	free(q);
	return EX_USAGE;
}

static const struct prog_opt opts[] = {
	{ "start-at", "TIME", "first run only: write a state that exports nothing\n"
	    "dated before TIME (YYYY-MM-DDTHH:MM:SS[.fff], then Z\n"
	    "or +HH:MM/-HH:MM), and export nothing now", set_start_at, 0 },
	{ NULL, NULL, NULL, NULL, 0 }
};

static const struct prog_spec spec = {
	.lock = LOCK_NAME,
	.area = "receipt",
	.operands = NULL,
	.dry = "dry run: print the receipt file it would write,\nchange nothing",
	.opts = opts,
};

/*
 * A run's large arrays (its receipts, the state, the file's text) are
 * freed as soon as they are done with; glibc's default threshold for
 * giving them their own mapping moves up with each one freed, after
 * which they come from the heap and their pages stay in the process
 * once freed: the peak RSS is then the sum, not the largest working
 * set.  A fixed threshold keeps each big one its own mapping, returned
 * on free and grown by mremap without a copy (issue 12, P4).
 * The polines compaction of the POs a run completes runs while the run's
 * state is held: its chunk is a quarter of the default (2 MiB and 64 Ki
 * records, not 8 MiB and 256 Ki), a ledger past it merged from more
 * sorted runs instead.
 */
static void
memory_tune(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, MMAP_FROM);
	mallopt(M_TRIM_THRESHOLD, MMAP_FROM);
#endif
	polines_tune(COMPACT_BYTES, COMPACT_RECS, 0);
}

int
main(int argc, char **argv)
{
	struct prog *prog;
	struct config cfg;
	int64_t at = NO_START_AT;
	char *cur;
	int st;

	memory_tune();
	prog = prog_parse(&spec, argc, argv, &at);
	if ((st = prog_start(prog, &cfg)) == 0) {
		st = receipt_export(&cfg, prog_dry(prog), at);
		/* once a day: POs NetSuite stopped exporting leave the
		 * polines ledger even when no PO completes; only after a
		 * run that did its work (a refused one changes nothing) */
		if (!prog_dry(prog) && exit_done(st)) {
			cur = spool_area_path(cfg.spool.dir, "receipt", "cur");
			st = exit_merge(st, spool_prune(cur, cfg.spool.keep_days));
			free(cur);
			st = exit_merge(st, polines_tidy(cfg.spool.dir, time(NULL),
			    cfg.spool.polines_keep_days));
		}
	}
	return prog_finish(prog, st);
}
