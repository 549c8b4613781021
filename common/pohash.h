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
 *     the old name for a file whose marker or published output has it;
 *   - the spool may hold the old hash's output while a marker in
 *     SPOOL/state/parsed lacks PARSEDMARK_HASH_LINE (a file an older
 *     posync parsed: then every file is hashed both ways), or while
 *     output an older posync published without its marker (a run killed
 *     between them) is in po/new, cur, failed or rejects (then only files
 *     of its name are: the old name keeps a rerun of its CSV, from the
 *     inbox, the error folder or by hand, from sending its batches again,
 *     or writing a second refused batch or list of rejected rows).  Such
 *     output cannot be told from this posync's by name, so the first run
 *     takes the stem (SAFE.HASH16) of every name there whose hash has no
 *     marker (orphans; the folders listed forth and back, as po-import
 *     moves batches between them), and SPOOL/state/po-hash keeps them:
 *         posync-po-hash 1
 *         old [hashed] SAFE.HASH16 ...   looked for; "hashed": no
 *                                       marker lacks the hash line
 *     or, once neither is left:
 *         posync-po-hash 1
 *         old done                  never again (one read a run)
 *     A run drops the orphans whose output is gone or that have a marker
 *     now (which lacks the line: the markers speak for them), and reads
 *     the markers unless po-hash says "hashed" (an "old" by hand reads
 *     them: it can only look for more).  failed/ and rejects/ are never
 *     pruned: their orphans stay, costing files of their name alone.
 *     Only a run that looks writes a marker without the line, so what
 *     po-hash says stays true; a downgrade and a second upgrade is the
 *     one way around it (posync(7): remove po-hash then).  No clock is
 *     read.  What it cannot see: a batch po-import moves twice (cur/ to
 *     new/ and back) while the first run lists the folders;
 *   - a po-hash missing (the first run: quiet), unreadable, too big or
 *     damaged is made again from the spool as at the first run, said:
 *     that can only look for more than before, never less.  A later
 *     posync's (posync-po-hash N, N above 1) is read as this one's where
 *     it can be, said, and never rewritten;
 *   - the cost: XXH3 reads about ten bytes a cycle where FNV-1a takes
 *     four cycles a byte; the old hash costs as before, and only then.
 */
#ifndef POSYNC_POHASH_H
#define POSYNC_POHASH_H

#include <stddef.h>
#include <stdint.h>

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

/* Which files the old hash is looked for: all, or those whose
 * safename(3) is a key of safe (a set: map.h, no values). */
struct map;

struct pohash_old {
	int all;
	struct map *safe;
};

/* What the spool at spooldir may hold by the old hash (above) into *po.
 * Reads SPOOL/state/po-hash and, when it changed, writes it (not when
 * dry): 0, or EX_IOERR when it could not be written (said: the next run
 * looks again). */
int pohash_legacy(const char *spooldir, int dry, struct pohash_old *po);
/* 1 when the remote file name is to be hashed both ways. */
int pohash_old_for(const struct pohash_old *po, const char *name);
void pohash_old_free(struct pohash_old *po);

#endif
