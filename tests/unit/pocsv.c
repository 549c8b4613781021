/*
 * Unit tests for common/pocsv: header matching, NetSuite's unquoted rows
 * (quotes and commas in SKUs), RFC 4180 quoting, CRLF and BOM, row
 * validation, dates, over-long lines.  Each case writes a CSV to an
 * unnamed temporary file and reads it back through pocsv; the reader
 * hook (pocsv_open_reader) gets its bytes a few at a time.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "pocsv.h"
#include "tap.h"
#include "util.h"

#define HDR "external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date\n"

static FILE *cur_fp;

/* A pocsv reading text (len bytes); NULL with *why when unusable. */
static struct pocsv *
open_text(const char *text, size_t len, const char *fmt, char **why)
{
	struct pocsv *p = NULL;
	int r;

	if (cur_fp)
		fclose(cur_fp);
	cur_fp = tmpfile();
	if (!cur_fp || fwrite(text, 1, len, cur_fp) != len || fflush(cur_fp) ||
	    fseek(cur_fp, 0, SEEK_SET)) {
		printf("Bail out! cannot write a temporary file\n");
		exit(1);
	}
	*why = NULL;
	r = pocsv_open(&p, fileno(cur_fp), fmt ? fmt : "MM/DD/YYYY", why);
	if (r != 0 && r != POCSV_UNUSABLE) {
		printf("Bail out! pocsv_open read error\n");
		exit(1);
	}
	return p;
}

static struct pocsv *
open_str(const char *text, char **why)
{
	return open_text(text, strlen(text), NULL, why);
}

/* The only row of HDR + line: good or not, with its fields. */
static int
one_row(const char *line, struct pocsv_row *row, struct pocsv **pp)
{
	char *text = xasprintf(HDR "%s\n", line), *why;
	struct pocsv *p = open_str(text, &why);
	int r = -1;

	free(text);
	free(why);
	*pp = p;
	if (p)
		r = pocsv_next(p, row);
	return r;
}

static void
good(const char *line, const char *po, const char *sku, const char *qty,
    const char *fac, const char *item, const char *arrival, const char *what)
{
	struct pocsv_row row;
	struct pocsv *p;
	int r = one_row(line, &row, &p);

	if (!ok(r == 1 && !row.reason, "%s: good row", what)) {
		printf("#   line: %s\n#   reason: %s\n", line, r == 1 && row.reason ? row.reason : "(none)");
		pocsv_close(p);
		return;
	}
	is_str(row.po, po, "%s: external-id", what);
	is_str(row.sku, sku, "%s: product-sku", what);
	is_str(row.qty, qty, "%s: quantity text", what);
	is_str(row.facility, fac, "%s: external-facility-id", what);
	is_str(row.item, item, "%s: item-external-id", what);
	is_str(row.arrival, arrival, "%s: arrival", what);
	pocsv_close(p);
}

static void
bad(const char *line, const char *reason_part, int has_ids, int has_qty,
    const char *what)
{
	struct pocsv_row row;
	struct pocsv *p;
	int r = one_row(line, &row, &p);

	if (!ok(r == 1 && row.reason, "%s: rejected", what)) {
		printf("#   line: %s\n", line);
		pocsv_close(p);
		return;
	}
	if (!ok(strstr(row.reason, reason_part) != NULL, "%s: reason names %s", what, reason_part))
		printf("#   reason: %s\n", row.reason);
	is_int(row.has_ids, has_ids, "%s: ids %s", what, has_ids ? "kept" : "not trusted");
	is_int(row.has_qty, has_qty, "%s: quantity %s", what, has_qty ? "kept" : "unknown");
	is_int(row.line, 2, "%s: line number 2", what);
	ok(row.rawlen == strlen(line) && memcmp(row.raw, line, row.rawlen) == 0,
	    "%s: raw text kept", what);
	pocsv_close(p);
}

static void
unusable(const char *text, size_t len, const char *why_part, const char *what)
{
	char *why;
	struct pocsv *p = open_text(text, len == SIZE_MAX ? strlen(text) : len, NULL, &why);

	ok(p == NULL, "%s: unusable", what);
	if (!ok(why && strstr(why, why_part), "%s: says %s", what, why_part))
		printf("#   why: %s\n", why ? why : "(null)");
	free(why);
	pocsv_close(p);
}

