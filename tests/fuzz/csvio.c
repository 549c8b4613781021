/*
 * csvio -- common/csvio.c: the CSVs posync writes (excess.csv) and reads
 * (excess.csv again, NetSuite's error CSVs), through libcsv.
 *
 * The first byte picks a mode:
 *  even  the rest is a CSV file as a server or a person may leave it.
 *        Every row csvio_parse gives has 1..CSVIO_MAX_FIELDS fields, each
 *        NUL-terminated at its length; written back with csvio_add_row
 *        and parsed again, the rows come back the same, field for field
 *        (what posync writes, it reads back exactly).
 *  odd   the rest is values: byte 0x1e ends a value, 0x1f a row (at least
 *        two values a row, as every CSV posync writes has).  Written with
 *        csvio_add_row and parsed back, every value comes back byte for
 *        byte, however many commas, quotes, CRs, LFs or NULs it holds:
 *        no value can make a row of its own (issue 8 finding 6).
 */
#include <string.h>

#include "csvio.h"
#include "fuzz.h"
#include "util.h"

#define MAXROWS 512

struct rows {
	size_t n;
	struct buf text[MAXROWS];	/* a row's fields, each as LEN:BYTES */
	size_t nf[MAXROWS];
};

static void
rows_free(struct rows *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		buf_free(&r->text[i]);
	r->n = 0;
}

static void
add_field(struct buf *b, const char *f, size_t len)
{
	buf_addf(b, "%zu:", len);
	buf_add(b, f, len);
}

static int
take(const struct csvio_row *row, void *arg)
{
	struct rows *r = arg;
	size_t i;

	FUZZ_CHECK(row->n >= 1 && row->n <= CSVIO_MAX_FIELDS, "%zu fields", row->n);
	if (r->n == MAXROWS)
		return 1;	/* enough: the walk stops, as a callback may */
	memset(&r->text[r->n], 0, sizeof r->text[r->n]);
	for (i = 0; i < row->n; i++) {
		FUZZ_CHECK(row->f[i][row->len[i]] == 0, "field %zu not terminated", i);
		add_field(&r->text[r->n], row->f[i], row->len[i]);
	}
	r->nf[r->n++] = row->n;
	return 0;
}

/* Write r's rows (kept as LEN:BYTES) back as CSV. */
static void
write_back(const struct rows *r, struct buf *out)
{
	const char *f[CSVIO_MAX_FIELDS];
	size_t len[CSVIO_MAX_FIELDS], i, k;

	for (i = 0; i < r->n; i++) {
		const char *p = r->text[i].s;

		for (k = 0; k < r->nf[i]; k++) {
			char *colon;

			len[k] = strtoul(p, &colon, 10);
			f[k] = colon + 1;
			p = colon + 1 + len[k];
		}
		csvio_add_row(out, f, len, r->nf[i]);
	}
}

static void
same_rows(const struct rows *a, const struct rows *b, const char *what)
{
	size_t i;

	FUZZ_CHECK(a->n == b->n, "%s: %zu rows, then %zu", what, a->n, b->n);
	for (i = 0; i < a->n; i++)
		FUZZ_CHECK(a->nf[i] == b->nf[i] && a->text[i].len == b->text[i].len &&
		    memcmp(a->text[i].s, b->text[i].s, a->text[i].len) == 0,
		    "%s: row %zu differs", what, i);
}

/* want written by csvio and read back into got: the same rows (what). */
static void
reads_back(const struct rows *want, struct rows *got, const char *what)
{
	struct buf out = {0};

	write_back(want, &out);
	FUZZ_CHECK(csvio_parse(out.s ? out.s : "", out.len, take, got) == 0,
	    "what csvio wrote does not parse");
	same_rows(want, got, what);
	buf_free(&out);
}

static void
read_write_read(const char *d, size_t n)
{
	static struct rows a, b;

	if (csvio_parse(d, n, take, &a) == 0)
		reads_back(&a, &b, "read, written, read");
	rows_free(&a);
	rows_free(&b);
}

static void
write_read(const char *d, size_t n)
{
	static struct rows want, got;
	size_t i = 0, start;

	while (i < n && want.n < MAXROWS) {
		struct buf *t = &want.text[want.n];
		size_t nf = 0;

		memset(t, 0, sizeof *t);
		for (;;) {
			for (start = i; i < n && d[i] != 0x1e && d[i] != 0x1f; i++)
				;
			if (nf < CSVIO_MAX_FIELDS) {
				add_field(t, d + start, i - start);
				nf++;
			}
			if (i >= n || d[i++] == 0x1f)
				break;
		}
		if (nf < 2) {	/* posync writes no one-value rows */
			buf_free(t);
			continue;
		}
		want.nf[want.n++] = nf;
	}
	reads_back(&want, &got, "written, read");
	rows_free(&want);
	rows_free(&got);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] % 2 == 0)
		read_write_read((const char *)data + 1, size - 1);
	else
		write_read((const char *)data + 1, size - 1);
	return 0;
}
