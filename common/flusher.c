/*
 * flusher -- see flusher.h.
 *
 * The caller queues files; the thread wakes when half the queue is full
 * (or at the join), takes the whole queue and works through it unlocked,
 * so the two threads meet about once every FLUSHER_FDS / 2 files rather
 * than once a file: a wake-up per file would preempt the caller on its
 * own core more often than it saved (bench/README.md).
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
	char *path;
};

struct flusher {
	pthread_t t;
	pthread_mutex_t mu;
	pthread_cond_t cv;	/* the queue or end changed */
	struct queued q[FLUSHER_FDS];
	size_t n, cap;		/* queued, and at most (flusher.h) */
	int started, end;
	char *bad;		/* the first file whose close failed */
	int bad_errno;
	unsigned long nbad;
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

/* Start its writeback, close it; a failed close is kept for
 * flusher_join (under mu: the thread and the caller both come here). */
static void
finish(struct flusher *f, struct queued *w)
{
	int e;

	(void)sync_file_range(w->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	if (close(w->fd) == 0) {
		free(w->path);
		return;
	}
	e = errno;
	pthread_mutex_lock(&f->mu);
	if (f->nbad++ == 0) {
		f->bad = w->path;
		f->bad_errno = e;
	} else
		free(w->path);
	pthread_mutex_unlock(&f->mu);
}

static void *
run(void *arg)
{
	struct flusher *f = arg;
	struct queued mine[FLUSHER_FDS];
	size_t k, i;

	for (;;) {
		pthread_mutex_lock(&f->mu);
		while (f->n < f->cap / 2 && !f->end)
			pthread_cond_wait(&f->cv, &f->mu);
		k = f->n;
		memcpy(mine, f->q, k * sizeof *mine);
		f->n = 0;
		pthread_cond_signal(&f->cv);	/* room again */
		pthread_mutex_unlock(&f->mu);
		if (!k)
			return NULL;	/* end, and nothing left */
		for (i = 0; i < k; i++)
			finish(f, &mine[i]);
	}
}

void
flusher_close(struct flusher *f, int fd, char *path)
{
	struct queued w = { fd, path };

	if (f->cap && !f->started && pthread_create(&f->t, NULL, run, f) == 0)
		f->started = 1;
	if (!f->started) {
		finish(f, &w);
		return;
	}
	pthread_mutex_lock(&f->mu);
	while (f->n == f->cap)
		pthread_cond_wait(&f->cv, &f->mu);
	f->q[f->n++] = w;
	if (f->n >= f->cap / 2)
		pthread_cond_signal(&f->cv);
	pthread_mutex_unlock(&f->mu);
}

size_t
flusher_fds(const struct flusher *f)
{
	return f->cap;
}

int
flusher_join(struct flusher *f)
{
	int r = 0;

	if (f->started) {
		pthread_mutex_lock(&f->mu);
		f->end = 1;
		pthread_cond_broadcast(&f->cv);
		pthread_mutex_unlock(&f->mu);
		pthread_join(f->t, NULL);
		f->started = f->end = 0;
	}
	if (f->nbad) {
		errno = f->bad_errno;
		msg_warnerr("cannot write %s", f->bad);
		if (f->nbad > 1)
			msg_warn("and %lu other files like it", f->nbad - 1);
		free(f->bad);
		f->bad = NULL;
		f->nbad = 0;
		r = -1;
	}
	return r;
}

void
flusher_free(struct flusher *f)
{
	if (!f)
		return;
	(void)flusher_join(f);
	pthread_cond_destroy(&f->cv);
	pthread_mutex_destroy(&f->mu);
	free(f);
}
