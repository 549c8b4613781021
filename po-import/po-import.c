/*
 * po-import -- upload PO batches to HotWax and follow their import.
 *
 *   po-import [-nv] [-c config] [batch.json ...]
 *
 * Batches (JSON arrays of PO lines, contracts.md section 2) are the
 * arguments, exactly, in the order given; else the batches waiting in
 * SPOOL/po/new when the run began, in the order NetSuite exported them
 * (their mtime there, set by po-export-parse by the SFTP server's clock,
 * spool_list_entered: an older export never overwrites a newer one in
 * HotWax), then the paths on stdin in the order given, one
 * a line (a batch
 * of new/ taken already this run is not taken again); else, when stdin
 * gave nothing, whatever else new/ holds by then.  Taking new/ first means
 * that what a failed run left goes before newer batches, in the next cron
 * tick, instead of waiting for a tick in which NetSuite exported nothing.
 * A batch named from outside new/ is first copied into new/, so that the
 * spool holds every batch it is asked to import.  Each batch is sent to
 * uploadJsonFile with [hotwax] config_id; HotWax answers with the id of a
 * data-manager log, which is written to cur/STEM.logid before the batch
 * moves from new/ to cur/.  Then every log in cur/ without a STEM.logdone
 * is followed (GET dataManagerLogs/ID) for at most [hotwax] log_wait
 * seconds; rows HotWax failed are reported and written to
 * failed/STEM.rows.json with a .err beside it, and STEM.logdone closes
 * the log.  (STEM is the batch's name without ".json".)
 *
 * STEM.logid is the record that HotWax has the batch, and it is made so
 * that a disk that fills up or fails costs no second upload: before the
 * upload its room is taken (the file written whole, LOGID_SIZE bytes of a
 * placeholder, fsync'd: a full disk stops the run here, exit 74, before
 * HotWax has anything); HotWax's log id is then written over those same
 * bytes and fsync'd; only then does the batch move to cur/.  A batch in
 * new/ beside a log id (the move failed, or the run died before it) is
 * moved by the next run without a new upload; beside the placeholder
 * (the run died during the upload) it is uploaded.  At the first local
 * write error no other batch is uploaded in that run.
 *
 * Promises:
 *  - A batch leaves new/ only after HotWax accepted it and its log id is
 *    on disk; a batch in cur/, or in new/ beside its log id, is never
 *    uploaded again.  Only a crash after HotWax accepted the batch and
 *    before its log id is fsync'd uploads it again on the next run, which
 *    HotWax's upsert (keyed by PO and line id) makes harmless.
 *  - A batch and its .logid stay in cur/ while its log is followed,
 *    however old (pruning goes by when a file reached cur/, and after
 *    keep_days spares them): its failed rows are always named.
 *  - log_wait holds within about a second however many logs there are
 *    and however slowly HotWax answers: the time is checked before each
 *    look, and no request outlives it.
 *  - A batch HotWax refuses for good, in its own words, goes to failed/
 *    with them in its .err; a transient failure leaves it (and every later
 *    batch) in new/ for the next run, exit 75; an answer that is not
 *    HotWax speaking (a wrong base_url's 404) likewise, exit 76.  A batch
 *    named from outside new/ reaches new/ even after such a stop.
 *  - A batch sent back to new/ takes back with it the batches of cur/
 *    made or accepted after it, or after one that joined, with the same
 *    POs (back_to_new, mark_sharing): an older
 *    batch is never uploaded again after a newer one of its POs.  They go
 *    back all or none (held in cur/, said, exit 65), in an order a crash
 *    cannot break, keeping their order made (chain_times).
 *  - Every row a log does not show to have gone in is in the rows file:
 *    when the log does not say which rows failed, the whole batch.
 *  - A log still pending when log_wait ends is followed by the next run,
 *    and the run exits 0: HotWax being slow is normal.  A log pending for
 *    more than PENDING_WARN_H hours is said on stderr, exit 75.
 *  - Quiet when all went well; -v says what happens, -n says on stdout
 *    which batches would be uploaded and changes nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "hotwax.h"
#include "input.h"
#include "lock.h"
#include "logid.h"
#include "map.h"
#include "metrics.h"
#include "msg.h"
#include "pocsv.h"
#include "prog.h"
#include "safename.h"
#include "spool.h"
#include "util.h"

#define BATCH_EXT	".json"	/* a batch's name: STEM.json */
#define BATCH_MAX	(64u << 20)	/* bytes of one batch file */
#define POLL_FIRST_MS	200
#define POLL_MAX_MS	5000
#define PENDING_WARN_H	6

struct run {
	struct config cfg;
	char *area;		/* SPOOL/po */
	char *newdir, *curdir, *faildir;
	char *newreal, *curreal;	/* realpath of new/ and cur/ */
	struct hotwax *h;
	int hstatus;		/* hotwax_open's status, once tried */
	int dry;
	int stop;		/* HotWax is unusable: leave the rest for later */
	int wfail;		/* a local write failed: upload nothing more */
	size_t shown;		/* failed rows said on stderr, at most MSG_SHOWN */
	size_t done;		/* batches uploaded */
	struct map *seen;	/* names of new/'s batches taken this run */
	size_t fed;		/* paths read from stdin */
};

/* Say why name is refused (spool_name_why): EX_DATAERR. */
static int
bad_name(const char *path, const char *name)
{
	char *why = spool_name_why(name, BATCH_EXT, "batch");
	char *q = msg_quote(path, strlen(path));

	msg_warn("%s: not imported: %s", q, why ? why : "refused");
	free(q);
	free(why);
	return EX_DATAERR;
}

/* A batch's STEM (its name less BATCH_EXT: it passed spool_name_ok)
 * with suffix. */
static char *
stem_with(const char *name, const char *suffix)
{
	return xasprintf("%.*s%s", (int)(strlen(name) - strlen(BATCH_EXT)),
	    name, suffix);
}

/* In a dry run, a spool folder that does not exist is an empty one. */
static int
dry_absent(const struct run *r, const char *dir)
{
	struct stat st;

	return r->dry && stat(dir, &st) < 0 && errno == ENOENT;
}

static int
open_hotwax(struct run *r)
{
	if (!r->h && !r->hstatus)
		r->hstatus = hotwax_open(&r->cfg, &r->h);
	if (r->hstatus)
		r->stop = 1;
	return r->hstatus;
}

/* The batch's text and array; EX_DATAERR (said) when it is not a batch. */
static int
load_batch(const char *path, char **data, size_t *len, cJSON **rows)
{
	cJSON *e;
	size_t i = 0;

	*rows = NULL;
	if (read_file(path, BATCH_MAX, data, len) < 0) {
		if (errno == EFBIG) {
			msg_warn("%s: larger than %u bytes: not a batch", path, BATCH_MAX);
			return EX_DATAERR;
		}
		msg_cannot_read(path);
		/* a wrong name given is no input (66); a failing disk is not */
		return input_status(errno);
	}
	*rows = cJSON_ParseWithLength(*data, *len);
	if (!cJSON_IsArray(*rows)) {
		msg_warn("%s: not a JSON array of PO lines", path);
		goto bad;
	}
	cJSON_ArrayForEach(e, *rows) {
		if (!cJSON_IsObject(e)) {
			msg_warn("%s: element %zu is not a JSON object", path, i);
			goto bad;
		}
		i++;
	}
	return 0;
bad:
	cJSON_Delete(*rows);
	*rows = NULL;
	free(*data);
	*data = NULL;
	return EX_DATAERR;
}

