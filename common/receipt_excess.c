/*
 * receipt_excess -- see receipt_excess.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "map.h"
#include "msg.h"
#include "receipt_excess.h"
#include "spool.h"
#include "util.h"

#define MAX_EXCESS	(64L << 20)

struct excess_seen {
	struct map *keys;	/* each row as its 4 columns encoded again */
	struct buf norm;	/* the old file's rows, encoded again */
	int torn;		/* its last row had no line end (a crash) */
};

/* A row's key: its 4 columns written by csvio; up to 0.1.0 receipt_ids
 * went out unquoted, so fields past the third are that column, cut at
 * its commas, and are joined back.  malloc'd. */
static char *
excess_key(const struct csvio_row *row)
{
	const char *f[EXCESS_COLS] = { "", "", "", "" };
	size_t len[EXCESS_COLS] = { 0 }, i;
	struct buf ids = { 0 }, key = { 0 };

	for (i = 0; i < row->n && i < EXCESS_COLS - 1; i++) {
		f[i] = row->f[i];
		len[i] = row->len[i];
	}
	for (i = EXCESS_COLS - 1; i < row->n; i++) {
		if (i > EXCESS_COLS - 1)
			buf_addc(&ids, ',');
		buf_add(&ids, row->f[i], row->len[i]);
	}
	f[EXCESS_COLS - 1] = ids.s ? ids.s : "";
	len[EXCESS_COLS - 1] = ids.len;
	csvio_add_row(&key, f, len, EXCESS_COLS);
	buf_free(&ids);
	return key.s;
}

static int
excess_old_row(const struct csvio_row *row, void *arg)
{
	struct excess_seen *x = arg;
	char *key = excess_key(row);

	map_put(x->keys, key, NULL);
	free(key);
	csvio_add_row(&x->norm, row->f, row->len, row->n);
	x->torn = row->unterminated;
	return 0;
}

struct excess_add {
	struct excess_seen *seen;
	struct buf *out;
	int *said;
};

static int
excess_new_row(const struct csvio_row *row, void *arg)
{
	struct excess_add *a = arg;
	char *key = excess_key(row);
	int isnew = 0;

	map_put(a->seen->keys, key, &isnew);
	if (isnew) {
		buf_adds(a->out, key);
		(*a->said)++;
	}
	free(key);
	return 0;
}

/* The file as it is, or "" when there is none: 0, or EX_IOERR. */
static int
excess_read(const char *path, char **old, size_t *oldlen)
{
	if (read_file(path, MAX_EXCESS, old, oldlen) == 0)
		return 0;
	if (errno != ENOENT) {
		msg_cannot_read(path);
		return EX_IOERR;
	}
	*old = NULL;
	*oldlen = 0;
	return 0;
}

int
rx_excess_write(const char *path, const struct buf *rows, int *said)
{
	static const char *const head[EXCESS_COLS] =
	    { "order_id", "line_id", "quantity", "receipt_ids" };
	static const size_t headlen[EXCESS_COLS] = { 8, 7, 8, 11 };
	struct excess_seen x = { NULL, { 0 }, 0 };
	struct buf out = { 0 };
	struct excess_add a = { &x, &out, said };
	char *old = NULL;
	size_t oldlen = 0, i;
	int rc;

	if (!rows->len)
		return 0;
	if ((rc = excess_read(path, &old, &oldlen)) != 0)
		return rc;
	x.keys = map_new(1);
	if ((rc = csvio_parse(old ? old : "", oldlen, excess_old_row, &x)) != 0)
		goto out;
	if (!oldlen)
		csvio_add_row(&out, head, headlen, EXCESS_COLS);
	else if (x.torn)
		buf_add(&out, x.norm.s, x.norm.len);
	else
		buf_add(&out, old, oldlen);
	i = out.len;
	if ((rc = csvio_parse(rows->s, rows->len, excess_new_row, &a)) != 0)
		goto out;
	if (out.len > i && (rc = spool_write_atomic(path, out.s, out.len)))
		msg_warn("%s: cannot record excess receipts", path);
out:
	map_free(x.keys);
	buf_free(&x.norm);
	buf_free(&out);
	free(old);
	return rc;
}
