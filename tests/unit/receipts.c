/*
 * Unit tests of common/receipt_rules.c and common/receipt_state.c: the
 * NetSuite receipt elements (contracts.md section 4) and receipt-export's
 * state, without a server.
 */
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "isotime.h"
#include "receipt_rules.h"
#include "receipt_state.h"
#include "rfile.h"
#include "tap.h"
#include "util.h"
#include "testutil.h"

static dec_t
D(const char *s)
{
	dec_t v = -1;

	if (dec_parse(s, strlen(s), &v) != 0)
		abort();
	return v;
}

/* a line: csv "" none, "?" unknown, else quantity; hw likewise ("" none) */
static struct rx_line *
L(struct rx_po *p, const char *id, const char *csv, const char *hw,
    const char *acc)
{
	struct rx_line *l = rx_po_line(p, id);

	if (*csv) {
		l->csv = strcmp(csv, "?") == 0 ? RX_UNKNOWN : RX_KNOWN;
		l->csv_qty = l->csv == RX_KNOWN ? D(csv) : 0;
	}
	if (*hw) {
		l->hw = RX_KNOWN;
		l->hw_qty = D(hw);
	}
	l->accepted = D(acc);
	return l;
}

/* The PO's receipt element (rx_element) is want. */
static void
element_is(struct rx_po *p, const char *want, const char *desc)
{
	struct buf b = { 0 };

	rx_element(p, &b);
	is_str(b.s, want, "%s", desc);
	free(b.s);
}

static void
t_open_zero_full(void)
{
	struct rx_po p;

	rx_po_init(&p, "12009298");
	L(&p, "2", "4", "4", "0");		/* open, nothing new: 0 */
	L(&p, "1", "11", "11", "5");		/* open: 5 */
	L(&p, "10", "3", "3", "0")->received = D("3");	/* full: left out */
	L(&p, "3", "2", "", "0");		/* never reached HotWax: 0 */
	rx_compute(&p);
	ok(p.element, "a PO with goods accepted has an element");
	ok(!p.full, "not fully received");
	element_is(&p, "{\"order_id\":\"12009298\",\"items\":["
	    "{\"line_id\":\"1\",\"quantity\":5},"
	    "{\"line_id\":\"2\",\"quantity\":0},"
	    "{\"line_id\":\"3\",\"quantity\":0}]}",
	    "open lines listed in line order, zero lines 0, the full line left out");
	rx_po_free(&p);
}

static void
t_excess(void)
{
	struct rx_po p;
	struct rx_line *l;

	rx_po_init(&p, "7");
	l = L(&p, "1", "10", "10", "8");
	l->received = D("4");			/* 6 open, 8 new */
	L(&p, "2", "5", "5", "1")->received = D("5");	/* full, 1 more */
	rx_compute(&p);
	element_is(&p, "{\"order_id\":\"7\",\"items\":[{\"line_id\":\"1\",\"quantity\":6}]}",
	    "never more than is open");
	is_int(p.lines[0].send, D("6"), "line 1 sends 6");
	is_int(p.lines[0].excess, D("2"), "line 1 excess 2");
	is_int(p.lines[1].excess, D("1"), "a full line's goods are all excess");
	ok(!p.lines[1].listed, "the full line is not listed");
	ok(p.full, "after this the PO is fully received");
	rx_po_free(&p);

	rx_po_init(&p, "8");
	L(&p, "1", "2", "2", "3")->received = D("2");
	rx_compute(&p);
	ok(!p.element, "a PO whose new goods are all excess has no element");
	is_int(p.lines[0].excess, D("3"), "and all of it is excess");
	rx_po_free(&p);
}

/* qsort(NULL, 0, ...) is undefined behaviour (its first argument is
 * declared non-null): a PO with no lines must not reach it. */
static void
t_no_lines(void)
{
	struct rx_po p;

	rx_po_init(&p, "10");
	rx_compute(&p);
	ok(!p.element && !p.full, "a PO with no lines: no element, not full, no UB");
	rx_po_free(&p);
}