/*
 * STEM.logid, before and after the upload (its format: common/logid.h).
 * Before it, reserve() writes the file whole (logid_reserve: held,
 * fsync'd), so that a full or failing disk stops the run before HotWax
 * has the batch; after HotWax's answer, fill() writes the log id over
 * the held line (logid_fill), which needs no new space, and fsyncs it;
 * only then does the batch move to cur/.  Its "made" line, written by
 * reserve() and left by fill(), is when the batch was made (its mtime in
 * new/), so that a batch sent back to new/ for a second upload keeps its
 * place in new/'s order (back_to_new; spool_move stamps a batch reaching
 * cur/ with the time of the move).  The held line's blanks make a torn
 * write over it read as no id at all, never a shorter one.  (On a
 * copy-on-write filesystem an overwrite may still need room; fill()
 * failing is then said, exit 74, and the next run uploads the batch
 * again: harmless, as a crash at that point is.  The rename into cur/
 * may need a directory block; a failure there costs no second upload,
 * the log id being on disk.)
 *
 * What the file says, read by logid_of():
 *   LOGID_IS_HELD   the upload was not confirmed: the batch is (still, or
 *                   again) in new/ and its next upload overwrites the file;
 *   LOGID_IS_REAL   HotWax took the batch as log ID: a batch still in new/
 *                   beside it is moved to cur/ without a second upload;
 *   LOGID_IS_NONE   no file;
 *   LOGID_IS_UNREAD it cannot be read (said): whether HotWax took the
 *                   batch is unknown, so a batch in new/ beside it waits
 *                   there (74), in a dry run too;
 *   LOGID_IS_BAD    anything else (damaged: an empty file, a stray blank):
 *                   the log it named is unknown, so the batch is uploaded
 *                   again (to_follow), never pruned unreported;
 *   LOGID_IS_LATER  a later posync's: a higher number in the version
 *                   line.  Its layout is not this one, so nothing in it is
 *                   read: the batch is left where it is (logid_later),
 *                   neither uploaded again nor pruned.
 */
static char *
logid_path(const struct run *r, const char *name)
{
	char *f = stem_with(name, ".logid"), *s = path_join(r->curdir, f);

	free(f);
	return s;
}

/* What cur/STEM.logid of the batch name says (logid.h); *id (malloc'd)
 * for LOGID_IS_REAL, when id is not NULL. */
static enum logid_is
logid_of(const struct run *r, const char *name, char **id)
{
	char *p = logid_path(r, name);
	enum logid_is k = logid_read(p, id);

	free(p);
	return k;
}

/* cur/STEM.logid of the batch name is a later posync's (LOGID_IS_LATER):
 * whether HotWax has the batch, and under which log, is not known here.
 * The batch at where is left as it is -- not uploaded (HotWax may have
 * it), not sent back, not pruned -- until the later posync runs again or
 * a person acts: EX_CONFIG, as for a later posync's ledger (polines.c). */
static int
logid_later(const struct run *r, const char *name, const char *where)
{
	char *p = logid_path(r, name), *then;

	then = xasprintf("%s left as it is, not uploaded; run that posync, "
	    "or see po-import(1), FILES", where);
	logid_later_said(p, then);
	free(then);
	free(p);
	return EX_CONFIG;
}

/* The batch at path's mtime (in new/: when it was made); now when it
 * cannot be looked at. */
static struct timespec
mtime_of(const char *path)
{
	struct timespec t;
	struct stat st;

	if (lstat(path, &st) == 0)
		return st.st_mtim;
	clock_gettime(CLOCK_REALTIME, &t);
	return t;
}

/* When the batch name, at path in cur/, was made: the "made" line of its
 * .logid (see above); else (a .logid of an older posync, or damaged
 * there) its mtime, the time it reached cur/, the best left; *known says
 * which (back_to_new then orders the batches it sends back by that time:
 * chain_times). */
static struct timespec
made_of(const struct run *r, const char *name, const char *path, int *known)
{
	char *p = logid_path(r, name);
	struct timespec t;

	*known = logid_made(p, &t) == 0;
	free(p);
	return *known ? t : mtime_of(path);
}

/* 1 when cur/STEM.logdone of the batch name is there. */
static int
logdone(const struct run *r, const char *name)
{
	char *f = stem_with(name, ".logdone"), *s = path_join(r->curdir, f);
	struct stat st;
	int there = lstat(s, &st) == 0;

	free(f);
	free(s);
	return there;
}

/* Room for the log id, before the upload (see above); made: when the
 * batch was made. */
static int
reserve(struct run *r, const char *name, struct timespec made)
{
	char *p = stem_with(name, ".logdone"), *s;
	int st;

	s = path_join(r->curdir, p);
	if (unlink(s) < 0 && errno != ENOENT)	/* a stale one from an older batch */
		msg_warnerr("cannot remove %s", s);
	free(p);
	free(s);
	s = logid_path(r, name);
	st = logid_reserve(s, made);
	free(s);
	return st;
}

/* The log id over the reserved bytes, fsync'd. */
static int
fill(struct run *r, const char *name, const char *log_id)
{
	char *s = logid_path(r, name);
	int ret = logid_fill(s, log_id);

	free(s);
	return ret;
}

/* HotWax did not take the batch: its placeholder goes (one left behind
 * is harmless: it names no log, and is pruned with cur/). */
static void
unreserve(struct run *r, const char *name)
{
	char *s = logid_path(r, name);

	if (unlink(s) < 0 && errno != ENOENT)
		msg_warnerr("cannot remove %s", s);
	free(s);
}

/* HotWax has the batch as log_id: record it, then move the batch (the
 * promises above).  A failure here stops the uploads of this run. */
static int
accepted(struct run *r, const char *name, const char *log_id)
{
	int st;

	if ((st = fill(r, name, log_id)) == 0)
		st = spool_move(r->area, "new", "cur", name);
	if (st) {
		msg_warn("%s/%s: HotWax took it as log %s, but %s; no other batch "
		    "is uploaded this run", r->newdir, name, log_id, logid_of(r,
		    name, NULL) == LOGID_IS_REAL ? "it could not be moved to cur/: the "
		    "next run moves it without uploading it again" : "its log id "
		    "could not be written: the next run uploads it again");
		r->wfail = 1;
	}
	return st;
}

/* new/NAME was taken by HotWax before (a real log id beside it, no
 * .logdone): the move a run did not finish, without a second upload. */
static int
finish_move(struct run *r, const char *name, const char *log_id)
{
	int st;

	msg_info("%s/%s: HotWax took it already, as log %s: moved to cur/ "
	    "without a new upload", r->newdir, name, log_id);
	if ((st = spool_move(r->area, "new", "cur", name)) != 0)
		r->wfail = 1;
	return st;
}

