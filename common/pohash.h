/*
 * pohash -- the content hash that names po-export-parse's output (its
 * batches, side CSVs and parsed markers: SAFE.HASH16...), and the way
 * from the hash older posyncs used to this one.  What it promises:
 *   - the hash is XXH3-64 (libxxhash, seed 0) over the file's name, a NUL
 *     byte and its content, as 16 lower-case hex digits: the same file
 *     named the same gives the same names, on every run and every host;
 *     `{ printf '%s\0' NAME; cat FILE; } | xxhsum -H3` prints it;
 *   - posync before issue 12's last change named them by FNV-1a 64 over
 *     the same bytes (the old hash).  Output named by it stays what it
 *     was: while the spool may hold any (pohash_legacy), each file is
 *     hashed both ways (pohash_hex gives both), and po-export-parse takes
 *     the old name for a file whose marker or published batch has it;
 *   - the spool may hold the old hash's output while a marker in
 *     SPOOL/state/parsed lacks PARSEDMARK_HASH_LINE (parsedmark.h), or for
 *     keep_days (30 when keep_days is negative) after the first run of
 *     this posync on a spool that held output already: batches a killed
 *     older run published without their marker have no marker to tell
 *     it, and live no longer than that in cur/.  SPOOL/state/po-hash
 *     keeps when that time ends:
 *         posync-po-hash 1
 *         old-until T
 *     T seconds since the epoch, 0 on a spool this posync began.  A file
 *     missing, unreadable, damaged, or more than that time ahead of the
 *     clock (a clock set back) is written again, that time from now: said;
 *   - the cost: XXH3 reads about ten bytes a cycle where FNV-1a takes
 *     four cycles a byte; the old hash costs as before, and only then.
 */
#ifndef POSYNC_POHASH_H
#define POSYNC_POHASH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "version.h"

#define POHASH_TAG		"posync-po-hash "
#define POHASH_V		1
#define POHASH_VERSION_LINE	VERSION_LINE(POHASH_TAG, POHASH_V)
#define POHASH_STATE		"po-hash"	/* SPOOL/state/po-hash */

struct pohash {
	void *x;		/* the XXH3 state */
	uint64_t old;		/* FNV-1a 64 so far, when legacy */
	int legacy;
};

/* A hash of name (its bytes and a NUL) and what pohash_add gives next;
 * legacy: the old hash too. */
void pohash_init(struct pohash *h, const char *name, int legacy);
void pohash_add(struct pohash *h, const void *p, size_t n);
/* The hashes of all given so far: cur, and old ("" unless legacy). */
void pohash_hex(const struct pohash *h, char cur[17], char old[17]);
void pohash_free(struct pohash *h);

/* 1 when the spool at spooldir may hold output named by the old hash
 * (above), else 0.  Reads SPOOL/state/po-hash, writing it when it is
 * missing or must be written again (not when dry); what goes wrong is
 * said, and taken as 1.  keep_days is the spool's (config.h). */
int pohash_legacy(const char *spooldir, int keep_days, int dry, time_t now);

#endif