/* A NUL byte in the state refuses it whole, naming the line it is on. */
/* A cursor or last no file name can hold (past 9999-12-31T23:59:59.999Z)
 * is refused, naming its line; the last millisecond a name holds is not. */
static void
t_state_far(void)
{
	static const char *bad[] = {
	    "posync receipt-export state 1\ncursor\t0\nlast\t253402300800000\n",
	    "posync receipt-export state 1\ncursor\t9223372036854775806\nlast\t0\n",
	};
	static const char good[] = "posync receipt-export state 1\n"
	    "cursor\t253402300799999\nlast\t253402300799999\n";
	struct rx_state *st;
	char *err;
	size_t i;

	for (i = 0; i < 2; i++) {
		st = rx_state_new();
		cap_begin();
		is_int(rx_state_parse(st, bad[i], strlen(bad[i]), "far"),
		    EX_CONFIG, "a time past year 9999 is refused, 78");
		err = cap_end();
		if (!ok(strstr(err, i ? "far:2: a time past" : "far:3: a time past"),
		    "  naming its line"))
			printf("#   stderr: %s", err);
		free(err);
		rx_state_free(st);
	}
	st = rx_state_new();
	is_int(rx_state_parse(st, good, strlen(good), "good"), 0,
	    "9999-12-31T23:59:59.999Z is read");
	ok(rx_state_last(st) == INT64_C(253402300799999), "  as it is");
	rx_state_free(st);
	scratch_remove();
}

static void
t_state_nul(void)
{
	static const char nul[] = "posync receipt-export state 1\ncursor\t0\n"
	    "r\tR1\0junk\t5\nlast\t0\n";
	struct rx_state *st;
	char *err;
	int r;

	st = rx_state_new();
	cap_begin();
	r = rx_state_parse(st, nul, sizeof nul - 1, "nul");
	err = cap_end();
	is_int(r, EX_CONFIG, "a state with a NUL byte is refused, 78");
	if (!ok(strstr(err, "nul:3: a NUL byte") != NULL, "  naming its line"))
		printf("#   stderr: %s", err);
	free(err);
	rx_state_free(st);
	scratch_remove();
}

static void
t_rejected_only(void)
{
	struct rx_po p;

	rx_po_init(&p, "9");
	L(&p, "1", "5", "5", "0");
	L(&p, "2", "5", "5", "0");
	rx_compute(&p);
	ok(!p.element, "a PO whose new receipts accepted nothing: no element");
	ok(p.lines[0].listed && p.lines[1].listed, "its lines stay open");
	rx_po_free(&p);
}

static void
t_decimal(void)
{
	struct rx_po p;
	struct rx_line *l;

	rx_po_init(&p, "10");
	l = L(&p, "1", "1", "1", "0.1");
	l->accepted += D("0.2");
	L(&p, "2", "0.5", "0.5", "0.00000001");
	rx_compute(&p);
	element_is(&p, "{\"order_id\":\"10\",\"items\":["
	    "{\"line_id\":\"1\",\"quantity\":0.3},"
	    "{\"line_id\":\"2\",\"quantity\":0.00000001}]}",
	    "0.1 + 0.2 is written 0.3, exactly");
	rx_po_free(&p);

	rx_po_init(&p, "11");
	L(&p, "1", "0.3", "0.3", "0.1")->received = D("0.2");
	rx_compute(&p);
	ok(p.full, "0.2 received + 0.1 completes an order of 0.3");
	is_int(p.lines[0].excess, 0, "no excess at exactly what is open");
	rx_po_free(&p);
}

