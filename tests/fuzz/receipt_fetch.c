/*
 * receipt_fetch -- common/receipt_fetch.c: HotWax's performFind rows
 * turned into receipt-export's input (receipt_rules.h), the very
 * functions hotwax_find calls for each row of a page.
 *
 * The input's first byte picks the entity: 'O' OrderHeader, 'I'
 * OrderItem, 'R' ShipmentReceiptAndItem (any other byte: its value mod 3,
 * in that order); the rest is a page as
 * HotWax answers it, {"docs":[ROW,...]}, or a bare list of rows, or one
 * row (any JSON: a doc HotWax should not send still must not crash).
 * Invariants:
 *  - a receipt row (rx_receipt_row) is either good -- an id, order and
 *    item, a time >= 0 and a quantity >= 0 that formats back -- or marked
 *    bad with a reason, never both: bad exactly when one of those is not
 *    what HotWax should send;
 *  - every receipt row, good or bad, is taken by rx_input_receipt (a
 *    fresh state: no ledger, no floor), but one whose id an earlier row
 *    of the page had: count in = taken + repeated, none dropped; and
 *    rx_decide on them holds the run back (EX_DATAERR) when a bad row
 *    was taken;
 *  - an OrderHeader row of an order a receipt names makes it a NetSuite
 *    PO exactly when its orderTypeId is PURCHASE_ORDER and it has an
 *    externalId (the latest row of an order decides);
 *  - an OrderItem row with an order and item gives that item the
 *    externalId of the first row for it (later rows change nothing);
 *    its quantity, when rx_json_qty takes it, is >= 0 and formats back.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "decimal.h"
#include "fuzz.h"
#include "map.h"
#include "msg.h"
#include "receipt_fetch.h"
#include "receipt_rules.h"
#include "receipt_state.h"
#include "util.h"

#define NOW	4102444800000LL		/* 2100-01-01, after any fuzzed time */

static void
check_qty(dec_t q, const char *what)
{
	char b[DEC_BUFSZ];
	dec_t back;

	FUZZ_CHECK(q >= 0, "%s: a quantity below 0", what);
	dec_format(q, b);
	FUZZ_CHECK(dec_parse(b, strlen(b), &back) == 0 && back == q,
	    "%s: quantity %s does not read back", what, b);
}

static void
receipts(const cJSON *rows)
{
	struct rx_state *st = rx_state_new();
	struct rx_input *in = rx_input_new(st, NOW, 0, 0, "fuzz/");
	struct map *ids = map_new(1);
	struct rx_decision d;
	const cJSON *row;
	struct rx_row r;
	size_t nin = 0, taken = 0, again = 0, nbad = 0;
	enum rx_take took;
	dec_t q;
	int good, isnew;

	cJSON_ArrayForEach(row, rows) {
		nin++;
		rx_receipt_row(row, &r);
		good = r.id && r.order && r.seq && r.ms >= 0 &&
		    rx_json_qty(row, "quantityAccepted", &q) >= 0;
		FUZZ_CHECK(good == (r.bad == NULL), "a row %s but marked %s",
		    good ? "good" : "bad", r.bad ? r.bad : "good");
		FUZZ_CHECK(!r.bad || r.bad[0], "marked bad without a reason");
		if (good) {
			FUZZ_CHECK(r.id[0] && r.order[0] && r.seq[0], "an empty id");
			FUZZ_CHECK(q == r.acc, "two readings of the quantity");
			check_qty(r.acc, "a receipt");
		}
		isnew = 1;
		if (r.id)
			map_put(ids, r.id, &isnew);
		took = rx_input_receipt(in, r.id, r.order, r.seq, r.acc, r.ms, r.bad);
		FUZZ_CHECK(took == (isnew ? RX_TAKEN : RX_OLD), "row %zu: "
		    "rx_input_receipt gave %d", nin, (int)took);
		taken += took == RX_TAKEN;
		again += took == RX_OLD;
		nbad += r.bad && took == RX_TAKEN;
		free(r.bad);
	}
	FUZZ_CHECK(nin == taken + again, "%zu rows in, %zu taken, %zu again",
	    nin, taken, again);
	rx_decide(in, st, &d);
	if (nbad)
		FUZZ_CHECK(rx_decision_status(&d) == EX_DATAERR,
		    "%zu bad rows taken, the run not held", nbad);
	rx_decision_free(&d);
	rx_input_free(in);
	rx_state_free(st);
	map_free(ids);
}