static int
upload(struct run *r, const char *name, const char *path, size_t nrows)
{
	char *id = NULL, *seen = NULL, *why = NULL;
	int st;

	if ((st = open_hotwax(r)) != 0)
		return st;
	if ((st = reserve(r, name, mtime_of(path))) != 0) {
		msg_warn("%s: not uploaded: no room could be made for its log id "
		    "in %s; it and every later batch stay in new/ for the next run",
		    path, r->curdir);
		r->wfail = 1;
		return st;
	}
	msg_info("uploading %s (%zu PO lines)", path, nrows);
	st = hotwax_upload_batch(r->h, r->cfg.hotwax.config_id, path, name,
	    &id, &seen, &why);
	if (st == EX_DATAERR) {
		/* hotwax said which URL and why; the .err keeps it for a person */
		st = spool_fail(r->area, "new", name, "HotWax refused the batch %s "
		    "(POST %s" HOTWAX_UPLOAD ", configId %s): %s\n", name,
		    r->cfg.hotwax.base_url, r->cfg.hotwax.config_id,
		    why ? why : "no reason given");
		free(why);
		if (st)
			r->wfail = 1;
		else {
			metric_add(M_BATCHES_FAILED, 1);	/* in failed/: once */
			unreserve(r, name);
		}
		return st ? st : EX_DATAERR;
	}
	free(why);
	if (st) {
		msg_info("%s stays in new/ for the next run", path);
		unreserve(r, name);
		r->stop = 1;
		return st;
	}
	/* Only a logId says HotWax took the batch: a 2xx without one is a
	 * wrong base_url or something posing as HotWax (a proxy answering
	 * {}), and moving the batch to cur/ would lose its POs.  It stays in
	 * new/, and so does every later batch: the next run uploads them
	 * again, harmless under HotWax's upsert. */
	if (!id) {
		msg_warn("%s: the answer to POST %s" HOTWAX_UPLOAD " holds no "
		    "usable logId, so HotWax is not known to have the batch; it "
		    "stays in new/ (is [hotwax] base_url right?). The answer: %s",
		    path, r->cfg.hotwax.base_url, seen);
		free(seen);
		unreserve(r, name);
		r->stop = 1;
		return EX_PROTOCOL;
	}
	msg_info("%s accepted: data-manager log %s", name, id);
	metric_add(M_BATCHES_UPLOADED, 1);	/* HotWax has it, whatever follows */
	st = accepted(r, name, id);
	free(id);
	if (!st)
		r->done++;
	return st;
}

/* A batch of this name is in cur/ already: names are derived from
 * content, so the same name is the same batch, unless its content says
 * otherwise. */
static int
imported_before(struct run *r, const char *path, const char *name,
    const char *data, size_t len, int in_new)
{
	char *curpath = path_join(r->curdir, name), *newpath, *old = NULL;
	size_t oldlen;
	int st = 0;

	if (read_file(curpath, BATCH_MAX, &old, &oldlen) == 0 &&
	    oldlen == len && memcmp(old, data, len) == 0) {
		msg_info("%s: already imported (%s), skipped", path, curpath);
		newpath = path_join(r->newdir, name);
		if (in_new && !r->dry && unlink(newpath) == 0)
			fsync_dir(r->newdir);
		free(newpath);
	} else {
		msg_warn("%s: a different batch of this name was imported "
		    "already (%s); rename it to import it", path, curpath);
		st = EX_DATAERR;
	}
	free(old);
	free(curpath);
	return st;
}

/* A batch from outside new/ is copied in first, so that the spool holds
 * it even when HotWax is down. */
static int
copy_in(struct run *r, const char *path, const char *name, const char *data,
    size_t len)
{
	char *newpath = path_join(r->newdir, name), *old = NULL;
	size_t oldlen;
	struct stat s1;
	int st;

	if (stat(newpath, &s1) == 0 && (read_file(newpath, BATCH_MAX, &old,
	    &oldlen) < 0 || oldlen != len || memcmp(old, data, len) != 0)) {
		msg_warn("%s: a different batch of this name waits in %s",
		    path, r->newdir);
		st = EX_DATAERR;
	} else if ((st = spool_deliver(r->area, "new", name, data, len)) != 0) {
		r->wfail = 1;	/* the disk: upload nothing more this run */
	}
	free(old);
	free(newpath);
	return st;
}

/* One batch path, from wherever it came. */
static int
batch(const char *path, void *arg)
{
	struct run *r = arg;
	const char *name = path_base(path);
	const char *const cur[] = { "cur", NULL };
	char *data = NULL, *newpath = NULL, *id = NULL;
	size_t len, nrows;
	cJSON *rows = NULL;
	int st, in_new, taken, k;

	/* a batch's name becomes a path component and a message: the
	 * spool's one rule (safename.h) first */
	if (!spool_name_ok(name, BATCH_EXT))
		return bad_name(path, name);
	if (spool_in(r->curreal, path)) {
		msg_info("%s: already imported, skipped", path);
		return 0;
	}
	/* A batch already in new/ waits there; one from elsewhere is still
	 * copied in below, so that it is not lost when HotWax is down. */
	in_new = spool_in(r->newreal, path);
	if ((r->stop || r->wfail) && in_new) {
		msg_info("%s: left in new/ for the next run", path);
		return 0;
	}
	if ((st = load_batch(path, &data, &len, &rows)) != 0)
		return st;
	nrows = (size_t)cJSON_GetArraySize(rows);
	cJSON_Delete(rows);
	if (spool_has(r->area, cur, name)) {
		st = imported_before(r, path, name, data, len, in_new);
		goto out;
	}
	/* HotWax took it already, and the move to cur/ was not done */
	if ((k = logid_of(r, name, &id)) == LOGID_IS_LATER) {
		st = logid_later(r, name, path);
		goto out;
	}
	if (k == LOGID_IS_UNREAD) {	/* said: whether HotWax took it is unknown */
		msg_warn("%s: not uploaded while its .logid in cur/ cannot be read", path);
		st = EX_IOERR;
		goto out;
	}
	taken = k == LOGID_IS_REAL && !logdone(r, name);
	if (r->dry) {
		if (taken)
			msg_info("%s: HotWax took it already (log %s): a run "
			    "would move it to cur/ without uploading it", path, id);
		else
			printf("%s\n", path);
		goto out;
	}
	if (!in_new && (st = copy_in(r, path, name, data, len)) != 0)
		goto out;
	newpath = path_join(r->newdir, name);
	if (taken)
		st = finish_move(r, name, id);
	else if (r->stop || r->wfail)
		msg_info("%s: copied to %s, left there for the next run", path,
		    newpath);
	else
		st = upload(r, name, newpath, nrows);
out:
	free(id);
	free(data);
	free(newpath);
	return st;
}

/* ---- which batches, in which order ---- */

/* Was the batch name of new/ taken already in this run? */
static int
seen(const struct run *r, const char *name)
{
	return r->seen && map_get(r->seen, name) != NULL;
}

static void
seen_add(struct run *r, const char *name)
{
	if (!r->seen)
		r->seen = map_new(1);
	map_put(r->seen, name, NULL);
}

/* Every batch in new/ not taken yet this run, in the order they were
 * made (spool_list_entered). */
