/*
 * pocsv -- common/pocsv.c, NetSuite's purchase-order CSV reader.
 *
 * The first input byte picks the arrival-date format: below 0x80 from a
 * fixed list, else the bytes up to the first LF (any text posync accepts
 * as [netsuite] arrival_date_format).  The rest is the file, read through
 * a memfd as po-export-parse reads a downloaded file.
 *
 * Invariants: every row pocsv hands out as good satisfies the validation
 * pocsv.h documents, checked here with code of its own (ids 1..64 bytes of
 * text without '"' or ','; product-sku 1..255 bytes of UTF-8 without
 * control characters; quantity a positive decimal, as a JSON number, equal
 * to qtyval; arrival-date "" or a real MM/dd/yyyy); an id of a good row
 * appears as is in its raw line; a recovered row's SKU holds a comma; the
 * columns' lengths are their strlen; line numbers only grow; a row's raw
 * text is its line (its start when over POCSV_LINE_MAX, and then never
 * good: issue 8 finding 13); a rejected row says why, and its ids, when it
 * claims them, are ids.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "decimal.h"
#include "fuzz.h"
#include "pocsv.h"

/* The file's lines, as the reference: start and length without LF and
 * without one CR before it. */
struct lines {
	const char **s;
	size_t *len, n;
};

static void
split_lines(const uint8_t *d, size_t n, struct lines *l)
{
	const char *p = (const char *)d, *end = p + n, *nl;
	size_t k;

	l->n = 0;
	l->s = malloc((n + 2) * sizeof *l->s);
	l->len = malloc((n + 2) * sizeof *l->len);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		k = nl ? (size_t)(nl - p) : (size_t)(end - p);
		l->s[l->n] = p;
		l->len[l->n++] = k > 0 && p[k - 1] == '\r' ? k - 1 : k;
		p += k + 1;
	}
}

/* The row's raw text is its line: whole when it is within the limit
 * (and only then may it be good), its first POCSV_LINE_MAX bytes when
 * not. */
static void
check_raw(const struct pocsv_row *r, const struct lines *l)
{
	size_t len;

	FUZZ_CHECK(r->line >= 2 && r->line <= l->n, "line %lu of %zu", r->line, l->n);
	len = l->len[r->line - 1];
	FUZZ_CHECK(r->reason || len <= POCSV_LINE_MAX,
	    "line %lu: %zu bytes, over the limit of %d, yet good", r->line, len,
	    POCSV_LINE_MAX);
	if (len > POCSV_LINE_MAX)
		len = POCSV_LINE_MAX;
	FUZZ_CHECK(r->rawlen == len && memcmp(r->raw, l->s[r->line - 1], len) == 0,
	    "line %lu: raw is not the line (%zu bytes, the line %zu)", r->line,
	    r->rawlen, len);
}

static const char *const formats[] = {
	"MM/DD/YYYY", "YYYY-MM-DD", "D.M.YY", "DD/MM/YYYY", "M/D/YYYY", "YYYYMMDD",
};

