/*
 * flusher -- see flusher.h.
 *
 * The caller queues files; the thread wakes when half of cap is queued
 * (or at the join), takes the whole queue and works through it unlocked,
 * so the two threads meet about once every cap / 2 files rather than
 * once a file: a wake-up per file would preempt the caller on its own
 * core more often than it saved (bench/README.md).  The files the thread
 * has taken count against cap until it has closed them all.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flusher.h"
#include "msg.h"
#include "util.h"

struct queued {
	int fd;
	char *what;
	unsigned long tag;
};

struct failed {			/* a tag's first failed close */
	unsigned long tag, more;
	char *what;
	int err;
};

struct fails {
	struct failed *v;
	size_t n, cap;
	int lost;		/* one could not be kept: every tag failed */
};

struct flusher {
	pthread_t t;
	pthread_mutex_t mu;
	pthread_cond_t cv;	/* the queue, busy or end changed */
	struct queued q[FLUSHER_FDS];
	size_t n, busy, cap;	/* queued, being closed, at most both */
	int started, end;
	struct fails now;	/* since the last join */
	struct fails said;	/* at the last join: flusher_failed */
};

struct flusher *
flusher_new(void)
{
	struct flusher *f = xcalloc(1, sizeof *f);
	size_t room = fd_room() / 8;

	f->cap = room < FLUSHER_FDS ? room : FLUSHER_FDS;
	if (f->cap < 2)
		f->cap = 0;
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv, NULL);
	return f;
}

/* w's close failed with err: kept in f->now, under mu.  No msg, no x*
 * allocation: this runs on the thread. */
static void
fail(struct flusher *f, struct queued *w, int err)
{
	struct fails *s = &f->now;
	struct failed *v;
	size_t i;

	for (i = 0; i < s->n && s->v[i].tag != w->tag; i++)
		;
	if (i < s->n) {
		s->v[i].more++;
		free(w->what);
		return;
	}
	if (s->n == s->cap) {
		v = realloc(s->v, (s->cap * 2 + 4) * sizeof *v);
		if (!v) {
			s->lost = 1;
			free(w->what);
			return;
		}
		s->v = v;
		s->cap = s->cap * 2 + 4;
	}
	s->v[s->n++] = (struct failed){ w->tag, 0, w->what, err };
}

/* Start its writeback, close it. */
static void
finish(struct flusher *f, struct queued *w)
{
	int e;

	(void)sync_file_range(w->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	if (close(w->fd) == 0) {
		free(w->what);
		return;
	}
	e = errno;
	pthread_mutex_lock(&f->mu);
	fail(f, w, e);
	pthread_mutex_unlock(&f->mu);
}

static void *
run(void *arg)
{
	struct flusher *f = arg;
	struct queued mine[FLUSHER_FDS];
	size_t k, i;

	pthread_mutex_lock(&f->mu);
	for (;;) {
		while (f->n < f->cap / 2 && !f->end)
			pthread_cond_wait(&f->cv, &f->mu);
		if (!(k = f->n))
			break;		/* the end, and nothing left */
		memcpy(mine, f->q, k * sizeof *mine);
		f->n = 0;
		f->busy = k;
		pthread_mutex_unlock(&f->mu);
		for (i = 0; i < k; i++)
			finish(f, &mine[i]);
		pthread_mutex_lock(&f->mu);
		f->busy = 0;
		pthread_cond_broadcast(&f->cv);	/* room again */
	}
	pthread_mutex_unlock(&f->mu);
	return NULL;
}

void
flusher_close(struct flusher *f, int fd, char *what, unsigned long tag)
{
	struct queued w = { fd, what, tag };

	if (f->cap && !f->started && pthread_create(&f->t, NULL, run, f) == 0)
		f->started = 1;
	if (!f->started) {
		finish(f, &w);
		return;
	}
	pthread_mutex_lock(&f->mu);
	while (f->n + f->busy >= f->cap)
		pthread_cond_wait(&f->cv, &f->mu);
	f->q[f->n++] = w;
	if (f->n >= f->cap / 2)
		pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
}

size_t
flusher_fds(const struct flusher *f)
{
	return f->cap;
}

static void
fails_free(struct fails *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].what);
	free(s->v);
	memset(s, 0, sizeof *s);
}

int
flusher_join(struct flusher *f)
{
	struct failed *b;
	size_t i;

	if (f->started) {
		pthread_mutex_lock(&f->mu);
		f->end = 1;
		pthread_cond_broadcast(&f->cv);
		pthread_mutex_unlock(&f->mu);
		pthread_join(f->t, NULL);
		f->started = f->end = 0;
	}
	fails_free(&f->said);
	f->said = f->now;
	memset(&f->now, 0, sizeof f->now);
	for (i = 0; i < f->said.n; i++) {
		b = &f->said.v[i];
		errno = b->err;
		if (b->more)
			msg_warnerr("cannot write %s (and %lu more like it)",
			    b->what, b->more);
		else
			msg_warnerr("cannot write %s", b->what);
	}
	if (f->said.lost)
		msg_warn("cannot write some files (no memory left to say which)");
	return f->said.n || f->said.lost ? -1 : 0;
}

int
flusher_failed(const struct flusher *f, unsigned long tag)
{
	size_t i;

	if (f->said.lost)
		return 1;
	for (i = 0; i < f->said.n; i++)
		if (f->said.v[i].tag == tag)
			return 1;
	return 0;
}

void
flusher_free(struct flusher *f)
{
	if (!f)
		return;
	(void)flusher_join(f);
	fails_free(&f->said);
	pthread_cond_destroy(&f->cv);
	pthread_mutex_destroy(&f->mu);
	free(f);
}