static void
t_unknown(void)
{
	struct rx_po p;

	rx_po_init(&p, "12");
	L(&p, "1", "?", "", "0");		/* rejected row: never in HotWax */
	L(&p, "2", "?", "4", "6");		/* HotWax has an older quantity */
	L(&p, "3", "?", "", "2");		/* goods, and nobody knows */
	rx_compute(&p);
	element_is(&p, "{\"order_id\":\"12\",\"items\":["
	    "{\"line_id\":\"1\",\"quantity\":0},"
	    "{\"line_id\":\"2\",\"quantity\":4},"
	    "{\"line_id\":\"3\",\"quantity\":0}]}",
	    "unknown quantity: open; sends up to HotWax's quantity, else 0");
	is_int(p.lines[1].excess, D("2"), "beyond HotWax's quantity is excess");
	is_int(p.lines[2].excess, D("2"), "without any quantity all is excess");
	ok(!p.full, "a PO with an unknown line is never fully received");
	rx_po_free(&p);

	rx_po_init(&p, "13");
	L(&p, "1", "", "5", "2");		/* no CSV record: HotWax's */
	L(&p, "2", "3", "9", "1");		/* the CSV wins over HotWax */
	p.lines[1].st = RX_KNOWN;
	p.lines[1].st_qty = D("7");
	rx_compute(&p);
	is_int(p.lines[0].ordered, D("5"), "HotWax's quantity when polines has none");
	is_int(p.lines[1].ordered, D("3"), "the CSV's quantity over the state's and HotWax's");
	rx_po_free(&p);
}

/* PO completed: closed, then left out entirely, then pruned */
static void
t_state_closed(struct rx_state *st)
{
	struct rx_po p;

	rx_po_init(&p, "20");
	L(&p, "1", "2", "2", "2");
	L(&p, "2", "1", "1", "0")->received = D("1");
	rx_compute(&p);
	ok(p.full && p.element, "completing the last open line: full, with an element");
	element_is(&p, "{\"order_id\":\"20\",\"items\":[{\"line_id\":\"1\",\"quantity\":2}]}",
	    "the line completed earlier is left out");
	rx_po_apply(st, &p, 7000);
	rx_po_free(&p);
	rx_po_init(&p, "20");
	rx_po_from_state(&p, st);
	L(&p, "1", "", "2", "1");		/* polines compacted it away */
	rx_compute(&p);
	ok(!p.element && !p.lines[0].listed, "a receipt after the PO is closed: no element");
	is_int(p.lines[0].excess, D("1"), "it is excess");
	rx_po_free(&p);
	rx_state_prune(st, 0, 7000 + 1001, 1000);
	ok(!rx_state_has_po(st, "20"), "a closed PO is pruned after keep");
	ok(rx_state_has_po(st, "PO\\1"), "an open PO is kept");
}

/* A malformed record, a torn state: refused. */
static void
t_state_refused(void)
{
	struct rx_state *st2;
	static const char bad[] = "posync receipt-export state 1\nr\tx\n";
	static const char torn[] = "posync receipt-export state 1\ncursor\t5";

	st2 = rx_state_new();
	ok(rx_state_parse(st2, bad, strlen(bad), "bad") == EX_CONFIG,
	    "a malformed record is refused");
	rx_state_free(st2);
	st2 = rx_state_new();
	ok(rx_state_parse(st2, torn, strlen(torn), "torn") == EX_CONFIG,
	    "a torn state is refused");
	rx_state_free(st2);
}