/* A receipt naming the order of each row, so that the rows count. */
static void
name_orders(struct rx_input *in, const cJSON *rows)
{
	const cJSON *row;
	const char *o;
	char id[32];
	int i = 0;

	cJSON_ArrayForEach(row, rows)
		if ((o = rx_json_id(row, "orderId")) != NULL) {
			snprintf(id, sizeof id, "R%d", i++);
			rx_input_receipt(in, id, o, "00001", 0, 1000, NULL);
		}
}

static int
in_list(const char **v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

static void
orders(const cJSON *rows)
{
	struct rx_state *st = rx_state_new();
	struct rx_input *in = rx_input_new(st, NOW, 0, 0, "fuzz/");
	struct map *po = map_new(sizeof(char *));
	const cJSON *row;
	const char *o, *ext, *type, **v;
	char **first;
	size_t n, it;
	int ns;

	name_orders(in, rows);
	cJSON_ArrayForEach(row, rows) {
		FUZZ_CHECK(rx_take_order(row, in) == 0, "rx_take_order not 0");
		if (!(o = rx_json_id(row, "orderId")))
			continue;
		ext = rx_json_id(row, "externalId");
		type = rx_json_id(row, "orderTypeId");
		ns = ext && type && strcmp(type, "PURCHASE_ORDER") == 0;
		v = rx_input_orders(in, 1, &n);
		FUZZ_CHECK(in_list(v, n, o) == ns, "order %s %s a NetSuite PO",
		    o, ns ? "not" : "made");
		free(v);
		if (!ns)
			continue;
		/* the first externalId of a NetSuite PO's order stays */
		if (!*(first = map_put(po, o, NULL)))
			*first = xstrdup(ext);
		FUZZ_CHECK(rx_input_has_po(in, *first), "PO %s not known", *first);
	}
	for (it = 0; (first = map_next(po, &it, NULL)) != NULL; )
		free(*first);
	map_free(po);
	rx_input_free(in);
	rx_state_free(st);
}

static void
items(const cJSON *rows)
{
	static struct config cfg;
	struct rx_state *st = rx_state_new();
	struct rx_input *in = rx_input_new(st, NOW, 0, 0, "fuzz/");
	struct rx_item_rows ir = { &cfg, in };
	struct map *first = map_new(sizeof(char *));
	const cJSON *row;
	const char *o, *seq, *ext, *line;
	char **was, *key;
	size_t it;
	int isnew;
	dec_t q;

	cfg.hotwax.base_url = "https://hotwax.fuzz/";
	cJSON_ArrayForEach(row, rows) {
		FUZZ_CHECK(rx_take_item(row, &ir) == 0, "rx_take_item not 0");
		if (rx_json_qty(row, "quantity", &q) == 0)
			check_qty(q, "an item");
		o = rx_json_id(row, "orderId");
		seq = rx_json_id(row, "orderItemSeqId");
		if (!o || !seq)
			continue;
		ext = rx_json_id(row, "externalId");
		key = xasprintf("%zu:%s%s", strlen(o), o, seq);
		was = map_put(first, key, &isnew);
		free(key);
		if (isnew && ext)
			*was = xstrdup(ext);
		line = rx_input_item_line(in, o, seq);
		FUZZ_CHECK((line == NULL) == (*was == NULL) &&
		    (!line || strcmp(line, *was) == 0), "item %s/%s has line %s, "
		    "its first row said %s", o, seq, line ? line : "none",
		    *was ? *was : "none");
	}
	for (it = 0; (was = map_next(first, &it, NULL)) != NULL; )
		free(*was);
	map_free(first);
	rx_input_free(in);
	rx_state_free(st);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *j, *rows, *one = NULL;

	if (size == 0 || !(j = cJSON_ParseWithLength((const char *)data + 1,
	    size - 1)))
		return 0;
	rows = cJSON_GetObjectItemCaseSensitive(j, "docs");
	if (!cJSON_IsArray(rows))
		rows = cJSON_IsArray(j) ? j : NULL;
	if (!rows) {
		one = cJSON_CreateArray();
		cJSON_AddItemReferenceToArray(one, j);
		rows = one;
	}
	if (data[0] == 'O' || (data[0] != 'I' && data[0] != 'R' && data[0] % 3 == 0))
		orders(rows);
	else if (data[0] == 'I' || (data[0] != 'R' && data[0] % 3 == 1))
		items(rows);
	else
		receipts(rows);
	cJSON_Delete(one);
	cJSON_Delete(j);
	return 0;
}
