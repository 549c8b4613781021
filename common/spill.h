/*
 * spill -- what a run would otherwise hold for every row it read, kept in
 * a nameless temporary file instead (issue 12, P4: receipt-export's
 * memory is flat in the receipts it reads).  Two kinds:
 *
 *   - records: up to SPILL_STRS strings and two numbers each, appended
 *     in the order read, each given a rank (a group); read back group by
 *     group (rank, then the order appended), a group whole before the
 *     next.  In memory: 8 bytes a record (its rank and place).
 *   - text: bytes appended, then copied out whole (a file's text that
 *     is written, never read again by the program).
 *
 * What it promises: nothing of it outlives the process (O_TMPFILE, or a
 * name unlinked at once); a write or read that fails (a full disk) is
 * said, naming the folder, and returned as EX_IOERR: the caller stops
 * before anything is committed.
 */
#ifndef POSYNC_SPILL_H
#define POSYNC_SPILL_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "util.h"

#define SPILL_STRS	4

struct spill_rec {
	int kind;			/* the caller's */
	const char *s[SPILL_STRS];	/* NULL when absent */
	int64_t a, b;
};

struct spill;
/* A spill in dir (its temporary file made at the first record); NULL
 * never. */
struct spill *spill_new(const char *dir);
void spill_free(struct spill *s);
/* Append r (its strings copied) in group rank: 0 or EX_IOERR (said;
 * also past 16 million groups or a terabyte). */
int spill_add(struct spill *s, const struct spill_rec *r, uint32_t rank);
size_t spill_count(const struct spill *s);
/* Every record, in the order appended (before spill_sort; after it, in
 * its order), to fn with its number; fn's status (non-zero) stops the
 * walk and is returned; EX_IOERR (said). */
typedef int spill_fn(size_t i, const struct spill_rec *r, void *arg);
int spill_each(struct spill *s, spill_fn *fn, void *arg);
/* Record i's group is rank: 0, or EX_IOERR (said) past 16 million
 * groups. */
int spill_set_rank(struct spill *s, size_t i, uint32_t rank);
/* Sort for spill_next: by rank, then the order appended. */
void spill_sort(struct spill *s);
/* The next record in that order, from *pos (0 to begin): 1 and r set
 * (its strings valid until the next call), 0 at the end, or EX_IOERR
 * (said).  *rank its group. */
int spill_next(struct spill *s, size_t *pos, struct spill_rec *r,
    uint32_t *rank);
/* The rank of record *pos (spill_next's next), or UINT32_MAX at the end. */
uint32_t spill_peek_rank(const struct spill *s, size_t pos);

/* Text in a temporary file: fd -1 until the first byte. */
struct spill_text {
	const char *dir;	/* not owned */
	int fd;
	size_t len;
	struct buf b;		/* bytes not written yet */
};
void spill_text_init(struct spill_text *t, const char *dir);
/* Append: 0 or EX_IOERR (said). */
int spill_text_add(struct spill_text *t, const void *p, size_t n);
/* Write the rest out: 0 or EX_IOERR (said). */
int spill_text_flush(struct spill_text *t);
/* Copy the whole text to fd (its position): 0 or EX_IOERR (said, what
 * naming fd's file). */
int spill_text_copy(struct spill_text *t, int fd, const char *what);
/* The same through fp's buffer: a write error stays in fp for its
 * owner to say (stdout_finish); 0, or EX_IOERR (said) when the text
 * cannot be read back. */
int spill_text_put(struct spill_text *t, FILE *fp);
/* The whole text into out (appended): 0 or EX_IOERR (said). */
int spill_text_read(struct spill_text *t, struct buf *out);
void spill_text_free(struct spill_text *t);

/* Where a dry run (-n) keeps them: $TMPDIR when it is a folder it may
 * write, else /tmp -- not the spool, which -n must not need to write. */
const char *spill_dry_dir(void);
/* A nameless temporary file in dir (in $TMPDIR or /tmp when dir does
 * not exist: -n on a spool not made yet), read and write: fd, or -1
 * (said). */
int spill_tmpfile(const char *dir);

#endif