/* Valid UTF-8 without C0 controls or DEL: pocsv.h's "text". */
static int
text(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k, j;
	uint32_t c, min;

	while (i < n) {
		if (u[i] < 0x20 || u[i] == 0x7f)
			return 0;
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if ((u[i] & 0xe0) == 0xc0)
			k = 2, c = u[i] & 0x1f, min = 0x80;
		else if ((u[i] & 0xf0) == 0xe0)
			k = 3, c = u[i] & 0x0f, min = 0x800;
		else if ((u[i] & 0xf8) == 0xf0)
			k = 4, c = u[i] & 0x07, min = 0x10000;
		else
			return 0;
		if (n - i < k)
			return 0;
		for (j = 1; j < k; j++) {
			if ((u[i + j] & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (u[i + j] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0;
		i += k;
	}
	return 1;
}

static int
id(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n >= 1 && n <= POCSV_ID_MAX && text(s, n) && !strpbrk(s, "\",");
}

static int
real_date(const char *a)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int m, d, y;

	if (strlen(a) != 10 || a[2] != '/' || a[5] != '/' ||
	    strspn(a, "0123456789/") != 10 || sscanf(a, "%2d/%2d/%4d", &m, &d, &y) != 3)
		return 0;
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	return !(m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400)));
}

static void
check_good(const struct pocsv_row *r)
{
	size_t n;
	dec_t v;

	FUZZ_CHECK(r->has_ids && r->has_qty, "line %lu: good row without ids or qty", r->line);
	FUZZ_CHECK(id(r->po) && id(r->item) && id(r->facility),
	    "line %lu: an id is not an id", r->line);
	FUZZ_CHECK(memmem(r->raw, r->rawlen, r->po, strlen(r->po)) &&
	    memmem(r->raw, r->rawlen, r->item, strlen(r->item)),
	    "line %lu: ids not in the raw line", r->line);
	n = r->sku ? strlen(r->sku) : 0;
	FUZZ_CHECK(n >= 1 && n <= POCSV_SKU_MAX && text(r->sku, n),
	    "line %lu: product-sku of %zu bytes is not text", r->line, n);
	FUZZ_CHECK(!r->recovered || strchr(r->sku, ','),
	    "line %lu: recovered, but no comma in the SKU", r->line);
	FUZZ_CHECK(r->qty && dec_parse(r->qty, strlen(r->qty), &v) == 0 &&
	    v == r->qtyval && v > 0, "line %lu: quantity %s", r->line, r->qty);
	FUZZ_CHECK(!(r->qty[0] == '0' && r->qty[1] && r->qty[1] != '.'),
	    "line %lu: quantity %s is not a JSON number", r->line, r->qty);
	FUZZ_CHECK(r->arrival[0] == 0 || real_date(r->arrival),
	    "line %lu: arrival %s", r->line, r->arrival);
	FUZZ_CHECK(r->polen == strlen(r->po) && r->skulen == strlen(r->sku) &&
	    r->qtylen == strlen(r->qty) && r->faclen == strlen(r->facility) &&
	    r->itemlen == strlen(r->item), "line %lu: a column's length is not "
	    "its strlen", r->line);
}

/* A format of the input's own (first byte 0x80 or more): the bytes up to
 * the first LF, when posync would accept it ([netsuite]
 * arrival_date_format is checked with pocsv_date_format_ok at start-up).
 * Any byte may be in it, '%' included: a format is text, never a printf
 * format (issue 8 finding 4). */
static const char *
own_format(const uint8_t **data, size_t *size)
{
	static char f[64];
	const uint8_t *nl = memchr(*data + 1, '\n', *size - 1);
	size_t n = nl ? (size_t)(nl - *data - 1) : 0;

	if (!nl || n >= sizeof f || memchr(*data + 1, 0, n))
		return NULL;
	memcpy(f, *data + 1, n);
	f[n] = 0;
	if (!pocsv_date_format_ok(f))
		return NULL;
	*size -= n + 2;
	*data = nl + 1;
	return f;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pocsv *p = NULL;
	struct pocsv_row row;
	unsigned long last = 1;
	const char *fmt;
	struct lines lines;
	char *why = NULL;
	int fd, r;

	if (size < 1)
		return 0;
	if (data[0] < 0x80) {
		fmt = formats[data[0] % (sizeof formats / sizeof *formats)];
		data++, size--;
	} else if (!(fmt = own_format(&data, &size)))
		return 0;
	fd = memfd_create("pocsv", MFD_CLOEXEC);
	FUZZ_CHECK(fd >= 0, "memfd_create");
	FUZZ_CHECK(write(fd, data, size) == (ssize_t)size, "write");
	split_lines(data, size, &lines);
	lseek(fd, 0, SEEK_SET);
	r = pocsv_open(&p, fd, fmt, &why);
	if (r != 0) {
		FUZZ_CHECK(r == POCSV_UNUSABLE && why && *why, "pocsv_open gave %d", r);
		free(why);
		goto out;
	}
	while ((r = pocsv_next(p, &row)) == 1) {
		FUZZ_CHECK(row.line > last, "line %lu after %lu", row.line, last);
		last = row.line;
		check_raw(&row, &lines);
		if (!row.reason)
			check_good(&row);
		else {
			FUZZ_CHECK(*row.reason, "line %lu: empty reason", row.line);
			FUZZ_CHECK(!row.has_ids || (id(row.po) && id(row.item)),
			    "line %lu: rejected row claims ids that are not", row.line);
		}
	}
	FUZZ_CHECK(r == 0, "pocsv_next gave %d on a memfd", r);
	pocsv_close(p);
out:
	free(lines.s);
	free(lines.len);
	close(fd);
	return 0;
}
