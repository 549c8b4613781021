/*
 * csvio -- see csvio.h.
 *
 * The parser hands fields to a callback one at a time; they are kept in
 * one buffer (offsets, since it moves as it grows) until the row ends,
 * then given to the caller as one row.  Memory is one row at a time.
 */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "msg.h"

struct walk {
	struct buf store;	/* the row's fields, each NUL-terminated */
	size_t off[CSVIO_MAX_FIELDS], len[CSVIO_MAX_FIELDS];
	size_t n, dropped;
	csvio_row_fn *fn;
	void *arg;
	int status;		/* the first non-zero callback status */
};

static int
no_space(unsigned char c)
{
	(void)c;
	return 0;	/* a space is data: ids and messages keep theirs */
}

static void
on_field(void *s, size_t len, void *arg)
{
	struct walk *w = arg;

	if (w->n == CSVIO_MAX_FIELDS) {
		w->dropped++;
		return;
	}
	w->off[w->n] = w->store.len;
	w->len[w->n] = len;
	if (len)
		buf_add(&w->store, s, len);
	buf_addc(&w->store, 0);
	w->n++;
}

static void
on_row(int c, void *arg)
{
	struct walk *w = arg;
	const char *f[CSVIO_MAX_FIELDS];
	struct csvio_row row = { w->n, f, w->len, w->dropped, c == -1 };
	size_t i;

	for (i = 0; i < w->n; i++)
		f[i] = w->store.s + w->off[i];
	if (!w->status)
		w->status = w->fn(&row, w->arg);
	buf_reset(&w->store);
	w->n = w->dropped = 0;
}

int
csvio_parse(const char *data, size_t len, csvio_row_fn *fn, void *arg)
{
	struct csv_parser p;
	struct walk *w;
	int st;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (csv_init(&p, 0) != 0) {
		msg_warn("cannot start the CSV parser: out of memory");
		return EX_SOFTWARE;
	}
	csv_set_space_func(&p, no_space);
	w = xcalloc(1, sizeof *w);	/* 4 KiB of offsets: not on the stack */
	w->fn = fn;
	w->arg = arg;
	if (csv_parse(&p, data, len, on_field, on_row, w) != len ||
	    csv_fini(&p, on_field, on_row, w) != 0) {
		msg_warn("CSV parser: %s", csv_strerror(csv_error(&p)));
		st = EX_SOFTWARE;
	} else
		st = w->status;
	csv_free(&p);
	buf_free(&w->store);
	free(w);
	return st;
}

void
csvio_add_field(struct buf *out, const char *f, size_t len)
{
	/* csv_write always quotes, doubling quotes: it says how much room
	 * that takes when given none */
	size_t need = csv_write(NULL, 0, f, len);

	buf_grew(out, csv_write(buf_room(out, need), need, f, len));
}

void
csvio_add_row(struct buf *out, const char *const *f, const size_t *len,
    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			buf_addc(out, ',');
		csvio_add_field(out, f[i], len[i]);
	}
	buf_addc(out, '\n');
}