static void
t_state(void)
{
	struct rx_state *st, *st2;
	struct rx_po p, q;
	struct buf b = { 0 }, b2 = { 0 };

	st = rx_state_new();
	rx_state_set_cursor(st, 1000000);
	rx_state_set_last(st, 42);
	rx_state_ledger_put(st, "R1", 999000);
	rx_state_ledger_put(st, "R\t2", 1000000);
	rx_state_ledger_put(st, "R0", 50000);	/* far before the window */

	rx_po_init(&p, "PO\\1");
	L(&p, "1", "10", "10", "4");
	L(&p, "2", "?", "", "0");
	rx_compute(&p);
	rx_po_apply(st, &p, 5000);
	rx_state_prune(st, 900000, 5000, 1000);
	rx_state_format(st, &b);
	is_str(b.s, "posync receipt-export state 1\ncursor\t1000000\nlast\t42\n"
	    "r\tR\\t2\t1000000\nr\tR1\t999000\n"	/* strcmp order: TAB < '1' */
	    "t\tPO\\\\1\t1\t10\t4\nt\tPO\\\\1\t2\t?\t0\n",
	    "state text: escaped ids, pruned ledger, per-line totals");

	st2 = rx_state_new();
	is_int(rx_state_parse(st2, b.s, b.len, "state"), 0, "the text parses");
	rx_state_format(st2, &b2);
	is_str(b2.s, b.s, "and formats back to the same bytes");
	ok(rx_state_seen(st2, "R\t2"), "an id with a TAB survives");

	/* the next receipts on that PO see what was received */
	rx_po_init(&q, "PO\\1");
	rx_po_from_state(&q, st2);
	L(&q, "1", "10", "10", "7");
	rx_compute(&q);
	element_is(&q, "{\"order_id\":\"PO\\\\1\",\"items\":[{\"line_id\":\"1\",\"quantity\":6},"
	    "{\"line_id\":\"2\",\"quantity\":0}]}",
	    "a second receipt sends only what is still open");
	rx_po_free(&q);
	rx_state_free(st2);
	rx_po_free(&p);

	t_state_closed(st);
	t_state_refused();
	t_state_nul();
	t_state_far();
	rx_state_free(st);
	buf_free(&b);
	buf_free(&b2);
}

static void
t_names(void)
{
	char n[256];

	is_int(rfile_name(n, sizeof n, "posync", 1703607000086LL), 0, "name fits");
	is_str(n, "posync_PurchaseOrderReceiptFeed_2023-12-26-16_10_00_086.json",
	    "the name is HotWax's feed pattern, UTC");
	rfile_name(n, sizeof n, "posync", 5);
	is_str(n, "posync_PurchaseOrderReceiptFeed_1970-01-01-00_00_00_005.json",
	    "milliseconds are zero-padded");
	ok(rfile_name(n, 20, "posync", 5) < 0, "a name that does not fit is refused");
	rfile_name(n, sizeof n, "posync", 5);
	is_int((int)(strlen(n) - strlen("posync")), RFILE_NAME_REST,
	    "RFILE_NAME_REST is what follows the prefix");
}

/* posync's own receipt files: a name rfile_name could have written, the
 * one test receipt-push and receipt_fold share */
static void
t_is_posync(void)
{
	ok(rfile_is_posync("posync",
	    "posync_PurchaseOrderReceiptFeed_2023-12-26-16_10_00_086.json"),
	    "a name rfile_name writes is posync's");
	ok(!rfile_is_posync("posync", "posync_PurchaseOrderReceiptFeed_x.json"),
	    "the feed's words without a time are a person's file");
	ok(!rfile_is_posync("posync",
	    "posync_PurchaseOrderReceiptFeed_2023-12-26-16_10_00_86.json"),
	    "a short millisecond field is a person's file");
	ok(!rfile_is_posync("posync",
	    "posync_PurchaseOrderReceiptFeed_+023-12-26-16_10_00_086.json"),
	    "a sign in the year is a person's file");
	ok(!rfile_is_posync("posync",
	    "posync_PurchaseOrderReceiptFeed_2023-02-30-16_10_00_086.json"),
	    "no such day: a person's file");
	ok(!rfile_is_posync("other",
	    "posync_PurchaseOrderReceiptFeed_2023-12-26-16_10_00_086.json"),
	    "another prefix's file is not this posync's");
	ok(!rfile_is_posync("posync",
	    "posync_x_PurchaseOrderReceiptFeed_2023-12-26-16_10_00_086.json"),
	    "the prefix, then the feed's words, nothing between");
	/* review E: a prefix holding the feed's words (config allows it) */
	ok(rfile_is_posync("x_PurchaseOrderReceiptFeed_",
	    "x_PurchaseOrderReceiptFeed__PurchaseOrderReceiptFeed_"
	    "2023-12-26-16_10_00_086.json"),
	    "a prefix holding the feed's words: its own file is posync's");
	ok(rfile_name_ms("x_PurchaseOrderReceiptFeed__PurchaseOrderReceiptFeed_"
	    "2023-12-26-16_10_00_086.json") == INT64_C(1703607000086),
	    "  and its time is read from the name (not -1)");
}

