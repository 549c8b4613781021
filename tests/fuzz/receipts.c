/*
 * receipts -- common/receipt_state.c and common/receipt_rules.c:
 * receipt-export's state file and the NetSuite receipt element built
 * from it.
 *
 * The input is a state file as found on disk.  Invariants:
 *  - rx_state_parse accepts it or says why (EX_DATAERR), never half;
 *  - what it accepts, rx_state_format writes as text that parses again
 *    to the same state: formatting that gives the same bytes;
 *  - pruning keeps a state that formats and parses again;
 *  - for each PO, rx_compute never sends more than is open (and a PO
 *    with no lines is no undefined behaviour: issue 8 finding 13),
 *    and the element rx_element writes is JSON (cJSON reads it) giving
 *    back the PO id, each listed line id and its quantity exactly.
 * Not reached here: receipt-export's journal (tests/fuzz/journal.c) and
 * its reading of HotWax's pages (common/receipt_fetch.c).
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "decimal.h"
#include "fuzz.h"
#include "receipt_rules.h"
#include "receipt_state.h"
#include "util.h"

static void
check_element(const struct rx_state *st, const char *po)
{
	struct rx_po p;
	struct buf b = {0};
	cJSON *o, *items, *it;
	size_t i;
	dec_t q;

	rx_po_init(&p, po);
	rx_po_from_state(&p, st);	/* a PO with no lines left too */
	for (i = 0; i < p.n; i++)	/* something newly received on each */
		p.lines[i].accepted = (dec_t)(i + 1) * DEC_ONE / 2;
	rx_compute(&p);
	for (i = 0; i < p.n; i++) {
		struct rx_line *l = &p.lines[i];

		FUZZ_CHECK(l->send >= 0 && l->send <= l->accepted &&
		    l->send + l->excess == l->accepted, "line %zu: send %lld of %lld",
		    i, (long long)l->send, (long long)l->accepted);
		FUZZ_CHECK(l->ord != RX_KNOWN || l->send == 0 ||
		    l->received + l->send <= l->ordered, "line %zu: sends past the order", i);
	}
	rx_element(&p, &b);
	o = cJSON_ParseWithLength(b.s, b.len);
	FUZZ_CHECK(o, "the element is not JSON: %s", b.s);
	FUZZ_CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "order_id")) &&
	    strcmp(cJSON_GetObjectItemCaseSensitive(o, "order_id")->valuestring, po) == 0,
	    "order_id differs: %s", b.s);
	items = cJSON_GetObjectItemCaseSensitive(o, "items");
	FUZZ_CHECK(cJSON_IsArray(items), "no items: %s", b.s);
	it = items->child;
	for (i = 0; i < p.n; i++) {
		if (!p.lines[i].listed)
			continue;
		FUZZ_CHECK(it, "line %zu missing: %s", i, b.s);
		FUZZ_CHECK(strcmp(cJSON_GetObjectItemCaseSensitive(it, "line_id")->valuestring,
		    p.lines[i].id) == 0, "line_id differs: %s", b.s);
		FUZZ_CHECK(dec_from_double(cJSON_GetObjectItemCaseSensitive(it,
		    "quantity")->valuedouble, &q) == 0 && q == p.lines[i].send,
		    "quantity differs: %s", b.s);
		it = it->next;
	}
	FUZZ_CHECK(!it, "an extra item: %s", b.s);
	cJSON_Delete(o);
	buf_free(&b);
	rx_po_free(&p);
}

static void
roundtrip(const struct rx_state *st, const char *what)
{
	struct rx_state *again;
	struct buf a = {0}, b = {0};

	rx_state_format(st, &a);
	again = rx_state_new();
	FUZZ_CHECK(rx_state_parse(again, a.s, a.len, what) == 0,
	    "%s: the formatted state does not parse:\n%s", what, a.s);
	rx_state_format(again, &b);
	FUZZ_CHECK(a.len == b.len && memcmp(a.s, b.s, a.len) == 0,
	    "%s: format, parse, format differs:\n%s\n----\n%s", what, a.s, b.s);
	rx_state_free(again);
	buf_free(&a);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rx_state *st;
	const char **v;
	size_t n, i;

	st = rx_state_new();
	if (rx_state_parse(st, (const char *)data, size, "fuzz") == 0) {
		roundtrip(st, "parsed");
		v = rx_state_pos(st, &n);
		for (i = 0; i < n && i < 64; i++)
			check_element(st, v[i]);
		free(v);
		rx_state_prune(st, 900000, rx_state_cursor(st), 86400000);
		roundtrip(st, "pruned");
	}
	rx_state_free(st);
	return 0;
}