static int
take_new(struct run *r)
{
	char **v, *p;
	size_t n, i;
	int st;

	if (dry_absent(r, r->newdir))
		return 0;
	if ((st = spool_list_entered(r->newdir, ".json", &v, &n)) != 0)
		return st;
	for (i = 0; i < n; i++) {
		if (seen(r, v[i]))
			continue;
		p = path_join(r->newdir, v[i]);
		st = exit_merge(st, batch(p, r));
		free(p);
		seen_add(r, v[i]);
	}
	spool_list_free(v);
	return st;
}

/* input_loop's function for stdin.  A line naming a batch of new/ that
 * this run took already (po-export-parse names again a batch a dead run
 * wrote, and new/ was taken first) is skipped: that batch has moved on,
 * to cur/ or failed/, or stays for the next run. */
static int
fed(const char *path, void *arg)
{
	struct run *r = arg;
	const char *name = path_base(path);
	int st;

	r->fed++;
	if (!spool_in(r->newreal, path))
		return batch(path, r);
	if (seen(r, name)) {
		msg_info("%s: taken already in this run", path);
		return 0;
	}
	st = batch(path, r);
	seen_add(r, name);
	return st;
}

/* The run's batches, as the top of the file says.  new/ is listed before
 * stdin is read: a batch po-export-parse writes meanwhile is in the
 * listing or on stdin, and taken once either way. */
static int
take_batches(struct run *r, int argc, char **argv)
{
	int st;

	if (argc > 0)
		return input_loop(argc, argv, NULL, ".json", batch, r);
	st = take_new(r);
	/* no spool folder: new/ is taken here, not by input_loop */
	st = exit_merge(st, input_loop(0, argv, NULL, ".json", fed, r));
	if (!r->fed)
		st = exit_merge(st, take_new(r));
	return st;
}

/* ---- following the data-manager logs ---- */

/* Where following a log stands. */
enum follow {
	LOG_CLOSED,		/* over, or no longer ours to follow this run */
	LOG_OPEN,		/* still to follow */
	LOG_OVERDUE		/* still to follow, pending for more than
				 * PENDING_WARN_H hours (said): exit 75 if it
				 * still is at the end of the run */
};

struct pending {
	char *name;		/* the batch, STEM.json */
	char *id;
	enum follow open;
};

static const char *
row_str(const cJSON *row, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, key));

	return s ? s : "?";
}

/*
 * What a finished log says about its batch.  HotWax names a failed row by
 * its index in the batch; an error naming no row of it (rowIndex null,
 * not a whole number, out of range), a failedRecordCount above the rows
 * named, a failedRecordCount or totalRecordCount missing or not a count,
 * a totalRecordCount that is not the batch's size, or a job that
 * failed as a whole (SERVICE_FAILED) leaves the set of failed rows
 * unknown.  Then every row goes to the rows file: sending a row HotWax
 * took already is an update of the same line (contracts.md section 2),
 * losing one is a PO line missing in the Receiving app.
 */
struct verdict {
	cJSON *rows;		/* the batch, or NULL when it cannot be read */
	size_t nrows;
	const cJSON **at;	/* rows by index (cJSON's own look-up walks the list) */
	unsigned char *named;	/* by row index: an error names it */
	size_t nnamed;		/* distinct rows named */
	size_t unnamed;		/* errors naming no row of the batch */
	double frc, trc;	/* failedRecordCount, totalRecordCount; -1: none */
	int whole;		/* SERVICE_FAILED */
	struct buf why;		/* the .err's lines */
};

/* Say each error of the log (the first MSG_SHOWN rows of the run on
 * stderr, every one in the .err) and mark the rows they name. */
static void
log_errors(struct run *r, const struct pending *p, const char *bpath,
    const cJSON *lg, struct verdict *v)
{
	const cJSON *e;
	size_t n = 0;
	char *s, *q;

	cJSON_ArrayForEach(e, hotwax_log_errors(lg)) {
		const char *m = hotwax_log_message(e);
		long i = hotwax_log_row(e, v->nrows);
		const cJSON *row = i >= 0 ? v->at[i] : NULL;

		/* HotWax's words, quoted: a message holding '\n' or '"' is seen
		 * as theirs, never as a line or words of posync's */
		q = m ? msg_quote(m, strlen(m)) : xstrdup("no reason given");
		if (row)
			s = xasprintf("%s row %ld (PO %s, line %s, SKU %s): HotWax log "
			    "%s: %s", bpath, i, row_str(row, POCSV_J_PO),
			    row_str(row, POCSV_J_ITEM), row_str(row, POCSV_J_SKU),
			    p->id, q);
		else
			s = xasprintf("%s (no row of the batch named): HotWax log %s: %s",
			    bpath, p->id, q);
		free(q);
		if (r->shown < MSG_SHOWN) {
			msg_warn("%s", s);
			r->shown++;
		} else {
			n++;
		}
		esc_linef(&v->why, "%s", s);
		free(s);
		if (!row)
			v->unnamed++;
		else if (!v->named[i]) {
			v->named[i] = 1;
			v->nnamed++;
		}
	}
	if (n)
		msg_warn("%s: %zu more rows failed in HotWax log %s (all are in the "
		    "rows file's .err)", bpath, n, p->id);
}

/* How many rows failed, and which go to the rows file: NULL when none.
 * The rows of the batch that are not known to have gone in. */
static cJSON *
log_judge(const struct pending *p, const char *bpath, struct verdict *v,
    size_t *nfailed)
{
	cJSON *bad;
	size_t i;
	double said = (double)(v->nnamed + v->unnamed);

	*nfailed = v->nnamed;
	if (!v->whole && !v->unnamed && v->frc >= 0 && v->trc >= 0 &&
	    v->frc <= (double)v->nnamed &&
	    (!v->rows || v->trc == (double)v->nrows)) {
		if (!v->nnamed)
			return NULL;
		bad = cJSON_CreateArray();
		for (i = 0; i < v->nrows; i++)
			if (v->named[i])
				cJSON_AddItemToArray(bad, cJSON_Duplicate(v->at[i], 1));
		return bad;
	}
	/* how many failed: the whole batch for a failed job, else at least
	 * what HotWax counted or named; never more than the batch holds */
	if (v->frc > said)
		said = v->frc;
	/* no count at all: none of the rows is known to have gone in */
	if (v->rows && (v->whole || v->frc < 0 || said > (double)v->nrows))
		said = (double)v->nrows;
	*nfailed = said < 1e9 ? (size_t)said : 1000000000;
	if (v->whole) {
		msg_warn("%s: HotWax log %s failed as a whole (SERVICE_FAILED): "
		    "none of its %zu rows is known to have gone in", bpath, p->id,
		    v->nrows);
		esc_linef(&v->why, "%s: HotWax log %s failed as a whole "
		    "(SERVICE_FAILED): none of its %zu rows is known to have gone in",
		    bpath, p->id, v->nrows);
	} else {
		const char *nc = v->frc < 0 ? ", no usable failedRecordCount" : "";
		const char *nt = v->trc < 0 ? ", no usable totalRecordCount" : "";

		msg_warn("%s: HotWax log %s does not say which rows failed (%zu "
		    "failed, %zu named, %zu errors naming no row%s%s, %.0f of %zu "
		    "counted): every row goes to the rows file", bpath, p->id,
		    *nfailed, v->nnamed, v->unnamed, nc, nt,
		    v->trc < 0 ? (double)v->nrows : v->trc, v->nrows);
		esc_linef(&v->why, "%s: HotWax log %s does not say which rows "
		    "failed (%zu failed, %zu rows named, %zu errors naming no "
		    "row%s%s, %.0f of %zu rows counted): every row of the batch "
		    "is listed", bpath, p->id, *nfailed, v->nnamed, v->unnamed,
		    nc, nt, v->trc < 0 ? (double)v->nrows : v->trc, v->nrows);
	}
	return v->rows ? cJSON_Duplicate(v->rows, 1) : cJSON_CreateArray();
}

