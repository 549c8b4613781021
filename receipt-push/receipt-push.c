/*
 * receipt-push -- publish receipt files to NetSuite's SFTP receipt folder,
 * each exactly once, whole, and in the order receipt-export made them.
 *
 * Promises (contracts.md sections 4 and 5):
 *  - NetSuite never sees a partial file: each file is uploaded into
 *    receipt_staging_dir, its size checked, then renamed into receipt_dir.
 *  - A file is published once: one of whose name a regular file is already
 *    in receipt_dir or receipt_archive_dir went out before (a crash after
 *    the rename) and is only moved to SPOOL/receipt/cur.  Anything else
 *    there of its name (a folder, a link) is in the way: said, exit 78,
 *    and it waits in SPOOL/receipt/new with every file after it
 *    (went_out, in_the_way).  Staging leftovers are removed; a folder
 *    there, or a file that cannot be removed (said once a run), named
 *    like the file is staged around (staged_name).
 *  - Order: files go out in the order they entered SPOOL/receipt/new
 *    (receipt-export's names carry the time they were made; a file named
 *    on the command line is stamped when adopted), and none while a
 *    posync file still waits
 *    unread in receipt_dir: NetSuite lists the folder unsorted and each
 *    file assumes the earlier ones were read.  So a run publishes at most
 *    one file while NetSuite is behind; holding is quiet (but for a file
 *    a person named as an argument).  A file unread for longer than
 *    receipt_stale_after since this host published it means NetSuite
 *    stopped reading: said on stderr, exit 75.
 *  - NetSuite's error CSVs (receipt_error_dir) that appeared since the last
 *    run are reported on stderr row by row and copied to
 *    SPOOL/receipt/errors; the names seen are kept in
 *    SPOOL/state/receipt-push.errors-seen.  One NetSuite may still be
 *    writing is left for a later run, by po-export-parse's rule: read only
 *    once [netsuite] po_min_age seconds old, and only when its size and
 *    mtime did not move between the listing and the download; otherwise a
 *    torn file would be reported short and marked seen for ever.  Ages
 *    are measured by the SFTP server's clock, learnt from a probe file in
 *    receipt_staging_dir when an unreported file is there; one with a
 *    future mtime: common/future.c, as po-export-parse does.
 *  - A file named on the command line that is not in SPOOL/receipt/new is
 *    first copied there, so that it is tracked like any other.
 *  - SFTP unreachable: exit 69 or 75 and every file stays for the next run.
 *  - Folding (posync(7), THE RECEIPT QUEUE): from choosing its files until
 *    they are in cur/ it holds the publish lock, under which alone
 *    receipt-export folds; it names the posync files it holds back in
 *    SPOOL/state/receipt-push.held (receipt-export folds the oldest file
 *    in new/ only when it is named there: only it can be out already, since
 *    files go out in name order, one a run, each moved to cur/ before the
 *    next is looked at), and publishes nothing while an interrupted receipt-export's journal
 *    waits to be finished.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "csvio.h"
#include "future.h"
#include "input.h"
#include "lock.h"
#include "metrics.h"
#include "msg.h"
#include "prog.h"
#include "notes.h"
#include "rfile.h"
#include "safename.h"
#include "sftp.h"
#include "spool.h"
#include "util.h"

#define MAX_RECEIPT RFILE_NETSUITE_MAX
#define MAX_ERRCSV (10LL * 1024 * 1024)
/* NetSuite's error rows said one by one per run, over all its error
 * CSVs: the message layer's own bound (msg.h), so that what is over it
 * is said in one count line per file, "N more rows in FILE". */
#define MAX_ERROR_ROWS MSG_SHOWN
#define SEEN_FILE "receipt-push.errors-seen"
#define FUTURE_FILE "receipt-push.errors-future"	/* future.h */
#define UNREAD_FILE "receipt-push.unread"	/* look_at_receipt_dir */
#define STAGING_FILE "receipt-push.staging"	/* staging_noted */
#define ERRDIR_FILE "receipt-push.errors-dir"	/* errdir_proven */
/* s of this host's clock from the moment the server was seen to show an
 * error folder's mtime to a walk of it that proves the mtime; and from
 * the last walk to the next, mtime or not (errdir_proven) */
#define ERRDIR_SETTLE 3
#define ERRDIR_RELIST (6 * 3600)
/* The lock's name is fixed, not argv[0]'s: a copy run through a link
 * with another name must still find the running one. */
#define LOCK_NAME "receipt-push"
#define PUBLISH_WAIT 60		/* s to wait for receipt-export's fold */

struct item {
	char *name;		/* the file's name: local and remote */
	char *path;		/* where to read it (SPOOL/receipt/new/NAME unless -n) */
	int posync;		/* named as receipt-export names files */
	int64_t since;		/* ms: when it entered SPOOL/receipt/new */
	int by_hand;		/* named as an argument: a person waits */
};

struct run {
	const struct config *c;
	struct sftp *s;
	int dry;
	char *area, *newdir, *curdir;
	struct item *q;
	size_t nq;
	int waiting;		/* a posync file waits unread in receipt_dir */
	struct sftp_entry *rd;	/* receipt_dir's listing */
	size_t nrd;
	int rd_listed;		/* rd is this run's listing */
	int staging_ready;
	int stg_noted;		/* STAGING_FILE is there: staging holds nothing of ours */
	int stg_swept;		/* clean_staging ran this run */
	int stg_clean;		/* ... and left no file there */
	int stg_left;		/* uploads into staging since, not known gone */
	struct notes *stg_notes;	/* STAGING_FILE as read, or NULL */
	struct sftp_entry *stg;	/* what clean_staging left: not files */
	size_t nstg;
	int pubfd;		/* the publish lock, or -1 */
	int folded;		/* a named file was folded into a later one */
	int export_pending;	/* receipt-export's journal is there */
	char *held_path;
	int by_hand;		/* the files being added are arguments */
	size_t rows_said;	/* NetSuite's error rows said this run */
};

static char *
remote(const char *dir, const char *name)
{
	return path_join(dir, name);
}

static int
same_content(const char *a, const char *b)
{
	char *da, *db;
	size_t la, lb;
	int same = 0;

	if (read_file(a, MAX_RECEIPT, &da, &la) < 0)
		return 0;
	if (read_file(b, MAX_RECEIPT, &db, &lb) == 0) {
		same = la == lb && memcmp(da, db, la) == 0;
		free(db);
	}
	free(da);
	return same;
}

/*
 * A file of this spool whose mtime is ahead of now (set while this host's
 * clock ran ahead, or copied in so) would be timed from a moment still to
 * come for as long as the clock lags it: set it to now, once (not with
 * -n, which changes nothing).  0 when it is not ahead; 1 when it was (and
 * is now set, or would be); -1 when it could not be set (said).
 */
static int
mtime_settle(const struct run *r, const char *path, const struct stat *st,
    time_t now)
{
	struct timespec t[2] = { { 0, UTIME_OMIT }, { 0, 0 } };
	char *q;

	if (st->st_mtime <= now)
		return 0;
	/* now by the clock receipt-export names its files by, not
	 * utimensat's NULL: that is the kernel's coarse time, up to a tick
	 * behind, and a file named a moment before this one would seem to
	 * have entered after it (tests/3023, which failed so under load) */
	if (r->dry || (clock_gettime(CLOCK_REALTIME, &t[1]) == 0 &&
	    utimensat(AT_FDCWD, path, t, 0) == 0))
		return 1;
	q = msg_quote(path, strlen(path));
	msg_warnerr("cannot set the time of %s", q);
	free(q);
	return -1;
}

