/*
 * flusher -- closes the files a run writes on a second thread, each after
 * asking the kernel to start writing it back (sync_file_range), so the
 * run's one sync at the end finds most of its data already on the way to
 * disk and waits less.  Nothing here makes data durable: the caller's
 * sync does, and it still reports a failed writeback.
 * What it promises:
 *   - flusher_close takes an open fd, the words that name it in a
 *     message ("batch 3 of \"po.csv\"", freed here) and the caller's tag
 *     for the work it belongs to, and returns at once; the file is
 *     closed before flusher_join returns;
 *   - no more of those files are open at any time, queued or being
 *     closed, than flusher_fds says: FLUSHER_FDS, or fewer when the open
 *     files limit leaves little room (an eighth of it, counted at
 *     flusher_new; none below 2, and then each is closed at once);
 *   - flusher_join says each tag's first failed close ("cannot write
 *     WHAT: why", and how many more of that tag failed) and returns -1
 *     when one failed, else 0; until the next join, flusher_failed says
 *     whether a tag's did, so one file's failure fails that file alone;
 *   - without a thread (pthread_create failed) files are closed at once,
 *     and a failure is said and kept by flusher_join all the same;
 *   - the thread calls only sync_file_range, close, realloc and free:
 *     never msg.h, the spool or anything else of the run's.
 */
#ifndef POSYNC_FLUSHER_H
#define POSYNC_FLUSHER_H

#include <stddef.h>

#define FLUSHER_FDS	16

struct flusher;

struct flusher *flusher_new(void);
/* Joins first: every file closed. */
void flusher_free(struct flusher *f);

void flusher_close(struct flusher *f, int fd, char *what, unsigned long tag);
size_t flusher_fds(const struct flusher *f);
int flusher_join(struct flusher *f);
int flusher_failed(const struct flusher *f, unsigned long tag);

#endif