/* failed/STEM.rows.json and its .err (first: never a rows file nobody
 * explains). */
static int
write_rows(struct run *r, const struct pending *p, struct verdict *v,
    const cJSON *bad)
{
	char *rn = stem_with(p->name, ".rows.json"), *en = stem_with(p->name,
	    ".rows.json.err"), *rp = path_join(r->faildir, rn),
	    *ep = path_join(r->faildir, en), *text = cJSON_Print(bad);
	int st;

	if (!text)
		msg_die(EX_OSERR, "out of memory");
	if (v->rows)
		esc_linef(&v->why, "The rows are in %s: fix them in NetSuite, or "
		    "fix the file and run po-import on it (a row HotWax took "
		    "already is updated, not doubled).", rp);
	else
		esc_linef(&v->why, "The batch %s/%s could not be read: the failed "
		    "rows cannot be listed; send them again from NetSuite.",
		    r->curdir, p->name);
	st = spool_write_atomic(ep, v->why.s, v->why.len);
	if (!st)
		st = spool_write_atomic(rp, text, strlen(text));
	free(text);
	free(rn);
	free(en);
	free(rp);
	free(ep);
	return st;
}

/* The log is over: report its failed rows and close it. */
static int
log_over(struct run *r, struct pending *p, const cJSON *lg,
    enum hotwax_log_status ls)
{
	const char *status = hotwax_log_status_name(ls);
	char *bpath = path_join(r->curdir, p->name), *data = NULL, *s, *f;
	struct verdict v = {0};
	cJSON *bad, *e;
	size_t len, nfailed;
	int st = 0;

	if (read_file(bpath, BATCH_MAX, &data, &len) == 0)
		v.rows = cJSON_ParseWithLength(data, len);
	free(data);
	if (!cJSON_IsArray(v.rows)) {
		cJSON_Delete(v.rows);
		v.rows = NULL;
	}
	v.nrows = (size_t)cJSON_GetArraySize(v.rows);
	v.named = xcalloc(v.nrows + 1, 1);
	v.at = xcalloc(v.nrows + 1, sizeof *v.at);
	len = 0;
	cJSON_ArrayForEach(e, v.rows)
		v.at[len++] = e;
	v.frc = hotwax_log_count(lg, HOTWAX_LOG_FAILED_ROWS);
	v.trc = hotwax_log_count(lg, HOTWAX_LOG_ALL_ROWS);
	v.whole = ls == HOTWAX_LOG_FAILED;
	log_errors(r, p, bpath, lg, &v);
	if ((bad = log_judge(p, bpath, &v, &nfailed)) != NULL) {
		st = write_rows(r, p, &v, bad);
		st = st ? st : EX_DATAERR;
	}
	if (st != EX_IOERR) {
		f = stem_with(p->name, ".logdone");
		s = path_join(r->curdir, f);
		free(f);
		f = xasprintf("%s %s %zu failed\n", p->id, status, nfailed);
		if (spool_write_atomic(s, f, strlen(f)))
			st = EX_IOERR;
		else	/* the log is closed: its rows are never counted again */
			metric_add(M_HOTWAX_ROW_ERRORS, (long long)nfailed);
		free(f);
		free(s);
	}
	msg_info("%s: HotWax log %s %s, %zu rows failed", p->name, p->id, status,
	    nfailed);
	buf_free(&v.why);
	cJSON_Delete(bad);
	cJSON_Delete(v.rows);
	free(v.named);
	free(v.at);
	free(bpath);
	p->open = LOG_CLOSED;
	return st;
}

/* 1 when spool/po/SUB/NAME is there. */
static int
in_spool(const struct run *r, const char *sub, const char *name)
{
	const char *const subs[] = { sub, NULL };

	return spool_has(r->area, subs, name);
}

/* A batch of the same name waits in new/ for the batch name of cur/:
 * sending it back would replace it (rename(2)); both stay, for a person
 * (batch() says the same of the one in new/). */
static int
name_in_new(const struct run *r, const char *name)
{
	const char *const nw[] = { "new", NULL };

	return spool_has(r->area, nw, name);
}

/* ---- PO ids of batches (a set: map.h) ---- */

/* Add the externalIds of the batch at path to ids; -1 when it cannot be
 * read as a batch (said). */
static int
ids_add(const char *path, struct map *ids)
{
	char *data;
	size_t len;
	cJSON *rows, *e;
	const char *po;

	if (load_batch(path, &data, &len, &rows) != 0)
		return -1;
	cJSON_ArrayForEach(e, rows) {
		po = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e,
		    POCSV_J_PO));
		if (po)
			map_put(ids, po, NULL);
	}
	cJSON_Delete(rows);
	free(data);
	return 0;
}

/* 1 when a PO of the batch at path is in ids; then they join ids.  0
 * when none is, or it cannot be read. */
static int
shares_po(const char *path, struct map *ids)
{
	struct map *its = map_new(1);
	const char *po;
	size_t it = 0;
	int hit = 0;

	if (ids_add(path, its) == 0)
		while (!hit && map_next(its, &it, &po) != NULL)
			hit = map_get(ids, po) != NULL;
	for (it = 0; hit && map_next(its, &it, &po) != NULL; )
		map_put(ids, po, NULL);
	map_free(its);
	return hit;
}

struct later {
	char *name;
	struct timespec made;	/* made_of */
	struct timespec came;	/* when it reached cur/: accepted */
	int known;		/* made is its .logid's "made" line */
	int back;		/* goes back too */
};

static int
ts_cmp(struct timespec a, struct timespec b)
{
	if (a.tv_sec != b.tv_sec)
		return a.tv_sec < b.tv_sec ? -1 : 1;
	if (a.tv_nsec != b.tv_nsec)
		return a.tv_nsec < b.tv_nsec ? -1 : 1;
	return 0;
}

static int
cmp_later(const void *a, const void *b)
{
	const struct later *x = a, *y = b;
	int c = ts_cmp(x->made, y->made);

	return c ? c : strcmp(x->name, y->name);
}

/* The batches of cur/ other than me, oldest first, with their made and
 * arrival times; NULL when cur/ cannot be listed (said).  A NULL name
 * ends the vector. */