/*
 * When a file entered SPOOL/receipt/new, the queue's order: a posync file
 * by the time in its name (receipt-export's, UTC ms); any other (a file a
 * person named to receipt-push, adopted into the spool) by its mtime
 * there, which adopt() set when it copied it in; one still outside the
 * spool (-n) would enter it now.  So a person's file goes after what was
 * made before it and before what is made after: it is not starved by a
 * steady flow of posync files.  A file put into new/ by hand keeping an
 * older mtime (cp -p) only goes sooner.
 */
/* A name receipt-export could have written (rfile.h); else a person's. */
static int
posync_name(const struct run *r, const char *name)
{
	return rfile_is_posync(r->c->netsuite.receipt_prefix, name);
}

static int64_t
entered(const struct run *r, const char *name, const char *path, int posync)
{
	struct stat st;
	char *q;

	/* A person's file whose mtime is ahead of this host's clock counts
	 * as entered now (rfile_entered), but would count so again at every
	 * run until the clock passes it, and receipt-export would fold
	 * nothing made before then: set it to now, once, under the publish
	 * lock (build_queue takes it before any file is looked at). */
	if (!posync && spool_in(r->newdir, path) &&
	    stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    mtime_settle(r, path, &st, time(NULL)) > 0) {
		q = msg_quote(path, strlen(path));
		if (r->dry)
			msg_warn("%s: its mtime is ahead of this host's clock; "
			    "a run without -n sets it to now", q);
		else
			msg_warn("%s: its mtime was ahead of this host's clock; "
			    "set to now, so it is published in turn", q);
		free(q);
	}
	return rfile_entered(r->newdir, name, path, posync);
}

static void
add_item(struct run *r, const char *name, char *path)
{
	size_t i;

	for (i = 0; i < r->nq; i++)
		if (strcmp(r->q[i].name, name) == 0) {
			free(path);
			return;
		}
	r->q = xrealloc(r->q, (r->nq + 1) * sizeof *r->q);
	r->q[r->nq].name = xstrdup(name);
	r->q[r->nq].path = path;
	r->q[r->nq].posync = posync_name(r, name);
	r->q[r->nq].since = entered(r, name, path, r->q[r->nq].posync);
	r->q[r->nq].by_hand = r->by_hand;
	r->nq++;
}

/* Copy a file named on the command line into SPOOL/receipt/new. */
static int
adopt(struct run *r, const char *path, const char *name)
{
	char *data;
	size_t len;
	int st;

	if (read_file(path, MAX_RECEIPT, &data, &len) < 0) {
		st = errno == EFBIG ? EX_DATAERR : input_status(errno);
		msg_cannot_read(path);
		return st;
	}
	st = spool_deliver(r->area, "new", name, data, len);
	free(data);
	if (!st)
		msg_info("%s: copied into %s to be published", path, r->newdir);
	return st;
}

