/*
 * csvio -- every CSV posync writes or reads besides NetSuite's PO export
 * (pocsv.c), through libcsv and RFC 4180: spool/receipt/excess.csv,
 * written and read back, and the error CSVs NetSuite writes.  No CSV is
 * made or split by hand: a value holding a comma, a quote, CR, LF or NUL
 * comes back exactly, and can never make a row of its own.
 */
#ifndef POSYNC_CSVIO_H
#define POSYNC_CSVIO_H

#include <stddef.h>

#include "util.h"

/* Fields of one row past this are not given (counted in dropped): a
 * hostile file cannot make a row cost more than its own size in memory. */
#define CSVIO_MAX_FIELDS 256

struct csvio_row {
	size_t n;		/* fields given */
	const char **f;		/* f[i]: len[i] bytes, NUL-terminated (may hold NUL) */
	const size_t *len;
	size_t dropped;		/* fields past CSVIO_MAX_FIELDS */
	int unterminated;	/* the data ended in this row, without CR or LF */
};

/* Called for each row; a non-zero return stops the walk and is returned. */
typedef int csvio_row_fn(const struct csvio_row *row, void *arg);

/*
 * Walk the rows of data[0..len): a UTF-8 BOM first is skipped, CRLF, LF
 * and CR all end a row, blank lines are no rows, spaces are kept.  Not
 * strict: a quote inside an unquoted field is a quote (what a person's
 * editor may leave).  0, the callback's status, or EX_SOFTWARE when
 * libcsv fails (out of memory).
 */
int csvio_parse(const char *data, size_t len, csvio_row_fn *fn, void *arg);

/* Append one field, quoted by libcsv (no comma, no LF). */
void csvio_add_field(struct buf *out, const char *f, size_t len);

/* Append one row of n fields, each quoted by libcsv, and an LF. */
void csvio_add_row(struct buf *out, const char *const *f, const size_t *len,
    size_t n);

#endif