static struct later *
made_after(struct run *r, const struct later *me, size_t *np)
{
	struct later *v;
	char **names, *p;
	size_t n, i, k = 0;

	*np = 0;
	if (spool_list(r->curdir, ".json", &names, &n) != 0)
		return NULL;
	v = xcalloc(n + 1, sizeof *v);
	for (i = 0; i < n; i++) {
		if (strcmp(names[i], me->name) == 0)
			continue;
		p = path_join(r->curdir, names[i]);
		v[k].made = made_of(r, names[i], p, &v[k].known);
		v[k].came = mtime_of(p);
		v[k++].name = xstrdup(names[i]);
		free(p);
	}
	qsort(v, k, sizeof *v, cmp_later);
	spool_list_free(names);
	*np = k;
	return v;
}

/*
 * Mark in v (n of them, oldest first) the batches made or accepted after
 * the chain's window that share a PO with the batch at path or with one
 * marked; how many.  The window starts at me (made, came) and is a
 * closure: each batch that joins widens it to its own times (an older
 * one can join when its made time is unknown and its arrival is later),
 * and the search repeats until nothing joins, so the batches made after
 * THAT one with its POs go back too and stay after it.
 */
static size_t
mark_sharing(struct run *r, const char *path, const struct later *me,
    struct later *v, size_t n)
{
	struct timespec made = me->made, came = me->came;
	struct map *ids = map_new(1);
	char *p;
	size_t i, marked = 0;
	int more = !(ids_add(path, ids) < 0 || map_count(ids) == 0);

	while (more) {
		more = 0;
		for (i = 0; i < n; i++) {
			if (v[i].back || (ts_cmp(v[i].made, made) <= 0 &&
			    ts_cmp(v[i].came, came) <= 0))
				continue;
			p = path_join(r->curdir, v[i].name);
			if ((v[i].back = shares_po(p, ids))) {
				marked++;
				more = 1;
				if (ts_cmp(v[i].made, made) < 0)
					made = v[i].made;
				if (ts_cmp(v[i].came, came) < 0)
					came = v[i].came;
			}
			free(p);
		}
	}
	map_free(ids);
	return marked;
}

static int
cmp_came(const void *a, const void *b)
{
	const struct later *x = *(struct later *const *)a;
	const struct later *y = *(struct later *const *)b;
	int c = ts_cmp(x->came, y->came);

	return c ? c : strcmp(x->name, y->name);
}

/*
 * The made times of a chain c (k batches: the one sent back and the
 * batches marked with it), when one of them is not known (no .logid, one
 * of an older posync, or damaged): the whole chain is then ordered by
 * when each reached cur/ (its mtime there, stamped by spool_move), which
 * is the order HotWax accepted them in, po-import uploading in the order
 * made and moving each batch to cur/ as it is accepted; and they are
 * given made times 1 us apart in that order, all strictly below the
 * earliest made time known in the chain and its earliest arrival.  A batch's own fallback, its arrival time, is later
 * than the made times of the others and would put it last.  When all are
 * known, each keeps its own.
 *
 * The times are written (reserve, chain_back) before anything moves,
 * oldest first, and a write can fail or a kill can come after any of
 * them: any prefix written must leave the chain in order.  It does: the
 * new times are all below every time the chain had (no tie with a member
 * not yet rewritten, which the name would break), and rise in the order
 * written, so the prefix written is the oldest batches, in order, below
 * the rest, which keep their old times (the batches still unknown are
 * retimed by the next run, again below all, again oldest first).  A
 * rerun after a crash that wrote them all finds them known and keeps
 * them.
 */
static void
chain_times(struct later **c, size_t k)
{
	struct timespec base = {0, 0};
	size_t i;
	int all = 1;

	for (i = 0; i < k; i++) {
		all = all && c[i]->known;
		if (c[i]->known && (!base.tv_sec || ts_cmp(c[i]->made, base) < 0))
			base = c[i]->made;
	}
	if (all)
		return;
	qsort(c, k, sizeof *c, cmp_came);
	for (i = 0; i < k; i++)	/* below every arrival too */
		if (!base.tv_sec || ts_cmp(c[i]->came, base) < 0)
			base = c[i]->came;
	base.tv_sec -= (time_t)(k / 1000000);	/* k us below */
	base.tv_nsec -= (long)(k % 1000000) * 1000;
	if (base.tv_nsec < 0) {
		base.tv_nsec += 1000000000;
		base.tv_sec--;
	}
	for (i = 0; i < k; i++) {
		c[i]->made = base;
		c[i]->known = 1;
		if ((base.tv_nsec += 1000) >= 1000000000) {
			base.tv_nsec -= 1000000000;
			base.tv_sec++;
		}
	}
}

/* 0 when every batch of the chain can go back to new/; else the batch
 * me is held in cur/, said with the batches in the way, EX_DATAERR. */
static int
chain_held(struct run *r, const struct later *me, struct later **c, size_t k,
    const char *why)
{
	struct buf in = {0};
	size_t i;

	for (i = 0; i < k; i++) {
		if (!name_in_new(r, c[i]->name))
			continue;
		msg_warn("%s/%s: not sent back to new/ for a second upload: %s/%s "
		    "is there already; compare the two, keep one", r->curdir,
		    c[i]->name, r->newdir, c[i]->name);
		buf_addf(&in, "%s%s", in.len ? ", " : "", c[i]->name);
	}
	if (!in.len)
		return 0;
	msg_warn("%s: %s/%s is held in cur/, not sent back to new/: it goes "
	    "back only with the batches of cur/ made or accepted after it with "
	    "the same POs, and %.*s cannot (said above)", why, r->curdir,
	    me->name, (int)in.len, in.s);
	buf_free(&in);
	return EX_DATAERR;
}

/*
 * Send the chain c (k batches, me among them) back to new/: first every
 * .logid becomes the placeholder with the batch's made time (reserve),
 * oldest first (any prefix of these writes keeps the order: chain_times),
 * so that each batch left in cur/ by a crash is sent back by the next run
 * (to_follow) with the same time; then the marked batches move, newest
 * first, and me last: until me has moved, its .logid is the trigger that
 * makes a rerun redo the whole chain.  Each keeps its made time in new/,
 * so the next run uploads them in that order.  Stops at the first
 * failure (said by spool), me then staying in cur/.
 */
static int
chain_back(struct run *r, const struct later *me, struct later **c,
    size_t k, const char *why, int loud)
{
	struct buf said = {0};
	size_t i, low = k;
	int st = 0;

	for (i = 0; i < k && !st; i++)
		st = reserve(r, c[i]->name, c[i]->made);
	for (i = k, low = k; i-- > 0 && !st;)
		if (c[i] != me && (st = spool_move_at(r->area, "cur", "new",
		    c[i]->name, &c[i]->made)) == 0)
			low = i;
	for (i = low; i < k; i++)	/* the ones moved, oldest first */
		if (c[i] != me)
			buf_addf(&said, "%s%s", said.len ? ", " : "", c[i]->name);
	if (!st)
		st = spool_move_at(r->area, "cur", "new", me->name, &me->made);
	if (!st)
		(loud ? msg_warn : msg_info)("%s: %s/%s goes back to new/, and the "
		    "next run uploads it again", why, r->curdir, me->name);
	else
		msg_warn("%s: %s/%s stays in cur/ for now; the next run sends it "
		    "back", why, r->curdir, me->name);
	if (said.len)
		msg_warn("%s/%s: the batches of cur/ made or accepted after it with "
		    "the same POs go back to new/ too, to be uploaded again after "
		    "it: %.*s", r->newdir, me->name, (int)said.len, said.s);
	buf_free(&said);
	return st;
}