/* One operand: a path, named or read from stdin. */
static int
take_named(struct run *r, const char *path)
{
	const char *name = path_base(path);
	char *inspool = path_join(r->newdir, name), *incur = path_join(r->curdir, name);
	char *why;
	struct stat a, b;
	int st = 0;

	/* a name that may go to the server as is, the spool's one rule
	 * (safename.h): never a path, an option or a hidden file; said as
	 * po-import says it */
	if ((why = spool_name_why(name, ".json", "receipt file")) != NULL) {
		char *q = msg_quote(path, strlen(path));

		msg_warn("%s: not published: %s", q, why);
		free(q);
		free(why);
		st = EX_DATAERR;
	} else if (stat(path, &a) < 0) {
		if (errno == ENOENT && access(incur, F_OK) == 0)
			msg_info("%s: already published (in %s)", path, r->curdir);
		else if (errno == ENOENT && posync_name(r, name) &&
		    strcmp(path, inspool) == 0) {
			/* receipt-export folded it into a later file: that
			 * one, in the spool, goes out instead */
			msg_info("%s: folded into a later file", path);
			r->folded = 1;
		} else {
			st = input_status(errno);
			msg_warnerr("%s", path);
		}
	} else if (!S_ISREG(a.st_mode)) {
		msg_warn("%s: not a regular file", path);
		st = EX_NOINPUT;
	} else if (stat(inspool, &b) == 0) {
		if (a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			add_item(r, name, xstrdup(inspool));
		else if (same_content(path, inspool))
			add_item(r, name, xstrdup(inspool));
		else {
			msg_warn("%s: not published: %s already holds a different "
			    "file of that name", path, r->newdir);
			st = EX_DATAERR;
		}
	} else if (access(incur, F_OK) == 0) {
		if (same_content(path, incur))
			msg_info("%s: already published (in %s)", path, r->curdir);
		else {
			msg_warn("%s: not published: a different file of that name "
			    "was published before (%s); rename it", path, incur);
			st = EX_DATAERR;
		}
	} else if (r->dry) {
		char *q = msg_quote(path, strlen(path));

		printf("would copy %s into %s\n", q, r->newdir);
		free(q);
		add_item(r, name, xstrdup(path));
	} else if ((st = adopt(r, path, name)) == 0)
		add_item(r, name, xstrdup(inspool));
	free(inspool);
	free(incur);
	return st;
}

/* In the order the files entered the spool (entered()); at the same
 * millisecond posync's own first, then by name. */
static int
cmp_item(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;

	if (a->since != b->since)
		return a->since < b->since ? -1 : 1;
	if (a->posync != b->posync)
		return b->posync - a->posync;
	return strcmp(a->name, b->name);
}

static void
sort_queue(struct run *r)
{
	if (r->nq > 1)
		qsort(r->q, r->nq, sizeof *r->q, cmp_item);
}

/* The publish lock, held from choosing files until they are in cur/:
 * receipt-export folds only under it.  It holds it briefly, so wait. */
static int
publish_lock(struct run *r)
{
	char *jp = spool_state_path(r->c->spool.dir, RFILE_JOURNAL);
	int st;

	if (r->dry) {
		/* -n takes no lock, so it cannot tell an interrupted run's
		 * journal from a fold in progress; it says what a real run
		 * does with the former: publish nothing until receipt-export
		 * has finished it */
		r->export_pending = access(jp, F_OK) == 0;
		free(jp);
		return 0;
	}

	st = lock_try(r->c->spool.dir, LOCK_PUBLISH, PUBLISH_WAIT, &r->pubfd);
	if (st == EX_TEMPFAIL)
		msg_warn("receipt-export has held the publish lock for %d s; "
		    "every receipt file stays in %s for the next run",
		    PUBLISH_WAIT, r->newdir);
	/* under the lock: no fold can start now, a journal is a crashed one */
	if (!st && access(jp, F_OK) == 0)
		r->export_pending = 1;
	free(jp);
	return st;
}

/* Record which posync files this run holds back: receipt-export may fold
 * only those.  Cleared before anything is published, so a file being
 * published (or published, if the run dies before moving it to cur/) is
 * never among them.  A notes file of bare names (notes.h), read by
 * receipt_fold.c; none held, it is removed. */
static int
write_held(struct run *r, size_t from)
{
	struct notes *n;
	size_t i;
	int st;

	if (r->dry)
		return 0;
	/* a fold writes a new, later file: a posync file queued before a
	 * person's file would go out after it, folded; so only those after
	 * the last such file are offered (receipt-export's foldable() keeps
	 * the same rule by the same order, common/rfile.c) */
	for (i = r->nq; i > from; i--)
		if (!r->q[i - 1].posync) {
			from = i;
			break;
		}
	if ((n = notes_open(r->held_path, 0)) == NULL)
		return EX_IOERR;
	for (i = from; i < r->nq; i++) {
		char *inspool = path_join(r->newdir, r->q[i].name);

		if (r->q[i].posync && strcmp(r->q[i].path, inspool) == 0)
			notes_keep(n, r->q[i].name);
		free(inspool);
	}
	st = notes_save(n);
	notes_close(n);
	return st;
}

/* Every file of SPOOL/receipt/new into the queue (by cmp_item), or
 * those that entered it before last when last is not NULL.  0 or
 * EX_IOERR (said by spool_list). */
static int
queue_spool(struct run *r, const struct item *last)
{
	char **sp;
	size_t nsp, i;

	if (spool_list(r->newdir, ".json", &sp, &nsp))
		return EX_IOERR;
	for (i = 0; i < nsp; i++) {
		struct item t = {sp[i], path_join(r->newdir, sp[i]),
		    posync_name(r, sp[i]), 0, 0};

		if (last)
			t.since = entered(r, t.name, t.path, t.posync);
		if (!last || cmp_item(&t, last) < 0)
			add_item(r, sp[i], t.path);
		else
			free(t.path);
	}
	spool_list_free(sp);
	sort_queue(r);
	return 0;
}

/*
 * The queue: the files named (arguments or stdin), and the spool's files
 * made before the newest of them; with none named, all of the spool.
 * Returns what stops the run before anything is published: 0, or
 * EX_IOERR (stdin, the spool or a named file's copy into it failed) or
 * EX_TEMPFAIL (the publish lock is busy); *named gets the status of the
 * named files the run goes on without (EX_DATAERR, EX_NOINPUT, ...).
 * Two results, not one merged status: what stops the run is a kind, not
 * a rank among exit statuses.
 */
static int
build_queue(struct run *r, int argc, char **argv, int *named)
{
	char **v;
	size_t n, i;
	int from_spool, st, stop = 0, nospool;
	struct item last;

	*named = 0;
	/* -n on a spool not made yet (it makes none): nothing waits there */
	nospool = r->dry && access(r->newdir, F_OK) < 0 && errno == ENOENT;
	v = input_collect(argc, argv, nospool ? NULL : r->newdir, ".json", &n,
	    &from_spool);
	if (!v)
		return EX_IOERR;
	/* only now, with stdin read: in the crontab's pipe receipt-export
	 * runs until then, and may fold while it does */
	if ((st = publish_lock(r)) != 0) {
		input_free(v);
		return st;
	}
	if (from_spool) {
		input_free(v);
		/* listed again under the lock: one listed before it may name
		 * files a fold has removed since (it may not start now) */
		return nospool ? 0 : queue_spool(r, NULL);
	}
	r->by_hand = argc > 0;	/* arguments, not stdin's paths */
	for (i = 0; i < n; i++)
		if ((st = take_named(r, v[i])) == EX_IOERR)
			stop = st;
		else
			*named = exit_merge(*named, st);
	r->by_hand = 0;
	input_free(v);
	if (r->folded)	/* what it was folded into waits in the spool */
		return exit_merge(stop, queue_spool(r, NULL));
	if (r->nq == 0 || nospool) {
		sort_queue(r);
		return stop;
	}
	sort_queue(r);
	last = r->q[r->nq - 1];
	return exit_merge(stop, queue_spool(r, &last));
}

/* ------------------------------------------------------------ the server */

/* What look_at_receipt_dir keeps of the posync files waiting in
 * receipt_dir, in SPOOL/state/receipt-push.unread, notes "SAFENAME
 * TIME" (notes.h): for a file this spool published (its stamp in cur/),
 * that stamp; for one it did not (from another host, or pruned), the
 * earlier of its mtime on the server and when this host first saw it:
 * the time the stale check takes.  A server clock ahead of ours cannot push
 * such a file's time out of reach.  posync-status reads the notes: the
 * files NetSuite had not read at the last run, and since when. */

/* When this host published e: its stamp in cur/; else the earlier of
 * the server's mtime and when this host first saw it waiting. */
static time_t
published_at(struct run *r, const struct sftp_entry *e, struct notes *u,
    time_t now)
{
	char *p = path_join(r->curdir, e->name), *sn;
	const char *n;
	struct stat st;
	long long t = now;

	if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
		/* a stamp ahead of now (made while this host's clock ran
		 * ahead) would silence the stale alarm until the clock
		 * passes it: it counts as now, and is set to now once, so
		 * the alarm comes receipt_stale_after from here */
		t = mtime_settle(r, p, &st, now) != 0 ? now : st.st_mtime;
		free(p);
		sn = safename(e->name, strlen(e->name));
		notes_keepf(u, sn, "%lld", t);
		free(sn);
		return (time_t)t;
	}
	free(p);
	sn = safename(e->name, strlen(e->name));
	if ((n = notes_find(u, sn)) && (notes_nums(n, &t, 1) != 0 || t > now))
		t = now;
	if (e->mtime < t)
		t = e->mtime;
	/* the time the stale check takes is the one noted: posync-status
	 * reads the same age (and the next run's first-seen is no later) */
	notes_keepf(u, sn, "%lld", t);
	free(sn);
	return (time_t)t;
}

/* receipt_dir: which posync files wait unread, and since when. */
static int
look_at_receipt_dir(struct run *r)
{
	const struct config *c = r->c;
	time_t now = time(NULL), oldest = 0;
	const char *oldname = NULL;
	struct notes *u;
	time_t t;
	size_t i;
	char *path;
	int st;

	if ((st = sftp_list(r->s, c->netsuite.receipt_dir, &r->rd, &r->nrd)))
		return st;
	r->rd_listed = 1;
	/* unreadable: the server's times then, said */
	path = spool_state_path(c->spool.dir, UNREAD_FILE);
	u = notes_open(path, 0);
	free(path);
	for (i = 0; i < r->nrd; i++) {
		if (!r->rd[i].is_reg || !posync_name(r, r->rd[i].name))
			continue;
		r->waiting = 1;
		t = published_at(r, &r->rd[i], u, now);
		if (!oldname || t < oldest) {
			oldest = t;
			oldname = r->rd[i].name;
		}
	}
	/* the notes of the files still waiting; none: no file */
	st = r->dry ? 0 : notes_save(u);
	notes_close(u);
	metric_set(M_RECEIPT_UNREAD_AGE, oldname && now > oldest ?
	    (long long)(now - oldest) : 0);
	if (st)
		return st;
	if (oldname && now - oldest > c->netsuite.receipt_stale_after) {
		char *rp = remote(c->netsuite.receipt_dir, oldname), *q;
		char when[32];
		struct tm tm;

		q = msg_quote(rp, strlen(rp));
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %z", localtime_r(&oldest, &tm));
		msg_warn("%s has waited unread since %s, longer than [netsuite] "
		    "receipt_stale_after (%d s): NetSuite has stopped reading "
		    "receipts; %zu file(s) held in %s", q, when,
		    c->netsuite.receipt_stale_after, r->nq, r->newdir);
		free(q);
		free(rp);
		return EX_TEMPFAIL;
	}
	return 0;
}