static void
test_header(void)
{
	struct pocsv_row row;
	struct pocsv *p;
	char *why;
	const char *bom = "\xef\xbb\xbf"
	    "arrival-date,note,item-external-id,external-facility-id,quantity,product-sku,external-id\r\n"
	    "12/24/2026,hello,7,116,3,SKU-1,900\r\n"
	    "\r\n"
	    ",x,8,116,1.5,SKU-2,900";

	p = open_str(bom, &why);
	ok(p != NULL, "BOM, CRLF, reordered header with an extra column: usable");
	is_int(pocsv_next(p, &row), 1, "first row");
	ok(!row.reason, "first row good");
	is_str(row.po, "900", "external-id from the last column");
	is_str(row.sku, "SKU-1", "product-sku by name");
	is_str(row.item, "7", "item-external-id by name");
	is_str(row.qty, "3", "quantity by name");
	is_str(row.arrival, "12/24/2026", "arrival-date from the first column");
	is_int(row.rawlen, strlen("12/24/2026,hello,7,116,3,SKU-1,900"), "CR not part of the raw line");
	is_int(pocsv_next(p, &row), 1, "second row (blank line skipped)");
	is_int(row.line, 4, "line numbers count the blank line");
	is_str(row.qty, "1.5", "quantity of a last line without LF");
	is_str(row.arrival, "", "empty arrival-date");
	is_str(row.po, "900", "last column of a last line without LF");
	is_int(pocsv_next(p, &row), 0, "then the end");
	pocsv_close(p);

	p = open_str(" External-ID ,\"product-sku\",QUANTITY,external-facility-id,item-external-id,arrival-date\n", &why);
	ok(p != NULL, "header names: case, spaces and quotes do not matter");
	pocsv_close(p);
	free(why);

	unusable(HDR, 0, "empty file", "empty file");
	unusable("external-id,product-sku,quantity,external-facility-id,arrival-date\n1,a,1,2,\n",
	    SIZE_MAX, "item-external-id", "missing column");
	unusable("external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date,quantity\n",
	    SIZE_MAX, "quantity twice", "repeated column");
	unusable("external-id,product-sku\0,quantity\n", 34, "NUL", "NUL in the header");
	unusable("external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-dat\xe9\n",
	    SIZE_MAX, "not UTF-8", "Latin-1 header");
	unusable("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, "not a text file", "a PNG");
}

/* Rows NetSuite writes, and RFC 4180 ones, read as meant. */
static void
test_rows_good(void)
{
	good("12009298,26897,11,116,1,12/24/2026", "12009298", "26897", "11", "116", "1", "12/24/2026", "plain NetSuite row");
	good("12009298,12\" Pan,2,116,1,", "12009298", "12\" Pan", "2", "116", "1", "", "NetSuite SKU with a quote");
	good("5,\"Big,5,116,2,", "5", "\"Big", "5", "116", "2", "", "NetSuite SKU starting with an unclosed quote");
	good("5,ab\"c\"d,5,116,2,", "5", "ab\"c\"d", "5", "116", "2", "", "NetSuite SKU with two quotes");
	good("5,Box, small, red,3,116,2,01/02/2027", "5", "Box, small, red", "3", "116", "2", "01/02/2027", "NetSuite SKU with commas recovered");
	good("5,a,\"b\",3,116,2,", "5", "a,\"b\"", "3", "116", "2", "", "recovered SKU keeps its quotes");
	good("\"5\",\"Box, \"\"small\"\"\",\"3.25\",\"116\",\"2\",\"01/02/2027\"", "5", "Box, \"small\"", "3.25", "116", "2", "01/02/2027", "RFC 4180 quoted row");
	good("7,Café crème ☕,1,116,2,", "7", "Café crème ☕", "1", "116", "2", "", "UTF-8 SKU byte for byte");
	good("7, spaced SKU ,0.00000001,116,2,", "7", " spaced SKU ", "0.00000001", "116", "2", "", "spaces kept, 8 places");
	good("7,s,2.50,116,2,", "7", "s", "2.50", "116", "2", "", "decimals kept as written");
	good("7,s,007,116,2,", "7", "s", "7", "116", "2", "", "leading zeros made a JSON number");
}

/* A bad field is refused with its reason; a value in a reason is
 * quoted and cut. */
static void
test_rows_bad(void)
{
	bad("5,\"\",1,116,2,", "product-sku is empty", 1, 1, "empty SKU");
	bad("5,s,0,116,2,", "quantity \"0\"", 1, 0, "zero quantity");
	bad("5,s,-1,116,2,", "quantity", 1, 0, "negative quantity");
	bad("5,s,1.123456789,116,2,", "quantity", 1, 0, "9 places");
	bad("5,s,1e3,116,2,", "quantity", 1, 0, "exponent");
	bad("5,s,,116,2,", "quantity", 1, 0, "empty quantity");
	bad(",s,1,116,2,", "external-id", 0, 1, "empty PO id");
	bad("5,s,1,116,,", "item-external-id", 0, 1, "empty line id");
	bad("5,s,1,,2,", "external-facility-id", 1, 1, "empty facility");
	bad("5,s,1,116,2,13/01/2026", "arrival-date \"13/01/2026\"", 1, 1, "month 13");
	bad("5,s,1,116,2,02/29/2027", "arrival-date", 1, 1, "Feb 29 of a common year");
	bad("5,s,1,116,2,2026-12-24", "arrival-date", 1, 1, "wrong date format");
	bad("5,s\xff,1,116,2,", "not UTF-8", 1, 1, "invalid UTF-8 SKU");
	bad("5,s\tx,1,116,2,", "not UTF-8 text", 1, 1, "tab in a SKU");
	/* a value in a reason is quoted by msg_quote: UTF-8 text kept, the
	 * byte that is not UTF-8 escaped, a quote escaped */
	bad("5,caf\xc3\xa9\xff,1,116,2,", "product-sku \"caf\xc3\xa9\\xff\" is not UTF-8",
	    1, 1, "invalid UTF-8 SKU, quoted");
	bad("5,s,1\"\\,116,2,", "quantity \"1\\\"\\\\\" is not", 1, 0,
	    "a quote and a backslash in a quantity, escaped");
	{
		/* a long value: cut at MSG_QUOTE_MAX bytes, "..." after its
		 * quotes, and the reason still says why */
		static char qline[2100], want[MSG_QUOTE_MAX + 64];

		memset(qline, 0, sizeof qline);
		memcpy(qline, "5,s,", 4);
		memset(qline + 4, 'x', 2000);
		strcat(qline, ",116,2,");
		strcpy(want, "quantity \"");
		memset(want + strlen(want), 'x', MSG_QUOTE_MAX);
		strcat(want, "\"... is not a positive decimal");
		bad(qline, want, 1, 0, "a 2000-byte quantity, cut in the reason");
	}
}

/* A row with commas in its SKU is recovered only when its other fields
 * are NetSuite's; a row that cannot be is refused, its ids not given. */
static void
test_rows_recovered(void)
{
	bad("5,Box, small,abc,116,2,", "7 fields, the header has 6", 1, 0, "comma SKU whose quantity does not validate: ids and date are NetSuite's, ids kept");
	bad("5,Box, small,3,116,2,31/12/2026", "arrival-date", 0, 1, "comma SKU with a bad date: no reading of it is trusted, nor its ids");
	bad("5,Box, small,abc,F116,2,", "7 fields", 0, 0, "comma SKU, bad quantity, a facility that is not digits: no ids");
	bad("5,Box, small," "\xff,116,2,", "7 fields", 1, 0, "comma SKU, a quantity not UTF-8, NetSuite's ends: ids kept");
	/* a failed recovery never gives out ids; a recovered row's ids are
	 * NetSuite internal ids (digits) */
	bad("6801,SKU-A,5,116,1,Dec 24, 2026", "item-external-id \"Dec 24\" is not a NetSuite internal id", 0, 1,
	    "a comma in the arrival date: no line \"Dec 24\"");
	bad("6301,SKU-A,5,116,1,12/24/2026,", "item-external-id \"12/24/2026\" is not a NetSuite internal id", 0, 1,
	    "one trailing comma: no SKU \"SKU-A,5\", no line \"12/24/2026\"");
	bad("PO-5,Box, small,3,116,2,", "external-id \"PO-5\" is not a NetSuite internal id", 0, 1,
	    "a recovered row with a PO id that is not digits");
	bad("5,Box, small,3,F116,2,", "external-facility-id \"F116\" is not a NetSuite internal id", 0, 1,
	    "a recovered row with a facility id that is not digits");
	bad("5,s,1,116,L2,13/01/2026", "arrival-date", 1, 1, "six fields, a bad date: text ids kept as before");
	good("PO-5,s,1,F116,L2,", "PO-5", "s", "1", "F116", "L2", "", "six fields: ids may be any text");
	bad("5,s,1,116", "4 fields, the header has 6", 0, 0, "too few fields");
	bad("5,\"s,1\",116,2,", "5 fields", 0, 0, "too few RFC fields");
	bad("5,\"ab\"c,1", "3 fields", 0, 0, "bad quoting and too few fields");
}

/* The longest PO id and SKU taken, one byte more refused. */
static void
test_rows_long(void)
{
	static char longid[80], longsku[300], line[1024];

	memset(longid, '9', 65);
	snprintf(line, sizeof line, "%s,s,1,116,2,", longid);
	bad(line, "external-id", 0, 1, "65-byte PO id");
	longid[64] = 0;
	snprintf(line, sizeof line, "%s,s,1,116,2,", longid);
	good(line, longid, "s", "1", "116", "2", "", "64-byte PO id");
	memset(longsku, 'k', 256);
	snprintf(line, sizeof line, "5,%s,1,116,2,", longsku);
	bad(line, "longer than 255", 1, 1, "256-byte SKU");
	longsku[255] = 0;
	snprintf(line, sizeof line, "5,%s,1,116,2,", longsku);
	good(line, "5", longsku, "1", "116", "2", "", "255-byte SKU");
}

static void
test_long_line(void)
{
	struct buf b = {0};
	struct pocsv_row row;
	struct pocsv *p;
	char *why;
	size_t i;

	buf_adds(&b, HDR);
	buf_adds(&b, "1,");
	for (i = 0; i < POCSV_LINE_MAX + 10; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, ",1,116,1,\n2,s,4,116,1,\n");
	p = open_text(b.s, b.len, NULL, &why);
	ok(p != NULL, "a file with an over-long line opens");
	is_int(pocsv_next(p, &row), 1, "over-long line read");
	ok(row.reason && strstr(row.reason, "longer than"), "over-long line rejected");
	is_int(row.rawlen, POCSV_LINE_MAX, "its raw text is cut at POCSV_LINE_MAX");
	is_int(row.has_ids, 0, "its ids are not trusted");
	is_int(pocsv_next(p, &row), 1, "the next line is read");
	ok(!row.reason, "... and is good");
	is_int(row.line, 3, "... as line 3");
	is_str(row.po, "2", "... with its own fields");
	is_int(pocsv_next(p, &row), 0, "end");
	pocsv_close(p);
	buf_free(&b);
}

/* The limit is exact: a line of POCSV_LINE_MAX bytes (without its LF or
 * CR LF) is read, one byte more is rejected, with LF, CR LF or no end at
 * all (the last line of a file).  An extra column holds the bulk. */
static void
boundary(size_t len, const char *end, int want_ok)
{
	struct buf b = {0};
	struct pocsv_row row;
	struct pocsv *p;
	char *why;
	const char *start = "1,s,2,116,1,,";

	buf_adds(&b, "external-id,product-sku,quantity,external-facility-id,"
	    "item-external-id,arrival-date,notes\n");
	buf_adds(&b, start);
	while (b.len - strlen("external-id,product-sku,quantity,external-facility-id,"
	    "item-external-id,arrival-date,notes\n") < len)
		buf_addc(&b, 'n');
	buf_adds(&b, end);
	p = open_text(b.s, b.len, NULL, &why);
	ok(p != NULL, "a %zu-byte line ending %s: the file opens", len,
	    *end == '\n' ? "LF" : *end ? "CR LF" : "the file");
	if (p) {
		is_int(pocsv_next(p, &row), 1, "  the line is read");
		if (want_ok)
			ok(!row.reason, "  and accepted (%s)", row.reason ? row.reason : "");
		else
			ok(row.reason && strstr(row.reason, "longer than 65536"),
			    "  and rejected as too long (%s)", row.reason ? row.reason : "accepted");
		is_int(pocsv_next(p, &row), 0, "  then the end");
		pocsv_close(p);
	}
	free(why);
	buf_free(&b);
}

static void
test_line_limit(void)
{
	is_int(POCSV_LINE_MAX, 65536, "the documented limit is 65536 bytes");
	boundary(65536, "\n", 1);
	boundary(65537, "\n", 0);
	boundary(65536, "\r\n", 1);
	boundary(65537, "\r\n", 0);
	boundary(65536, "", 1);
	boundary(65537, "", 0);
}

static void
test_many_rows(void)
{
	struct buf b = {0};
	struct pocsv_row row;
	struct pocsv *p;
	char *why;
	int i, n = 0, bad_n = 0, r;
	unsigned long last = 0;

	/* More than one read buffer, with lines across buffer edges. */
	buf_adds(&b, HDR);
	for (i = 0; i < 30000; i++)
		buf_addf(&b, "%d,SKU %d with some length to it,%d,116,%d,01/%02d/2027\n",
		    i / 10, i, i % 7 == 0 ? 0 : i % 50 + 1, i % 10, i % 28 + 1);
	p = open_text(b.s, b.len, NULL, &why);
	while ((r = pocsv_next(p, &row)) == 1) {
		n++;
		bad_n += row.reason != NULL;
		if (row.line != last + 1 && last)
			break;
		last = row.line;
	}
	is_int(r, 0, "30000 rows read to the end");
	is_int(n, 30000, "every row seen");
	is_int(bad_n, (30000 + 6) / 7, "exactly the zero quantities rejected");
	is_int(last, 30001, "last line number");
	pocsv_close(p);
	buf_free(&b);
}

/* Lines without a quote are cut at their commas eight bytes at a time
 * (split_plain): rows of every length from 10 to 52 bytes, commas at every
 * offset of a word, '-' and '+' (a comma's neighbours, which a loose
 * test for a byte takes for one) and UTF-8 around them, each read back
 * field for field.  A quote in any place of a word
 * sends the line to libcsv: read the same.  And 7 fields: the SKU
 * recovered with its comma. */
static void
test_split_words(void)
{
	static const char *const alpha[8] = { "9", "-", "+", "A", " ", "\xc3\xa9",
		"_", "." };
	struct pocsv_row row;
	struct pocsv *p;
	char f[6][32], line[240], want_sku[80];
	unsigned seed = 12345;
	int i, k, c, n, wrong = 0, quoted = 0, recov = 0;

	for (i = 0; i < 3000; i++) {
		for (k = 0; k < 6; k++) {
			n = (int)((seed = seed * 1103515245 + 12345) >> 16) % 11;
			for (f[k][0] = 0, c = 0; c < n; c++)
				strcat(f[k], alpha[(seed = seed * 1103515245 + 12345) >> 16 & 7]);
		}
		/* ids, quantity and date that read, whatever the SKU */
		snprintf(f[0], sizeof f[0], "%d", i);
		snprintf(f[2], sizeof f[2], "%d", i % 9 + 1);
		snprintf(f[3], sizeof f[3], "%.*s", (int)(i % 20) + 1, "11111111111111111111");
		snprintf(f[4], sizeof f[4], "%d", i % 97 + 1);
		if (!f[1][0])
			strcpy(f[1], "S");
		f[5][0] = 0;
		snprintf(line, sizeof line, "%s,%s,%s,%s,%s,%s", f[0], f[1], f[2],
		    f[3], f[4], f[5]);
		if (one_row(line, &row, &p) != 1 || row.reason || row.recovered ||
		    strcmp(row.po, f[0]) || strcmp(row.sku, f[1]) ||
		    strcmp(row.qty, f[2]) || strcmp(row.facility, f[3]) ||
		    strcmp(row.item, f[4]))
			wrong++;
		pocsv_close(p);
		/* the SKU quoted, the quote at each offset as i goes */
		snprintf(line, sizeof line, "%s,\"%s\",%s,%s,%s,", f[0], f[1],
		    f[2], f[3], f[4]);
		if (one_row(line, &row, &p) == 1 && !row.reason &&
		    strcmp(row.sku, f[1]) == 0 && strcmp(row.item, f[4]) == 0)
			quoted++;
		pocsv_close(p);
		/* a comma in the SKU: 7 fields, recovered */
		snprintf(line, sizeof line, "%s,%s,x,%s,%s,%s,", f[0], f[1],
		    f[2], f[3], f[4]);
		snprintf(want_sku, sizeof want_sku, "%s,x", f[1]);
		if (one_row(line, &row, &p) == 1 && row.recovered &&
		    strcmp(row.sku, want_sku) == 0 && strcmp(row.item, f[4]) == 0)
			recov++;
		pocsv_close(p);
	}
	is_int(wrong, 0, "3000 unquoted rows of 10 to 52 bytes: every field where it is");
	is_int(quoted, 3000, "  the same with the SKU quoted (libcsv's reading)");
	is_int(recov, 3000, "  and with a comma in the SKU: recovered, the comma in it");
}

/* pocsv_open_reader's reader: the text a few bytes at a time, an EINTR
 * first (asked again), and -1 EIO at fail (0: never). */
struct trickle {
	const char *s;
	size_t len, off, fail;
	int calls;
};

static ssize_t
trickle_read(void *arg, void *b, size_t n)
{
	struct trickle *t = arg;
	size_t k = t->len - t->off < 7 ? t->len - t->off : 7;

	if (t->calls++ == 0) {
		errno = EINTR;
		return -1;
	}
	if (t->fail && t->off >= t->fail) {
		errno = EIO;
		return -1;
	}
	k = k < n ? k : n;
	memcpy(b, t->s + t->off, k);
	t->off += k;
	return (ssize_t)k;
}

static void
test_reader(void)
{
	struct trickle t = { 0 };
	struct buf b = {0};
	struct pocsv_row row;
	struct pocsv *p;
	char *why;
	int i, n = 0, r;

	buf_adds(&b, HDR);
	for (i = 0; i < 500; i++)
		buf_addf(&b, "%d,SKU %d,%d,116,%d,\n", 100 + i, i, i + 1, i);
	t.s = b.s;
	t.len = b.len;
	r = pocsv_open_reader(&p, trickle_read, &t, "MM/DD/YYYY", &why);
	is_int(r, 0, "reader: the header, 7 bytes a read after an EINTR");
	if (r == 0)
		while ((r = pocsv_next(p, &row)) == 1 && !row.reason)
			n++;
	is_int(r, 0, "reader: read to its end");
	is_int(n, 500, "reader: every row, all good");
	is_int(t.off, b.len, "reader: every byte asked for");
	pocsv_close(p);

	t.off = 0;
	t.calls = 0;
	t.fail = b.len / 2;
	r = pocsv_open_reader(&p, trickle_read, &t, "MM/DD/YYYY", &why);
	if (r == 0)
		while ((r = pocsv_next(p, &row)) == 1)
			;
	is_int(r, -1, "reader: its error ends the rows as a read error");
	is_int(errno, EIO, "... with its errno");
	pocsv_close(p);
	buf_free(&b);
}

static void
test_dates(void)
{
	/* pocsv_date(fmt, in, len): taken (good) or refused, and what it
	 * wrote when out is set */
	static const struct {
		const char *fmt, *in;
		size_t len;
		int good;
		const char *desc, *out, *outdesc;
	} dates[] = {
		{ "MM/DD/YYYY", "12/24/2026", 10, 1,
		    "12/24/2026", "12/24/2026", "written as MM/dd/yyyy" },
		{ "YYYY-MM-DD", "2027-01-02", 10, 1,
		    "ISO date", "01/02/2027", "ISO date rewritten" },
		{ "D.M.YY", "3.4.27", 6, 1,
		    "D.M.YY", "04/03/2027", "two-digit year is 20YY" },
		{ "M/D/YYYY", "11/9/2026", 9, 1,
		    "M/D/YYYY with a two-digit month", "11/09/2026", "... padded" },
		{ "MM/DD/YYYY", "02/29/2028", 10, 1,
		    "Feb 29 2028 (leap)", NULL, NULL },
		{ "MM/DD/YYYY", "02/29/2000", 10, 1,
		    "Feb 29 2000 (leap)", NULL, NULL },
		{ "MM/DD/YYYY", "02/29/2100", 10, 0,
		    "Feb 29 2100 (not leap)", NULL, NULL },
		{ "MM/DD/YYYY", "04/31/2026", 10, 0, "April 31", NULL, NULL },
		{ "MM/DD/YYYY", "00/10/2026", 10, 0, "month 0", NULL, NULL },
		{ "MM/DD/YYYY", "1/2/2026", 8, 0,
		    "MM needs two digits", NULL, NULL },
		{ "MM/DD/YYYY", "12/24/2026x", 11, 0,
		    "trailing text", NULL, NULL },
		{ "MM/DD/YYYY", "12-24-2026", 10, 0,
		    "other separators", NULL, NULL },
		{ "MM/DD/YYYY", "12/24/0999", 10, 0,
		    "year before 1900", NULL, NULL },
		/* formats of fixed width (each step read at its width) */
		{ "MM/DD/YYYY", "12/24/202a", 10, 0,
		    "a letter for a digit", NULL, NULL },
		{ "MM/DD/YYYY", "12/24/20\0006", 10, 0,
		    "a NUL for a digit", NULL, NULL },
		{ "MM/DD/YYYY", "12/24/202", 9, 0,
		    "a digit short", NULL, NULL },
		{ "MM/DD/YYYY", "12/24/2026", 9, 0,
		    "only len bytes are read", NULL, NULL },
		{ "MM/DD/YYYY", "1/24/20266", 10, 0,
		    "the right length, the digits shifted", NULL, NULL },
		{ "YYYYMMDD", "20270102", 8, 1,
		    "YYYYMMDD", "01/02/2027", "... rewritten" },
		{ "DD.MM.YY.", "02.01.27.", 9, 1,
		    "a literal last", "01/02/2027", "... rewritten" },
		{ "DD.MM.YY.", "02.01.27", 8, 0, "... and needed", NULL, NULL },
		{ "MM/DD/YYYY MM", "12/24/2026 12", 13, 0,
		    "two months: no date matches", NULL, NULL },
	}, *d;
	char out[11];
	size_t i;

	ok(pocsv_date_format_ok("MM/DD/YYYY"), "MM/DD/YYYY is a format");
	ok(pocsv_date_format_ok("YYYY-MM-DD"), "YYYY-MM-DD is a format");
	ok(pocsv_date_format_ok("D.M.YY"), "D.M.YY is a format");
	ok(!pocsv_date_format_ok("MM/DD"), "no year: not a format");
	ok(!pocsv_date_format_ok("MM/DD/YYYY MM"), "two months: not a format");
	ok(!pocsv_date_format_ok(""), "empty: not a format");
	for (i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		d = &dates[i];
		if (d->good)
			ok(pocsv_date(d->fmt, d->in, d->len, out) == 0, "%s",
			    d->desc);
		else
			ok(pocsv_date(d->fmt, d->in, d->len, out) < 0, "%s",
			    d->desc);
		if (d->out)
			is_str(out, d->out, "%s", d->outdesc);
	}
}

int
main(void)
{
	test_header();
	test_rows_good();
	test_rows_bad();
	test_rows_recovered();
	test_rows_long();
	test_long_line();
	test_line_limit();
	test_many_rows();
	test_split_words();
	test_reader();
	test_dates();
	if (cur_fp)
		fclose(cur_fp);
	return done_testing();
}