/*
 * Send the batch name in cur/ back to new/, and with it every batch of
 * cur/ made or accepted after it that shares a PO with it, or with one of
 * those (mark_sharing): the next run uploads them all again in the order
 * made (chain_times), so HotWax's upserts end with the newest, never with
 * the old quantities of the batch sent back.  All go back or none
 * (chain_held); a crash on the way leaves a state the next run finishes
 * (chain_back).  why: the reason, said first; loud: said without -v.
 * Only the batch's POs and those of the batches after it are read.
 */
static int
back_to_new(struct run *r, const char *name, const char *why, int loud)
{
	struct later me = { (char *)name, {0, 0}, {0, 0}, 0, 1 }, *v, **c;
	char *path = path_join(r->curdir, name);
	size_t n = 0, i, k = 0;
	int st;

	me.made = made_of(r, name, path, &me.known);
	me.came = mtime_of(path);
	if (!(v = made_after(r, &me, &n))) {
		msg_warn("%s: %s/%s stays in cur/: which batches go back with it "
		    "is not known", why, r->curdir, name);
		free(path);
		return EX_IOERR;
	}
	if (n)
		mark_sharing(r, path, &me, v, n);
	c = xcalloc(n + 1, sizeof *c);
	c[k++] = &me;
	for (i = 0; i < n; i++)
		if (v[i].back)
			c[k++] = &v[i];
	chain_times(c, k);
	if ((st = chain_held(r, &me, c, k, why)) == 0)
		st = chain_back(r, &me, c, k, why, loud);
	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	free(c);
	free(path);
	return st;
}

/* HotWax does not know the log: upload the batch again next run rather
 * than lose it (the upsert makes that harmless). */
static int
log_unknown(struct run *r, struct pending *p)
{
	int st;
	char *why = xasprintf("%s/%s: HotWax does not know its log %s",
	    r->curdir, p->name, p->id);

	st = back_to_new(r, p->name, why, 1);
	free(why);
	p->open = LOG_CLOSED;
	return st ? st : EX_DATAERR;
}

/* One look at one log: 0 while it runs, or the status it ended with;
 * HOTWAX_LATE when log_wait ended before HotWax answered. */
static int
look(struct run *r, struct pending *p)
{
	char *why = NULL;
	cJSON *lg = NULL;
	const char *s;
	enum hotwax_log_status ls;
	int st;

	if (!in_spool(r, "cur", p->name)) {
		/* sent back to new/ meanwhile (back_to_new) */
		p->open = LOG_CLOSED;
		return 0;
	}
	st = hotwax_log(r->h, p->id, &lg, &why);
	free(why);
	if (st == EX_DATAERR)
		return log_unknown(r, p);
	if (st == HOTWAX_LATE)
		return st;	/* not looked at: the log stays open */
	if (st) {
		r->stop = 1;	/* said by hotwax; the log stays for the next run */
		return st;
	}
	ls = hotwax_log_status(lg, &s);
	if (ls == HOTWAX_LOG_FINISHED || ls == HOTWAX_LOG_FAILED)
		st = log_over(r, p, lg, ls);
	else if (ls == HOTWAX_LOG_UNKNOWN) {
		char *q = s ? msg_quote(s, strlen(s)) : xstrdup("(none)");

		msg_warn("%s: HotWax log %s has an unknown status %s", p->name, p->id, q);
		free(q);
		st = EX_PROTOCOL;
		p->open = LOG_CLOSED;
	}
	cJSON_Delete(lg);
	return st;
}

/*
 * cur/STEM.logid names no log (damaged: empty, a stray blank, torn): which
 * log HotWax has the batch under is not known, so, as for a log HotWax
 * does not know (log_unknown), the batch goes back to new/ and is uploaded
 * again by the next run, its failed rows reported then; left where it is,
 * it would be pruned after keep_days with its failed rows never named.
 * Only a batch in cur/ goes back; an orphan .logid is only said.
 */
static int
logid_damaged(struct run *r, const char *name)
{
	char *lp = logid_path(r, name);
	int st = EX_DATAERR;

	if (!in_spool(r, "cur", name)) {
		msg_warn("%s: not a HotWax log id, and no batch %s beside it",
		    lp, name);
	} else if (r->dry) {
		msg_warn("%s: not a HotWax log id (damaged?): a run without -n "
		    "sends %s/%s back to new/ to be uploaded again", lp,
		    r->curdir, name);
	} else {
		char *why = xasprintf("%s: not a HotWax log id (damaged?)", lp);

		st = exit_merge(st, back_to_new(r, name, why, 1));
		free(why);
	}
	free(lp);
	return st;
}

/*
 * Whether the log of the batch name is to be followed: 1 with *id set;
 * else 0.  Not when it is closed (.logdone), nor while the batch is still
 * in new/ (its upload, or the move after it, is batch()'s to finish).  A
 * batch in cur/ whose upload was never confirmed (the placeholder: a run
 * died sending it back to new/) goes back now; *st says how that went.
 */
static int
to_follow(struct run *r, const char *name, char **id, int *st)
{
	int k;

	*id = NULL;
	if (logdone(r, name) || (k = logid_of(r, name, id)) == LOGID_IS_NONE)
		return 0;
	if (!in_spool(r, "cur", name) && in_spool(r, "new", name)) {
		msg_info("%s/%s: still in new/: its log is followed once it has "
		    "moved to cur/", r->newdir, name);
	} else if (k == LOGID_IS_HELD && in_spool(r, "cur", name) && !r->dry) {
		/* a run died in back_to_new: its work, finished */
		char *why = xasprintf("%s/%s: HotWax never confirmed its upload",
		    r->curdir, name);

		*st = exit_merge(*st, back_to_new(r, name, why, 0));
		free(why);
	} else if (k == LOGID_IS_REAL) {
		return 1;
	} else if (k == LOGID_IS_BAD) {
		*st = exit_merge(*st, logid_damaged(r, name));
	} else if (k == LOGID_IS_LATER) {
		char *where = path_join(r->curdir, name);

		*st = exit_merge(*st, logid_later(r, name, where));
		free(where);
	}
	free(*id);
	*id = NULL;
	return 0;
}

/* The logs to follow, as many as *np; NULL when cur/ cannot be listed.
 * *st: the status of what was done on the way (to_follow). */
static struct pending *
pending_logs(struct run *r, size_t *np, int *st)
{
	struct pending *v;
	char **names, *s, *id, *name;
	size_t n, i, k = 0;
	struct stat sb;

	*np = 0;
	if (spool_list(r->curdir, ".logid", &names, &n) != 0)
		return NULL;
	v = xcalloc(n + 1, sizeof *v);
	for (i = 0; i < n; i++) {
		name = xasprintf("%.*s.json", (int)(strlen(names[i]) -
		    strlen(".logid")), names[i]);
		if (!to_follow(r, name, &id, st)) {
			free(name);
			continue;
		}
		s = path_join(r->curdir, names[i]);
		if (stat(s, &sb) == 0 && time(NULL) - sb.st_mtime > PENDING_WARN_H * 3600) {
			msg_warn("HotWax log %s (%s) has been pending for more than "
			    "%d hours", id, s, PENDING_WARN_H);
			v[k].open = LOG_OVERDUE;
		} else {
			v[k].open = LOG_OPEN;
		}
		v[k].id = id;
		v[k].name = name;
		k++;
		free(s);
	}
	spool_list_free(names);
	*np = k;
	return v;
}