/* The ids' escaping in an element: json_str's (cJSON's), tested in
 * tests/unit/json.c; "\n" here was "\u000a" before posync had one JSON
 * string writer (both are the same JSON string). */
static void
t_json(void)
{
	struct rx_po p;

	rx_po_init(&p, "a\"b\\c\n\x01");
	L(&p, "1", "2", "2", "1");
	rx_compute(&p);
	element_is(&p, "{\"order_id\":\"a\\\"b\\\\c\\n\\u0001\",\"items\":["
	    "{\"line_id\":\"1\",\"quantity\":1}]}", "JSON string escaping");
	rx_po_free(&p);
}

/* --start-at's TIME and the state's floor */
static void
t_floor(void)
{
	static const char *const bad[] = { "", "2026-11-01", "2026-11-01T00:00:00",
	    "2026-11-01t00:00:00Z", "2026-11-01T00:00:00z", "2026-11-01T00:00:00Z ",
	    "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
	    "2026-11-01T00:00:00.Z", "2026-11-01T00:00:00.0001Z",
	    "2026-11-01T00:00:00+1:00", "2026-11-01T00:00:00+24:00",
	    "1969-12-31T23:59:59.999Z", "+2026-11-01T00:00:00Z", "1761955200", NULL };
	struct rx_state *st;
	struct buf b = { 0 };
	const char *why;
	int64_t ms = -7;
	size_t i;
	const char *two = "posync receipt-export state 1\nfloor\t5\nfloor\t5\n";

	ok(isotime_parse("1970-01-01T00:00:00Z", &ms, &why) == 0 && ms == 0, "the epoch");
	ok(isotime_parse("2000-02-29T12:00:00.25+01:00", &ms, &why) == 0 &&
	    ms == 951822000250LL, "a leap day, a fraction, an offset");
	ok(isotime_parse("9999-12-31T23:59:59.999Z", &ms, &why) == 0 &&
	    ms == 253402300799999LL, "the last time a state holds");
	ok(isotime_parse("9999-12-31T23:59:59.999-00:01", &ms, &why) < 0,
	    "past it by the offset: refused");
	for (i = 0; bad[i]; i++)
		ok(isotime_parse(bad[i], &ms, &why) < 0 && why && *why,
		    "refused: \"%s\"", bad[i]);
	st = rx_state_new();
	rx_state_set_floor(st, 1000);
	rx_state_set_cursor(st, 1000);
	rx_state_format(st, &b);
	is_str(b.s, "posync receipt-export state 1\ncursor\t1000\nlast\t0\nfloor\t1000\n",
	    "the floor is written");
	rx_state_free(st);
	st = rx_state_new();
	ok(rx_state_parse(st, b.s, b.len, "floor") == 0 && rx_state_floor(st) == 1000,
	    "and read back");
	rx_state_free(st);
	st = rx_state_new();
	ok(rx_state_parse(st, two, strlen(two), "two") == EX_CONFIG,
	    "two floors: damage");
	rx_state_free(st);
	buf_free(&b);
}

int
main(void)
{
	msg_init("receipts-test");
	t_open_zero_full();
	t_excess();
	t_rejected_only();
	t_no_lines();
	t_decimal();
	t_unknown();
	t_state();
	t_names();
	t_is_posync();
	t_json();
	t_floor();
	return done_testing();
}
