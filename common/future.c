/*
 * future -- see future.h.  Moved here from po-export-parse so that its
 * CSVs and NetSuite's receipt error CSVs follow one rule, the server's
 * clock included.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "future.h"
#include "msg.h"
#include "notes.h"
#include "spool.h"

void
future_open(struct future *f, const char *spooldir, const char *name,
    int min_age)
{
	char *path = spool_state_path(spooldir, name);

	memset(f, 0, sizeof *f);
	f->min_age = min_age;
	f->notes = notes_open(path, 0);
	free(path);
}

/* "3 h 5 min": a skew a person reads at a glance. */
static char *
span(long long s)
{
	if (s >= 86400)
		return xasprintf("%lld d %lld h", s / 86400, s % 86400 / 3600);
	if (s >= 3600)
		return xasprintf("%lld h %lld min", s / 3600, s % 3600 / 60);
	return xasprintf("%lld min %lld s", s / 60, s % 60);
}

static void
say_skew(const struct future *f, const char *dir)
{
	long long d = f->skew < 0 ? -(long long)f->skew : (long long)f->skew;
	char *q = msg_quote(dir, strlen(dir)), *sp = span(d);

	msg_warn("the SFTP server's clock is %lld s (%s) %s this host's, by a "
	    "file written in %s: the ages of its files are measured by the "
	    "server's clock; set both clocks right (this host's also dates "
	    "receipt-export's cursor)", d, sp, f->skew > 0 ? "ahead of" :
	    "behind", q);
	free(sp);
	free(q);
}

int
future_clock(struct future *f, struct sftp *s, const char *dir, int dry)
{
	struct sftp_entry e;
	time_t before = time(NULL), srv = 0;
	char *q;
	int st;

	if (dry) {	/* -n writes nothing on the server, not even this */
		msg_info("a dry run writes no clock probe on the SFTP server: "
		    "file ages are measured by this host's clock");
		return 0;
	}
	st = sftp_server_now(s, dir, &srv);
	/* a folder of posync's own, missing: made, then asked again */
	if (st == SFTP_NO_CLOCK && sftp_stat(s, dir, &e) == SFTP_MISSING &&
	    sftp_mkdir_p(s, dir) == 0) {
		before = time(NULL);
		st = sftp_server_now(s, dir, &srv);
	}
	if (st == SFTP_NO_CLOCK || (st == 0 && srv <= 0)) {
		q = msg_quote(dir, strlen(dir));
		msg_info("the SFTP server's clock is unknown (no file could be "
		    "written in %s): file ages are measured by this host's clock", q);
		free(q);
		return 0;
	}
	if (st)
		return st;
	f->server = 1;
	f->skew = srv - before;
	if (f->skew > FUTURE_SKEW_SAY || f->skew < -FUTURE_SKEW_SAY)
		say_skew(f, dir);
	else
		msg_info("the SFTP server's clock is %lld s from this host's",
		    (long long)f->skew);
	return 0;
}

time_t
future_now(const struct future *f)
{
	return time(NULL) + f->skew;
}

static int
future_ok(struct future *f, const struct sftp_entry *e, const char *safe,
    const char *q, time_t now)
{
	const char *p = notes_find(f->notes, safe);
	long long v[3], seen = (long long)now;	/* SIZE MTIME SEEN */
	int take = 0, known = 0;

	if (p && notes_nums(p, v, 3) == 0)
		known = (uint64_t)v[0] == e->size && v[1] == (long long)e->mtime;
	if (known) {
		seen = v[2];
		take = (long long)now - seen >= f->min_age;
	}
	if (f->server)
		msg_warn("%s: its mtime is %lld s in the future by the SFTP "
		    "server's own clock (set by whoever wrote it?): %s", q,
		    (long long)(e->mtime - now), take ? "taken, its size and "
		    "mtime unchanged since an earlier run" : "left until its size "
		    "and mtime have held for po_min_age by the server's clock");
	else
		msg_warn("%s: its mtime is %lld s in the future (is the SFTP "
		    "server's clock ahead of this host's?): %s", q,
		    (long long)(e->mtime - now), take ? "taken, its size and mtime "
		    "unchanged since an earlier run" : "left until its size and "
		    "mtime have held for po_min_age by this host's clock");
	if (!take)
		notes_keepf(f->notes, safe, "%llu %lld %lld",
		    (unsigned long long)e->size, (long long)e->mtime, seen);
	return take;
}