/*
 * Look at the open logs, round after round, until none is open or
 * log_wait has passed.  The time limit holds whatever the number of logs
 * and however slow HotWax answers: it is checked before every look, and
 * no request of HotWax's outlives it (hotwax_deadline).  log_wait 0 is
 * one round, within a second.  A log not looked at stays for the next run.
 */
static int
look_until(struct run *r, struct pending *v, size_t n)
{
	int64_t end, wait;
	long pause = POLL_FIRST_MS;
	size_t i, left = n;
	int status = 0, st, late = 0;

	end = mono_ms() + (r->cfg.hotwax.log_wait > 0 ?
	    (int64_t)r->cfg.hotwax.log_wait * 1000 : 1000);
	hotwax_deadline(r->h, end);
	while (left && !r->stop && !late) {
		left = 0;
		for (i = 0; i < n && !r->stop && !late; i++) {
			if (v[i].open == LOG_CLOSED)
				continue;
			if (mono_ms() >= end || (st = look(r, &v[i])) == HOTWAX_LATE)
				late = 1;
			else
				status = exit_merge(status, st);
			left += v[i].open != LOG_CLOSED;
		}
		wait = end - mono_ms();
		if (!left || r->stop || late || wait <= 0 || !r->cfg.hotwax.log_wait)
			break;
		if (pause > wait)
			pause = (long)wait;
		msg_info("%zu HotWax log%s still running; next look in %.1f s",
		    left, left == 1 ? "" : "s", pause / 1000.0);
		usleep((useconds_t)pause * 1000);
		pause = pause * 3 / 2 > POLL_MAX_MS ? POLL_MAX_MS : pause * 3 / 2;
	}
	if (late)
		msg_info("log_wait is over: the logs not looked at are followed "
		    "by the next run");
	hotwax_deadline(r->h, 0);
	return status;
}

static int
follow_logs(struct run *r)
{
	struct pending *v;
	size_t n, all, i;
	int status = 0;

	if (dry_absent(r, r->curdir))
		return 0;
	if (!(v = pending_logs(r, &n, &status)))
		return EX_IOERR;
	all = n;
	if (n && r->dry) {
		for (i = 0; i < n; i++)
			msg_info("would follow HotWax log %s of %s", v[i].id, v[i].name);
		n = 0;
	}
	if (n && !r->stop && open_hotwax(r))
		status = r->hstatus;
	if (n && !r->stop)
		status = exit_merge(status, look_until(r, v, n));
	for (i = 0; i < n; i++) {
		if (v[i].open == LOG_OVERDUE)
			status = exit_merge(status, EX_TEMPFAIL);
		else if (v[i].open == LOG_OPEN)
			msg_info("HotWax log %s of %s is still pending: the next run "
			    "follows it", v[i].id, v[i].name);
	}
	for (i = 0; i < all; i++) {
		free(v[i].name);
		free(v[i].id);
	}
	free(v);
	return status;
}

/*
 * spool_prune_keep's rule for cur/: every file of a batch whose log is
 * not closed (a STEM.logid, no STEM.logdone) stays, however old: pruning
 * the batch would leave its failed rows unnamed ("PO ?") or, when its
 * .logid names no log (damaged, unreadable, or a placeholder), never
 * reported (to_follow sends such a batch back to new/); pruning a
 * STEM.logid naming a log would forget the log.  STEM.logdone stays while
 * STEM.logid is there, lest the log be followed again.  (A placeholder or
 * damaged .logid left without its batch is pruned.)  A later posync's
 * .logid (LOGID_IS_LATER) keeps every file of its batch.
 */
static int
still_followed(const char *file, void *arg)
{
	enum { BATCH, LOGID, LOGDONE, NSFX };	/* sfx[]'s order */
	static const char *const sfx[NSFX] = { ".json", ".logid", ".logdone" };
	const struct run *r = arg;
	size_t i, fl = strlen(file), sl;
	char *name;
	int keep, k;

	for (i = 0; i < NSFX; i++) {
		sl = strlen(sfx[i]);
		if (fl > sl && strcmp(file + fl - sl, sfx[i]) == 0)
			break;
	}
	if (i == NSFX)
		return 0;
	name = xasprintf("%.*s.json", (int)(fl - sl), file);
	k = logid_of(r, name, NULL);
	if (k == LOGID_IS_LATER)	/* its meaning unknown: kept whole */
		keep = 1;
	else if (i == LOGDONE)
		keep = k != LOGID_IS_NONE;
	else if (logdone(r, name) || k == LOGID_IS_NONE)
		keep = 0;
	else if (i == BATCH || k == LOGID_IS_REAL)
		keep = 1;
	else	/* a .logid naming no log: while its batch is in cur/ */
		keep = in_spool(r, "cur", name);
	free(name);
	return keep;
}

/*
 * After prog_start: the spool is made and locked, or for -n only checked
 * (prog.h): -n makes no folder and takes no lock (taking it would create
 * the lock file; a dry run only reads, so a real run beside it does no
 * harm), and a spool that does not exist yet holds no batch and no log.
 */
static int
setup(struct run *r)
{
	r->area = spool_area_path(r->cfg.spool.dir, "po", NULL);
	r->newdir = spool_area_path(r->cfg.spool.dir, "po", "new");
	r->curdir = spool_area_path(r->cfg.spool.dir, "po", "cur");
	r->faildir = spool_area_path(r->cfg.spool.dir, "po", "failed");
	r->newreal = realpath(r->newdir, NULL);
	r->curreal = realpath(r->curdir, NULL);
	if (!r->dry && (!r->newreal || !r->curreal)) {
		msg_warnerr("cannot resolve %s", r->area);
		return EX_IOERR;
	}
	return 0;
}

static const struct prog_spec spec = {
	.lock = "po-import",
	.area = "po",
	.operands = "[batch.json ...]",
	.dry = "dry run: list the batches that would be uploaded",
};

int
main(int argc, char **argv)
{
	struct prog *prog;
	struct run r = {0};
	char **files;
	int nfiles, st;

	prog = prog_parse(&spec, argc, argv, NULL);
	r.dry = prog_dry(prog);
	files = prog_operands(prog, &nfiles);
	if ((st = prog_start(prog, &r.cfg)) == 0 && (st = setup(&r)) == 0) {
		st = take_batches(&r, nfiles, files);
		st = exit_merge(st, follow_logs(&r));
		if (!r.dry)
			st = exit_merge(st, spool_prune_keep(r.curdir,
			    r.cfg.spool.keep_days, still_followed, &r));
		msg_info("%zu batch%s uploaded", r.done, r.done == 1 ? "" : "es");
	}
	hotwax_close(r.h);
	free(r.area);
	free(r.newdir);
	free(r.curdir);
	free(r.faildir);
	free(r.newreal);
	free(r.curreal);
	if (r.seen)
		map_free(r.seen);
	return prog_finish(prog, st);
}