/* went_out's answer, beside 0 and SFTP_MISSING, for something else in
 * the way */
#define IN_THE_WAY (-2)

/*
 * Whether the file NAME went out before: a regular file of its name in
 * receipt_dir (by the listing, or looked at now when fresh) or in
 * receipt_archive_dir: 0.  Nothing of its name in either: SFTP_MISSING.
 * Anything else there under its name (a folder, a link, ...) is no file
 * NetSuite reads, so not this one published, and not posync's to
 * remove: IN_THE_WAY, *way (malloc'd) the remote path and *kind what is
 * there.  Links are not followed (sftp_lstat).  Else a status.
 */
static int
went_out(struct run *r, const char *name, int fresh, char **way,
    const char **kind)
{
	const char *dir[2] = { r->c->netsuite.receipt_dir,
	    r->c->netsuite.receipt_archive_dir };
	struct sftp_entry e;
	const char *k;
	size_t i, j;
	char *p;
	int s;

	*way = NULL;
	for (i = 0; i < 2; i++) {
		if (i == 0 && !fresh) {
			for (j = 0; j < r->nrd && strcmp(r->rd[j].name, name); j++)
				;
			if (j == r->nrd)
				continue;	/* nothing of its name */
			if (r->rd[j].is_reg)
				return 0;
		}
		p = remote(dir[i], name);
		s = sftp_lstat(r->s, p, &e, &k);
		if (s == 0 && !e.is_reg && !*way) {
			*way = p;
			*kind = k;
			continue;
		}
		free(p);
		if (s != SFTP_MISSING && (s != 0 || e.is_reg)) {
			free(*way);
			*way = NULL;
			return s;	/* 0: a regular file, published */
		}
	}
	return *way ? IN_THE_WAY : SFTP_MISSING;
}

/* Something not a regular file has the name of the queue's file i in
 * the receipt or archive folder (went_out): said without -v, naming
 * both; the file and every one after it stay in SPOOL/receipt/new, held
 * (receipt-export may fold them into a new file, under a free name),
 * until a person removes it.  Frees way; EX_CONFIG: posync's
 * surroundings need a hand, as a setting would. */
static int
in_the_way(struct run *r, size_t i, char *way, const char *kind)
{
	char *q1 = msg_quote(way, strlen(way));
	char *q2 = msg_quote(r->q[i].path, strlen(r->q[i].path));

	msg_warn("%s: %s has the name of the receipt file %s, and only a "
	    "regular file there counts as published; not published: it and "
	    "the %zu file(s) after it wait in %s until that is removed by hand",
	    q1, kind, q2, r->nq - i - 1, r->newdir);
	if (r->dry)
		printf("would hold %s and every file after it: %s is in the way\n",
		    q2, q1);
	free(q1);
	free(q2);
	free(way);
	return exit_merge(EX_CONFIG, write_held(r, i));
}

/*
 * SPOOL/state/NAME, one of receipt-push's own notes that only save round
 * trips (STAGING_FILE, ERRDIR_FILE), read once a run: NULL when it is not
 * to be used this run -- something other than a file in its place (a
 * folder), said once by notes_open; the caller then writes nothing there
 * and takes it as no note.  Either note is keyed by the folder's path
 * alone, not by server or user: a spool serves one NetSuite account.
 */