int
future_wait(struct future *f, const struct sftp_entry *e, const char *safe,
    const char *q, int dry)
{
	time_t now = future_now(f), age = now - e->mtime;

	if (e->mtime > now + 1) {	/* a second of rounding is no skew */
		if (future_ok(f, e, safe, q, now))
			return 0;
		if (dry)
			printf("would wait for %s (its mtime is in the future)\n", q);
		return 1;
	}
	if (age >= f->min_age)
		return 0;
	msg_info("%s changed %llds ago%s: left until it is %d s old", q,
	    (long long)age, f->server ? " by the server's clock" : "", f->min_age);
	if (dry)
		printf("would wait for %s (changed %llds ago)\n", q, (long long)age);
	return 1;
}

/* The same remote file as far as SFTP can tell: its mtime has whole
 * seconds, so a rewrite of the same size within the same second is not
 * seen (po-export-parse(1), CAVEATS). */
int
future_same(const struct sftp_entry *listed, const struct sftp_entry *now,
    uint64_t got)
{
	return now->size == listed->size && now->mtime == listed->mtime &&
	    (got == FUTURE_UNREAD || got == listed->size);
}

/* remote's state said under -v: left for the next run */
static int
later(const char *remote, const char *why)
{
	char *q = msg_quote(remote, strlen(remote));

	msg_info("%s%s", q, why);
	free(q);
	return FUTURE_LATER;
}

int
future_fetch(struct sftp *s, const struct sftp_entry *e, const char *remote,
    const char *folder, int fd, uint64_t max)
{
	struct sftp_entry now;
	uint64_t got;
	int st;

	st = sftp_get_listed(s, remote, e->size, fd, max, &got);
	if (st == 0)
		st = sftp_stat(s, remote, &now);
	return future_judge(s, e, remote, folder, max, st, got, &now);
}

/* A read that failed as a file being written does (sftp's EX_TEMPFAIL),
 * looked at again: 1 when the file did move (grew, shrank, went, or is no
 * file now), so the next run judges it afresh; 0 when it is as listed,
 * for the failure to be the run's status -- a server failing to read an
 * unchanged file every run must not look like success. */
static int
moved(struct sftp *s, const struct sftp_entry *e, const char *remote)
{
	struct sftp_entry now;
	const char *kind;
	int st;

	st = sftp_lstat(s, remote, &now, &kind);
	if (st == SFTP_MISSING)
		return 1;
	return st == 0 && (!now.is_reg || !future_same(e, &now, FUTURE_UNREAD));
}

int
future_judge(struct sftp *s, const struct sftp_entry *e, const char *remote,
    const char *folder, uint64_t max, int st, uint64_t got,
    const struct sftp_entry *now)
{
	char *why;

	if (st == 0 && now->size > max) {	/* listed within max: grew */
		why = xasprintf(": %llu bytes, more than the %llu allowed, "
		    "though listed with %llu: left for the next run",
		    (unsigned long long)now->size, (unsigned long long)max,
		    (unsigned long long)e->size);
		st = later(remote, why);
		free(why);
		return st;
	}
	if (st == 0 && !future_same(e, now, got))
		return later(remote, " changed while it was read: left for the "
		    "next run");
	if (st == SFTP_MISSING) {
		why = xasprintf(": gone from %s since it was listed; skipped",
		    folder);
		st = later(remote, why);
		free(why);
		return st;
	}
	if (st == EX_TEMPFAIL && !sftp_expired(s) && moved(s, e, remote))
		return FUTURE_LATER;	/* grew or went while read: said by sftp */
	return st;
}

int
future_save(struct future *f)
{
	return notes_save(f->notes);
}

void
future_close(struct future *f)
{
	notes_close(f->notes);
	memset(f, 0, sizeof *f);
}
