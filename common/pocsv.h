/*
 * pocsv -- a streaming reader of NetSuite's purchase-order CSV
 * (contracts.md section 1), handing out one validated or rejected row at a
 * time, so memory stays the same whatever the size of the file.
 *
 * Promises:
 * - The header is matched by name (any order, extra columns ignored, a
 *   UTF-8 BOM skipped); a missing or repeated column, a header that is not
 *   text (NUL bytes, invalid UTF-8) or an empty file makes the whole file
 *   unusable: pocsv_open says why.
 * - A record is one line (LF or CRLF).  No column of this file can hold a
 *   line break, and reading one line at a time means one bad quote never
 *   swallows the rows after it.  Lines longer than POCSV_LINE_MAX are
 *   rejected; empty lines are skipped.
 * - Each line is read as RFC 4180 (strict quoting): by libcsv when it
 *   holds a quote, else by a cut at every comma, which is what libcsv
 *   would read (one pass, no copy: the common case, fast).  When that
 *   fails (a quote inside a field, as NetSuite writes SKUs like 12" Pan) or
 *   gives too many fields, the line is read as NetSuite writes it: split at
 *   every comma, the other columns taken from both ends and the rest,
 *   commas included, is product-sku (the only free-text column).  The row
 *   is kept when every column then validates, else rejected alone.
 * - Validation: external-id, external-facility-id and item-external-id
 *   1..POCSV_ID_MAX bytes of text without control characters, '"' or
 *   ',' (1..POCSV_ID_MAX digits, NetSuite internal ids, in a recovered row);
 *   product-sku 1..POCSV_SKU_MAX bytes of UTF-8 without control characters,
 *   kept byte for byte; quantity a positive decimal with at most 8 places,
 *   its text kept as written (canonical when the text is not a JSON
 *   number, e.g. "007"); arrival-date empty or a real date in the
 *   configured format, given back as MM/dd/yyyy.
 * - A rejected row keeps its PO and line ids when they could be read
 *   (has_ids), for the ledger of PO lines (polines.h): never for a row
 *   with too few fields, nor for one with too many that did not validate
 *   unless its ids and arrival date, taken from both ends, are NetSuite's
 *   (digits, an empty or real date): only the SKU and quantity in doubt.
 */
#ifndef POSYNC_POCSV_H
#define POSYNC_POCSV_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "decimal.h"
#include "polines.h"
#include "util.h"

#define POCSV_ID_MAX	64		/* bytes of an id */
#define POCSV_SKU_MAX	255		/* bytes of a SKU */
#define POCSV_DATE_MAX	32		/* bytes of an arrival date as written */
#define POCSV_LINE_MAX	65536		/* bytes of a line, without its end */

struct pocsv;

struct pocsv_row {
	unsigned long line;	/* line number in the file; the header is 1 */
	const char *raw;	/* the line as read, without CR LF (may hold */
	size_t rawlen;		/* NULs; cut at POCSV_LINE_MAX) */
	const char *reason;	/* NULL: a good row; else why it is rejected */
	int has_ids;		/* po and item are trustworthy */
	int has_qty;		/* qty and qtyval are good */
	int recovered;		/* read NetSuite's way: the SKU held commas */
	/* NUL-terminated, valid until the next pocsv_next or pocsv_close;
	 * on a rejected row any of them may be NULL */
	const char *po, *sku, *qty, *facility, *item;
	size_t polen, skulen, qtylen, faclen, itemlen;	/* their strlen */
	dec_t qtyval;
	char arrival[11];	/* MM/dd/yyyy, or "" when empty */
};

/* Read the header of the CSV open on fd (read from its current offset,
 * not closed by pocsv).  date_format as [netsuite] arrival_date_format.
 * 0 and *out set; POCSV_UNUSABLE with *why (malloc'd) saying why the file
 * cannot be used at all; -1 with errno on a read error. */
#define POCSV_UNUSABLE 1
int pocsv_open(struct pocsv **out, int fd, const char *date_format, char **why);
/* pocsv_open, the bytes from rd(arg, buf, n) instead of read(2) of an fd:
 * rd answers as read(2) does (bytes, 0 at the end, -1 with errno; EINTR
 * is asked again).  po-export-parse hashes the bytes as they are read,
 * and reads a download as it arrives. */
typedef ssize_t pocsv_read_fn(void *arg, void *buf, size_t n);
int pocsv_open_reader(struct pocsv **out, pocsv_read_fn *rd, void *arg,
    const char *date_format, char **why);

/* The next row: 1 and *row filled, 0 at the end, -1 with errno on a read
 * error. */
int pocsv_next(struct pocsv *p, struct pocsv_row *row);
void pocsv_close(struct pocsv *p);

/*
 * What a row becomes (the reader's outputs, tested from files in
 * tests/data/pocsv/):
 * - pocsv_json: a good row as one element of HotWax's IMP_PO upload
 *   (contracts.md section 2), appended to out on one line:
 *   {"externalId": "...", "productSku": "...", "quantity": N,
 *   "externalFacilityId": "...", "itemExternalId": "..."[, "arrivalDate":
 *   "MM/dd/yyyy"]}; the strings by json_str (json.h), the quantity its text
 *   (a JSON number), arrivalDate left out when empty.
 * - pocsv_reject_csv: a rejected row as a line of the rejects CSV under
 *   POCSV_REJECTS_HEADER: its line number, the reason and the raw line,
 *   both quoted (RFC 4180).
 * - pocsv_poline: the row's record in the ledger of PO lines (polines.h),
 *   pointing into row: 1 for every row whose ids can be trusted (has_ids),
 *   good or rejected, the quantity unknown unless it was read (has_qty);
 *   0 for a row that has none.
 * - pocsv_recovered_csv: a row read with commas in its SKU as a line of
 *   the recovered-rows CSV under POCSV_RECOVERED_HEADER: the file's name,
 *   the line number, the raw line and the SKU read, quoted (RFC 4180).
 *   These two: 0, or -1 when a write failed (errno; stdio writes when its
 *   buffer is full, so the row that failed may be an earlier one).
 */
/* The batch JSON's field names: pocsv_json writes them, po-import reads
 * them back (the rows HotWax's log names). */
#define POCSV_J_PO		"externalId"
#define POCSV_J_SKU		"productSku"
#define POCSV_J_QTY		"quantity"
#define POCSV_J_FACILITY	"externalFacilityId"
#define POCSV_J_ITEM		"itemExternalId"
#define POCSV_J_ARRIVAL		"arrivalDate"
#define POCSV_REJECTS_HEADER	"line,reason,raw\n"
#define POCSV_RECOVERED_HEADER	"file,line,raw,sku\n"
void pocsv_json(struct buf *out, const struct pocsv_row *row);
int pocsv_poline(const struct pocsv_row *row, struct poline *rec);
int pocsv_reject_csv(FILE *fp, const struct pocsv_row *row);
int pocsv_recovered_csv(FILE *fp, const char *file, const struct pocsv_row *row);

/* A date format: tokens YYYY, YY (20YY), MM, M, DD, D (M and D: one or
 * two digits), any other byte literal.  1 when it holds exactly one year,
 * one month and one day, else 0. */
int pocsv_date_format_ok(const char *fmt);
/* s (len bytes) read with fmt, written as MM/dd/yyyy into out: 0, or -1
 * when it does not match or is not a real date (years 1900..9999). */
int pocsv_date(const char *fmt, const char *s, size_t len, char out[11]);

#endif