static struct notes *
state_notes(const struct run *r, const char *name)
{
	char *p = spool_state_path(r->c->spool.dir, name);
	struct notes *n = notes_open(p, 0);
	struct stat sb;

	if (n && stat(p, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		notes_close(n);
		n = NULL;
	}
	free(p);
	return n;
}

/*
 * Staging's note, SPOOL/state/receipt-push.staging (notes.h), one key:
 * the staging folder (safename).  Written at the end of a run whose sweep
 * (clean_staging) left no file there and whose every upload since went
 * again (renamed out, or its copy removed); removed before an upload.
 * While it names the configured folder, staging holds nothing of this
 * host's that matters, and a run with nothing to upload neither stats
 * nor lists it (issue 12: an idle run costs one listing a side).
 * Without it -- a fresh spool, a run killed before its upload was
 * renamed, a file that could not be removed, another staging folder set
 * -- the run sweeps first.  A run that uploads sweeps before its first
 * upload anyway (publish): staged_name must know what is there, and so a
 * note wrongly left in place (one that could not be removed, or whose
 * removal a power cut undid) never lets a partial upload be published;
 * it only delays a leftover's removal to that sweep: NetSuite never
 * reads staging.  The clock probe (future_clock) leaves no note's worth:
 * a probe that could not be removed (said by sftp) is a dot-file, left
 * to the same sweep.
 */
static void
staging_noted(struct run *r)
{
	const char *dir = r->c->netsuite.receipt_staging_dir;
	char *sn = safename(dir, strlen(dir));

	r->stg_notes = state_notes(r, STAGING_FILE);
	r->stg_noted = r->stg_notes && notes_find(r->stg_notes, sn) != NULL;
	free(sn);
}

/* Write the note (clean) or remove it.  It only saves a sweep: a failure
 * is said once (notes_save), the note left as it is for the rest of the
 * run, and the run goes on. */
static void
staging_note(struct run *r, int clean)
{
	const char *dir = r->c->netsuite.receipt_staging_dir;
	char *sn, *p;
	int st;

	if (!r->stg_notes)
		return;	/* unusable, or could not be saved: said */
	sn = safename(dir, strlen(dir));
	if (clean)
		notes_keep(r->stg_notes, sn);
	free(sn);
	st = notes_save(r->stg_notes);
	notes_close(r->stg_notes);
	r->stg_notes = NULL;
	if (st)
		return;
	r->stg_noted = clean;
	/* one save a notes: a fresh one, of the file now gone */
	p = spool_state_path(r->c->spool.dir, STAGING_FILE);
	if (!clean)
		r->stg_notes = notes_open(p, 0);
	free(p);
}

/* Before an upload into staging: the note goes first, and the upload is
 * counted until its copy is known gone (stg_left).  -n writes nothing. */
static void
staging_dirty(struct run *r)
{
	if (r->dry)
		return;
	if (r->stg_noted)
		staging_note(r, 0);
	r->stg_left++;
}

/* Staging is posync's own folder: whatever is there is a crashed run's.
 * The files go; anything else (a folder, a link), and a file that cannot
 * be removed (another owner's, in a sticky folder), is left, in r->stg,
 * for staged_name to stage around: said once a run, and the run goes on
 * (only a lost connection stops it). */
static int
clean_staging(struct run *r)
{
	const char *dir = r->c->netsuite.receipt_staging_dir;
	struct sftp_entry *e, st;
	size_t n, i, kept = 0;
	char *p;
	int s;

	r->stg_swept = 1;
	s = sftp_stat(r->s, dir, &st);
	if (s == SFTP_MISSING) {
		r->stg_clean = 1;
		return 0;
	}
	if (s || (s = sftp_list(r->s, dir, &e, &n)))
		return s;
	for (i = 0; i < n && !s; i++) {
		if (!e[i].is_reg)
			continue;
		p = remote(dir, e[i].name);
		if (r->dry) {	/* the name is the server's: quoted */
			char *q = msg_quote(p, strlen(p));

			printf("would remove the staging leftover %s\n", q);
			free(q);
		} else {
			msg_info("%s: removing a leftover of an interrupted run", p);
			s = sftp_remove(r->s, p);
		}
		if (s && s != EX_UNAVAILABLE && s != EX_TEMPFAIL) {
			/* said by sftp_remove; in the way like a folder */
			if (!kept++)
				msg_warn("%s: a file in the staging folder that "
				    "cannot be removed: left there, and files are "
				    "staged around it; remove it by hand", dir);
			e[i].is_reg = 0;
			s = 0;
		}
		free(p);
	}
	r->stg = e;
	r->nstg = n;
	r->staging_ready = !s;
	r->stg_clean = !s && !kept;
	return s;
}

/* The name to stage NAME under in staging: NAME, unless clean_staging
 * left something there under it (a folder posync does not remove: it is
 * not posync's to empty; a file it could not remove); then NAME.1,
 * NAME.2, ..., the first one free,
 * said without -v, once a run, so that a person removes it.  The file
 * still reaches the receipt folder under NAME. */
static char *
staged_name(struct run *r, const char *name)
{
	char *n = xstrdup(name), *p, *q1, *q2;
	unsigned k = 0;
	size_t i;

	for (i = 0; i < r->nstg; i++) {
		if (r->stg[i].is_reg || strcmp(r->stg[i].name, n) != 0)
			continue;
		free(n);
		n = xasprintf("%s.%u", name, ++k);
		i = (size_t)-1;		/* look again for the new name */
	}
	if (k) {
		p = remote(r->c->netsuite.receipt_staging_dir, name);
		q1 = msg_quote(p, strlen(p));
		q2 = msg_quote(n, strlen(n));
		msg_warn("%s: a folder in the staging folder (or something "
		    "else posync does not remove: a link, a file it cannot "
		    "remove) has this file's name; staged as %s instead: "
		    "remove it", q1, q2);
		free(p);
		free(q1);
		free(q2);
	}
	return n;
}

static void
progress(uint64_t done, uint64_t total, void *arg)
{
	static int64_t last;
	int64_t t = now_ms();

	if (t - last < 500 && done < total)
		return;
	last = t;
	fprintf(stderr, "\r%s: %s: %3d%%", progname, (const char *)arg,
	    total ? (int)(done * 100 / total) : 100);
	if (done >= total)
		fputc('\n', stderr);
}

/* Cheap checks that keep a stray file from reaching NetSuite. */
static int
check_file(const char *path, int fd)
{
	struct stat st;
	char c = 0;
	ssize_t n;

	if (fstat(fd, &st) < 0) {
		msg_warnerr("%s", path);
		return EX_IOERR;
	}
	if (st.st_size > MAX_RECEIPT)
		return msg_warn("%s: larger than NetSuite's 100 MB limit", path), EX_DATAERR;
	do
		n = read(fd, &c, 1);
	while (n == 1 && (c == ' ' || c == '\t' || c == '\n' || c == '\r'));
	if (n != 1 || c != '[')
		return msg_warn("%s: not a JSON array of receipts", path), EX_DATAERR;
	return 0;
}

/* The rename into the receipt folder found something of the file's name
 * there, come since the listing: a regular file (there or archived) is
 * this one published meanwhile, the staged copy goes; anything else is
 * in the way (in_the_way), and one gone again is tried next run.  The
 * staged copy goes in every case: the file stays in SPOOL/receipt/new. */
static int
rename_refused(struct run *r, struct item *it, const char *staged)
{
	const char *kind = NULL;
	char *way, *q;
	int st, s;

	st = went_out(r, it->name, 1, &way, &kind);
	if (st == 0)
		msg_warn("%s: was already in the receipt folder; not published again",
		    it->path);
	if ((s = sftp_remove(r->s, staged)) == 0)
		r->stg_left--;	/* staging_dirty */
	if (st == IN_THE_WAY)
		return exit_merge(in_the_way(r, (size_t)(it - r->q), way, kind), s);
	if (st == SFTP_MISSING) {
		q = msg_quote(it->path, strlen(it->path));
		msg_warn("%s: the receipt folder held something of its name, gone "
		    "again: left for the next run", q);
		free(q);
		st = EX_TEMPFAIL;
	}
	return exit_merge(st, s);
}

/* Upload into staging, check, rename into the receipt folder. */
static int
publish(struct run *r, struct item *it)
{
	const struct config *c = r->c;
	char *sname, *staged, *final;
	int fd = -1, st;

	/* the sweep an idle run skips (staging_noted): staged_name must
	 * know what is there, and a leftover goes before a new upload */
	if (!r->stg_swept && (st = clean_staging(r)))
		return st;
	sname = staged_name(r, it->name);
	staged = remote(c->netsuite.receipt_staging_dir, sname);
	final = remote(c->netsuite.receipt_dir, it->name);
	free(sname);
	fd = open(it->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		msg_warnerr("%s", it->path);
		st = EX_IOERR;
		goto out;
	}
	if ((st = check_file(it->path, fd))) {
		if (st == EX_DATAERR && !r->dry && spool_fail(r->area, "new", it->name,
		    "not published: not a JSON array of at most 100 MB"))
			st = EX_IOERR;
		goto out;
	}
	if (r->dry) {
		char *q1 = msg_quote(it->path, strlen(it->path));
		char *q2 = msg_quote(final, strlen(final));

		printf("would publish %s as %s\n", q1, q2);
		free(q1);
		free(q2);
		goto out;
	}
	if (!r->staging_ready) {
		if ((st = sftp_mkdir_p(r->s, c->netsuite.receipt_staging_dir)))
			goto out;
		r->staging_ready = 1;
	}
	staging_dirty(r);
	if (isatty(2))
		sftp_set_progress(r->s, progress, it->name);
	st = sftp_put(r->s, fd, staged);
	sftp_set_progress(r->s, NULL, NULL);
	if (st)
		goto out;
	st = sftp_rename(r->s, staged, final);
	if (st == 0 || st == SFTP_MISSING)
		r->stg_left--;	/* the staged copy is gone */
	if (st == SFTP_MISSING) {
		/* someone emptied the staging folder between the upload and
		 * the rename: nothing reached NetSuite, the next run sends it */
		char *q = msg_quote(staged, strlen(staged));

		msg_warn("%s: its upload %s was gone before it could be "
		    "published; kept for the next run", it->path, q);
		free(q);
		st = EX_TEMPFAIL;
	} else if (st == EX_CANTCREAT) {
		st = rename_refused(r, it, staged);
	}
	if (st)
		goto out;
	/* counted as NetSuite can see it: a run that dies before the move
	 * to cur/ leaves it to the next, which only moves it (went_out) */
	metric_add(M_RECEIPT_FILES_PUBLISHED, 1);
	msg_info("%s: published as %s", it->path, final);
	/* spool_move stamps it in cur/ with this host's time: the publish
	 * time the stale check measures by (published_at), never the
	 * server's mtime, which a server clock ahead would push out */
	st = spool_move(r->area, "new", "cur", it->name);
out:
	if (fd >= 0)
		close(fd);
	free(staged);
	free(final);
	return st;
}

/* Holding is quiet for cron, but a person who named a file expects to
 * hear what became of it: said once, by this run. */
static void
say_held_by_hand(struct run *r, size_t from)
{
	size_t i;
	char *q;

	for (i = from; i < r->nq; i++) {
		if (!r->q[i].by_hand)
			continue;
		q = msg_quote(r->q[i].path, strlen(r->q[i].path));
		msg_warn("%s: held until NetSuite reads the receipt file waiting "
		    "in %s; a later run publishes it, before any receipt file "
		    "made after it", q, r->c->netsuite.receipt_dir);
		free(q);
	}
}

static int
push_all(struct run *r)
{
	const struct config *c = r->c;
	const char *kind = NULL;
	size_t i;
	char *way;
	int st = 0, s;

	if (r->export_pending) {
		msg_info("an interrupted receipt-export must finish first: "
		    "nothing published this run");
		if (r->dry)
			printf("would hold every file: an interrupted "
			    "receipt-export must finish first\n");
		return 0;
	}
	if ((s = write_held(r, r->nq)))
		return s;
	for (i = 0; i < r->nq; i++) {
		struct item *it = &r->q[i];

		/* listed under the publish lock, no fold removes a file now;
		 * one gone since was removed by a person: skipped quietly */
		if (access(it->path, F_OK) < 0 && errno == ENOENT) {
			msg_info("%s: gone from the spool; skipped", it->path);
			continue;
		}
		s = went_out(r, it->name, 0, &way, &kind);
		if (s == IN_THE_WAY)	/* none after it goes past it */
			return exit_merge(st, in_the_way(r, i, way, kind));
		if (s == 0) {
			msg_info("%s: published before; not sent again", it->path);
			if (r->dry) {
				char *q = msg_quote(it->path, strlen(it->path));

				printf("would move %s to %s (published before)\n",
				    q, r->curdir);
				free(q);
			} else if ((s = spool_move(r->area, "new", "cur", it->name)))
				return exit_merge(st, s);	/* stamped now */
			continue;
		}
		if (s != SFTP_MISSING)
			return exit_merge(st, s);
		if (r->waiting) {
			msg_info("%s: held until NetSuite reads the file waiting in %s",
			    it->path, c->netsuite.receipt_dir);
			say_held_by_hand(r, i);
			return exit_merge(st, write_held(r, i));
		}
		s = publish(r, it);
		if (s == EX_DATAERR) {		/* that file only; the rest go on */
			st = exit_merge(st, s);
			continue;
		}
		if (s)
			return exit_merge(st, s);
		r->waiting = 1;
	}
	return st;
}

/* ------------------------------------------------------ NetSuite's errors */

/* What report_rows walks: one error CSV's rows (csvio). */
struct errwalk {
	const char *where, *local;	/* where: the remote path, quoted */
	size_t row, said;		/* said: in this file */
	size_t *said_run;		/* in this run (MAX_ERROR_ROWS) */
};

/* Say one row (orderId,errorMessage) of an error CSV; the first row is
 * the header.  Every byte from NetSuite is quoted (msg_quote). */
static int
report_row(const struct csvio_row *row, void *arg)
{
	struct errwalk *w = arg;
	char *q1, *q2;

	if (row->n == 0 || (row->n == 1 && !row->len[0]))
		return 0;	/* an empty row: nothing to say or count */
	if (w->row++ == 0 || *w->said_run >= MAX_ERROR_ROWS)
		return 0;	/* the header; or said enough: counted */
	q1 = msg_quote(row->f[0], row->len[0]);
	if (row->n > 1) {
		q2 = msg_quote(row->f[1], row->len[1]);
		msg_warn("NetSuite could not receive PO %s: %s (%s, copied to %s)",
		    q1, q2, w->where, w->local);
		free(q2);
	} else
		msg_warn("NetSuite could not receive PO %s (%s, copied to %s)",
		    q1, w->where, w->local);
	free(q1);
	w->said++;
	(*w->said_run)++;
	return 0;
}

/* Say each row of an error CSV (orderId,errorMessage), read with libcsv:
 * NetSuite quotes as RFC 4180 does (commas, quotes, line ends inside a
 * message). */
static void
report_rows(struct run *r, const char *rpath, const char *local)
{
	struct errwalk w = { NULL, local, 0, 0, &r->rows_said };
	char *data, *where;
	size_t len;

	where = msg_quote(rpath, strlen(rpath));
	w.where = where;
	if (read_file(local, MAX_ERRCSV, &data, &len) < 0) {
		msg_warn("NetSuite reported receipt errors in %s (copied to %s)", where, local);
		free(where);
		return;
	}
	if (csvio_parse(data, len, report_row, &w) != 0)
		msg_warn("NetSuite reported receipt errors in %s (copied to %s)", where, local);
	else if (w.row > 1 + w.said)
		msg_warn("%s: %zu more rows in %s", where, w.row - 1 - w.said, local);
	else if (w.row <= 1)
		msg_warn("NetSuite wrote the error file %s (copied to %s)", where, local);
	free(where);
	free(data);
}

/* Copy one error CSV, as listed in e, and report it.  0; FUTURE_LATER
 * when it is not settled (future.h: NetSuite still writing, not seen
 * yet); else a status. */
static int
copy_error(struct run *r, const char *rpath, const char *local_name,
    const struct sftp_entry *e)
{
	struct spool_file sf;
	char *local;
	int st;

	if ((st = spool_create(&sf, r->area, local_name)))
		return st;
	/* the second look (future.h): still as listed once read */
	st = future_fetch(r->s, e, rpath, "NetSuite's error folder",
	    fileno(sf.fp), MAX_ERRCSV);
	if (st) {
		spool_abort(&sf);
		return st;
	}
	if ((st = spool_commit(&sf, "errors")))
		return st;
	local = xasprintf("%s/errors/%s", r->area, local_name);
	report_rows(r, rpath, local);
	free(local);
	return 0;
}

/* An error CSV NetSuite may still be writing, left for a later run: the
 * same rule as po-export-parse's for its CSVs (future.h): younger than
 * [netsuite] po_min_age by the server's clock, or with an mtime ahead of
 * it and not yet unchanged across two runs. */
static int
too_young(struct run *r, struct future *fu, const struct sftp_entry *e,
    const char *rpath, const char *sn)
{
	char *q = msg_quote(rpath, strlen(rpath));
	int young = future_wait(fu, e, sn, q, r->dry);

	free(q);
	return young;
}

/* Is there an error CSV not reported yet?  Only then is the server's
 * clock asked (future_clock, in the staging folder, posync's own): a
 * quiet run costs no more requests. */
static int
any_fresh(const struct notes *seen, const struct sftp_entry *e, size_t n)
{
	size_t i;
	char *sn;
	int fresh = 0;

	for (i = 0; i < n && !fresh; i++) {
		if (!e[i].is_reg)
			continue;
		sn = safename(e[i].name, strlen(e[i].name));
		fresh = !notes_find(seen, sn);
		free(sn);
	}
	return fresh;
}

/* One walk over receipt_error_dir. */
struct errscan {
	const char *dir;
	struct notes *seen;	/* SEEN_FILE: the names reported, "SAFENAME" */
	struct future fu;	/* FUTURE_FILE */
	size_t fresh;		/* reported this run */
	int lost;		/* the connection: nothing more this run */
	size_t left;		/* neither reported nor seen before: for later */
	struct notes *dn;	/* ERRDIR_FILE (errdir_proven), or NULL */
};

/* One regular file of the listing, e: reported unless seen before (its
 * name kept either way), young (left, not seen), or the connection was
 * lost.  A file that cannot be copied is tried again next run, but does
 * not keep the others from being reported, nor make the names after it
 * forgotten (and reported twice); only a lost connection stops the walk.
 * Its status. */
static int
report_one(struct run *r, struct errscan *x, const struct sftp_entry *e)
{
	char *sn = safename(e->name, strlen(e->name)), *rpath, *q;
	int c = 0;

	if (notes_find(x->seen, sn))
		notes_keep(x->seen, sn);
	if (notes_find(x->seen, sn) || x->lost) {
		x->left += !notes_find(x->seen, sn);
		free(sn);
		return 0;
	}
	rpath = remote(x->dir, e->name);
	if (too_young(r, &x->fu, e, rpath, sn))
		c = FUTURE_LATER;
	else if (r->dry) {	/* the name is NetSuite's: quoted */
		q = msg_quote(rpath, strlen(rpath));
		printf("would report and copy NetSuite's error file %s\n", q);
		free(q);
	} else if ((c = copy_error(r, rpath, sn, e)) == EX_DATAERR) {
		/* too large to copy: said once, to be read there */
		q = msg_quote(rpath, strlen(rpath));
		msg_warn("NetSuite reported receipt errors in %s, too "
		    "large to copy: read it on the server", q);
		free(q);
		c = 0;
	}
	free(rpath);
	if (c != FUTURE_LATER) {	/* a file left is neither seen nor an error */
		if (c == 0) {
			notes_keep(x->seen, sn);
			x->fresh++;
		}
		x->lost = sftp_lost(r->s, c);
	}
	x->left += c != 0;	/* left, or tried again next run */
	free(sn);
	return c == FUTURE_LATER ? 0 : c;
}

/* Is dir a folder right inside receipt_dir (the default error folder),
 * by this run's listing of it?  1 a folder (*ent its entry there, with
 * its mtime), 0 not there; -1 when the listing cannot tell (not listed,
 * not right inside, not a plain folder): then the server is asked.
 * Saves a round trip on every run, the idle one too; a folder made since
 * the listing is seen the next run. */
static int
in_receipt_dir(const struct run *r, const char *dir,
    const struct sftp_entry **ent)
{
	const char *rd = r->c->netsuite.receipt_dir, *base;
	size_t len = strlen(rd), i;

	if (!r->rd_listed || strncmp(dir, rd, len) != 0 || dir[len] != '/')
		return -1;
	base = dir + len + 1;
	if (!*base || strchr(base, '/'))
		return -1;
	for (i = 0; i < r->nrd; i++)
		if (strcmp(r->rd[i].name, base) == 0) {
			*ent = &r->rd[i];
			return r->rd[i].is_dir ? 1 : -1;
		}
	return 0;
}

/*
 * Whether the error folder need not be listed: SPOOL/state/
 * receipt-push.errors-dir (notes.h, state_notes), one key, the folder
 * (safename): "MTIME FIRST PROVEN WALKED".  MTIME is the folder's mtime
 * as receipt_dir's listing last showed it (its entry there, no request
 * of its own); FIRST this host's CLOCK_MONOTONIC, in s, just after the
 * server was first seen to show it; PROVEN 1 once a walk of the folder
 * that began ERRDIR_SETTLE s or more after FIRST left no file in it for
 * later (every one reported, or seen before), ERRDIR_NEVER once a walk
 * found a new file under an MTIME proven unchanged (errdir_record);
 * WALKED this host's time(NULL) when the last walk began.  Listed unless
 * the entry shows that MTIME, it is PROVEN 1, and the last walk is less
 * than ERRDIR_RELIST old: a server whose folder times do not follow
 * their files (some object-store ones) delays a report by that much at
 * most, once, never loses it.
 *
 * Why the wait: an mtime has a one-second grain, so a file added in the
 * same second as a walk, after it, leaves the folder's mtime as the walk
 * saw it.  A walk begun two seconds and more after the server already
 * showed MTIME saw every file added in MTIME's second, and a file added
 * after the walk began falls in a later second: a new MTIME.  So an
 * unchanged MTIME is believed only once such a walk proved it; till
 * then each run lists the folder (at most the first run or two after
 * each change).  The seconds are counted on the monotonic clock, which a
 * step of the wall clock does not move; across a reboot it starts again
 * (FIRST ahead of it: seen anew) or counts less than went by.  A file
 * left for later (young, or its mtime ahead: future.h), one that could
 * not be copied, a walk cut short: not proven, listed again.  No mtime
 * from the server (0): always listed.  A file rewritten in place under a
 * name already seen was never reported again anyway (SEEN_FILE keeps
 * names).  What it rests on: the server's clock advances with this
 * host's between two runs, as the stale alarm's does.
 */
#define ERRDIR_NEVER 2

static int
errdir_proven(struct errscan *x, const struct run *r,
    const struct sftp_entry *e, long long rec[4], time_t now)
{
	char *sn = safename(x->dir, strlen(x->dir));
	const char *v;

	x->dn = state_notes(r, ERRDIR_FILE);
	rec[0] = rec[1] = rec[2] = rec[3] = -1;	/* no record */
	if (x->dn && (v = notes_find(x->dn, sn)) && notes_nums(v, rec, 4) != 0)
		rec[0] = rec[1] = rec[2] = rec[3] = -1;	/* damaged: none */
	free(sn);
	return e && e->mtime > 0 && rec[0] == (long long)e->mtime &&
	    rec[2] == 1 && rec[3] <= now && now - rec[3] < ERRDIR_RELIST;
}

/* PROVEN for the record of a walk: whole when it left nothing for later;
 * mono the monotonic s it began at, from FIRST.  A new file found under
 * the MTIME proven unchanged (a walk of ERRDIR_RELIST, or of a clock set
 * back) proves instead that the folder's time does not follow its
 * files: never believed again, said once. */
static int
errdir_state(const struct errscan *x, const struct sftp_entry *e,
    const long long rec[4], long long first, long long mono, int whole)
{
	char *q;

	if (rec[2] == ERRDIR_NEVER)
		return ERRDIR_NEVER;
	if (rec[0] == (long long)e->mtime && rec[2] == 1 && (x->fresh || x->left)) {
		q = msg_quote(x->dir, strlen(x->dir));
		msg_warn("%s: a new file, and the folder's time as before: the "
		    "SFTP server's folder times do not follow their files; the "
		    "folder is listed on every run from now on", q);
		free(q);
		return ERRDIR_NEVER;
	}
	return whole && mono - first >= ERRDIR_SETTLE;
}

/* After a walk (begun at this host's time walked) of the folder whose
 * entry in receipt_dir is e: the record errdir_proven reads next run.
 * Not with -n, nor when the record is unusable (state_notes). */
static int
errdir_record(const struct run *r, struct errscan *x,
    const struct sftp_entry *e, const long long rec[4], time_t walked,
    long long mono, int whole)
{
	long long first = rec[1];
	char *sn;
	int st;

	if (r->dry || !x->dn)
		return 0;
	if (rec[0] != (long long)e->mtime || first < 0 || first > mono)
		first = mono;	/* first seen so now (or a reboot since) */
	sn = safename(x->dir, strlen(x->dir));
	if (e->mtime > 0)
		notes_keepf(x->dn, sn, "%lld %lld %d %lld", (long long)e->mtime,
		    first, errdir_state(x, e, rec, first, mono, whole),
		    (long long)walked);
	free(sn);
	st = notes_save(x->dn);
	return st;
}

/* Every regular file of the error folder's listing: reported, or left
 * (x->left counts those that are neither reported nor seen before). */
static int
report_each(struct run *r, struct errscan *x, struct sftp_entry *e, size_t n)
{
	int s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (e[i].is_reg)
			s = exit_merge(s, report_one(r, x, &e[i]));
	return s;
}

static int
report_errors(struct run *r)
{
	struct errscan x = { r->c->netsuite.receipt_error_dir, NULL, {0}, 0, 0,
	    0, NULL };
	const struct sftp_entry *ent = NULL;
	struct sftp_entry *e = NULL, st;
	long long rec[4], mono = mono_ms() / 1000;
	size_t n = 0;
	char *state;
	time_t walked = time(NULL);
	int s, s2 = 0, k;

	if (!x.dir || (k = in_receipt_dir(r, x.dir, &ent)) == 0)
		return 0;
	if (k > 0 && errdir_proven(&x, r, ent, rec, walked)) {
		notes_close(x.dn);
		return 0;	/* nothing new there (errdir_proven) */
	}
	if ((s = k > 0 ? 0 : sftp_stat(r->s, x.dir, &st)) == SFTP_MISSING)
		s = 0;
	else if (s == 0 && (s = sftp_list(r->s, x.dir, &e, &n)) == 0) {
		state = spool_state_path(r->c->spool.dir, SEEN_FILE);
		/* unreadable: stop, lest every file in it be said again */
		x.seen = notes_open(state, 1);
		free(state);
		s = x.seen ? 0 : EX_IOERR;
	}
	if (!x.seen) {
		notes_close(x.dn);
		sftp_entries_free(e, n);
		return s;
	}
	future_open(&x.fu, r->c->spool.dir, FUTURE_FILE, r->c->netsuite.po_min_age);
	/* the probe needs no staging_dirty: staging_noted says why */
	if (any_fresh(x.seen, e, n) && (s = future_clock(&x.fu, r->s,
	    r->c->netsuite.receipt_staging_dir, r->dry)))
		x.lost = 1;	/* the connection: nothing more this run */
	s = exit_merge(s, report_each(r, &x, e, n));
	/* Only names still on the server are kept: the list stays small.
	 * The new ones are counted once they are kept as seen. */
	if (!r->dry && (s2 = notes_save(x.seen)) == 0)
		metric_add(M_NETSUITE_ERROR_FILES, (long long)x.fresh);
	s = exit_merge(s, r->dry ? 0 : s2);
	/* a walk stopped by a lost connection saw only some files: the
	 * notes of the rest are kept */
	if (!r->dry && !x.lost)
		s = exit_merge(s, future_save(&x.fu));
	if (k > 0 && !x.lost)
		s = exit_merge(s, errdir_record(r, &x, ent, rec, walked, mono,
		    !s && !x.left));
	future_close(&x.fu);
	notes_close(x.seen);
	notes_close(x.dn);
	sftp_entries_free(e, n);
	return s ? s : x.fresh && !r->dry ? EX_DATAERR : 0;
}

/* ------------------------------------------------------------------ main */

static int
run(struct run *r, int argc, char **argv)
{
	const struct config *c = r->c;
	int st, s;

	if ((s = build_queue(r, argc, argv, &st)) != 0)
		return exit_merge(st, s);
	if ((s = sftp_open(c, &r->s))) {
		if (r->nq)
			msg_warn("%zu receipt file(s) kept in %s for the next run",
			    r->nq, r->newdir);
		return exit_merge(st, s);
	}
	/* A stale file is said, then the queue is still walked: it holds
	 * anyway, and files published before a crash still move to cur/.
	 * Staging is swept first unless noted clean (staging_noted). */
	staging_noted(r);
	s = r->stg_noted ? 0 : clean_staging(r);
	if (s == 0 && ((s = look_at_receipt_dir(r)) == 0 || s == EX_TEMPFAIL))
		s = exit_merge(s, push_all(r));
	lock_drop(&r->pubfd);	/* chosen files are in cur/, or held */
	st = exit_merge(st, s);
	/* EX_CONFIG: a file held behind something in the way (in_the_way) */
	if (exit_done(s) || s == EX_TEMPFAIL || s == EX_CONFIG)
		st = exit_merge(st, report_errors(r));
	if (!r->dry && !r->stg_noted && r->stg_clean && r->stg_left == 0)
		staging_note(r, 1);
	notes_close(r->stg_notes);
	r->stg_notes = NULL;
	return st;
}

static const struct prog_spec spec = {
	.lock = LOCK_NAME,
	.area = "receipt",
	.operands = "[file.json ...]",
	.dry = "dry run: say what would be published, change nothing",
	.check = config_check_staging,
};

int
main(int argc, char **argv)
{
	struct prog *prog;
	struct config cfg;
	struct run r = {0};
	char **files;
	int nfiles, st;
	size_t i;

	prog = prog_parse(&spec, argc, argv, NULL);
	r.dry = prog_dry(prog);
	r.pubfd = -1;
	files = prog_operands(prog, &nfiles);
	if ((st = prog_start(prog, &cfg)) == 0) {
		r.c = &cfg;
		r.held_path = spool_state_path(cfg.spool.dir, RFILE_HELD);
		r.area = spool_area_path(cfg.spool.dir, "receipt", NULL);
		r.newdir = spool_area_path(cfg.spool.dir, "receipt", "new");
		r.curdir = spool_area_path(cfg.spool.dir, "receipt", "cur");
		st = run(&r, nfiles, files);
		sftp_close(r.s);
		if (!r.dry)
			st = exit_merge(st, spool_prune(r.curdir, cfg.spool.keep_days));
	}
	for (i = 0; i < r.nq; i++) {
		free(r.q[i].name);
		free(r.q[i].path);
	}
	free(r.q);
	sftp_entries_free(r.rd, r.nrd);
	sftp_entries_free(r.stg, r.nstg);
	lock_drop(&r.pubfd);
	free(r.area); free(r.newdir); free(r.curdir);
	free(r.held_path);
	return prog_finish(prog, st);
}
