/*
 * receipt_fetch -- see receipt_fetch.h.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "decimal.h"
#include "hotwax.h"
#include "msg.h"
#include "receipt_fetch.h"
#include "util.h"

/* The latest epoch ms a HotWax time may be: a double holds it exactly. */
#define MS_MAX	9e15

const char *const rx_order_fields[] = { "orderId", "externalId",
    "orderTypeId", NULL };
const char *const rx_item_fields[] = { "orderId", "orderItemSeqId",
    "externalId", "quantity", NULL };

const char *
rx_json_id(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

int
rx_json_qty(const cJSON *o, const char *k, dec_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	*out = 0;
	if (!v || cJSON_IsNull(v))
		return 1;
	if (cJSON_IsNumber(v)) {
		if (dec_from_double(v->valuedouble, out) != 0)
			return -1;
		/* dec_from_double rounds to 8 places.  A value written with
		 * at most 8 (below 1e7) comes back as the very same double
		 * when divided out again (both operands are exact, the
		 * division correctly rounded); one with more does not, and
		 * must not be rounded silently into a receipt. */
		if ((double)*out / (double)DEC_ONE != v->valuedouble) {
			*out = 0;
			return -1;
		}
		return 0;
	}
	if (cJSON_IsString(v))
		return dec_parse(v->valuestring, strlen(v->valuestring), out) == 0 ? 0 : -1;
	return -1;
}

/* "KEY VALUE" for a message: the value as JSON, cut short; "no KEY" when
 * absent. */
static void
say_field(struct buf *b, const cJSON *o, const char *k, const char *what)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	char *txt;

	if (b->len)
		buf_adds(b, "; ");
	if (!v) {
		buf_addf(b, "no %s", k);
		return;
	}
	if (!(txt = cJSON_PrintUnformatted(v)))
		buf_addf(b, "%s %s", k, what);
	else if (strlen(txt) > 40)
		buf_addf(b, "%s %.40s... %s", k, txt, what);
	else
		buf_addf(b, "%s %s %s", k, txt, what);
	free(txt);
}

void
rx_receipt_row(const cJSON *d, struct rx_row *r)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(d, "datetimeReceived");
	struct buf why = { 0 };

	r->id = rx_json_id(d, "receiptId");
	r->order = rx_json_id(d, "orderId");
	r->seq = rx_json_id(d, "orderItemSeqId");
	r->ms = -1;
	if (!r->id)
		say_field(&why, d, "receiptId", "is not an id");
	if (!r->order)
		say_field(&why, d, "orderId", "is not an id");
	if (!r->seq)
		say_field(&why, d, "orderItemSeqId", "is not an id");
	if (cJSON_IsNumber(t) && t->valuedouble >= 0 && t->valuedouble <= MS_MAX)
		r->ms = (int64_t)t->valuedouble;
	else
		say_field(&why, d, "datetimeReceived", "is not a time (epoch ms)");
	if (rx_json_qty(d, "quantityAccepted", &r->acc) < 0)
		say_field(&why, d, "quantityAccepted", "is not a quantity "
		    "(a decimal >= 0 with at most 8 places)");
	r->bad = why.s;
}

/*
 * One receipt row.  A row HotWax got wrong (no id, order or item, a time
 * or quantity that is not one) is kept, marked bad: the rules hold back
 * its PO alone and keep the cursor before it, so one bad row neither
 * stops every other PO nor gets lost.
 */
static int
take_receipt(const cJSON *d, void *arg)
{
	struct rx_input *in = arg;
	struct rx_row r;
	char *q;
	enum rx_take took;

	rx_receipt_row(d, &r);
	took = rx_input_receipt(in, r.id, r.order, r.seq, r.acc, r.ms, r.bad);
	free(r.bad);
	if (took == RX_SPILL_FAILED)
		return EX_IOERR;
	if (took == RX_BEFORE_FLOOR) {
		q = verbose && r.id ? msg_quote(r.id, strlen(r.id)) : NULL;
		msg_info("receipt %s is dated before the state's floor "
		    "(--start-at): not exported", q ? q : "without an id");
		free(q);
	} else if (took == RX_TOO_MANY) {
		msg_info("more than %d new receipts: the rest waits for the "
		    "next run", RX_MAX_NEW);
		return HOTWAX_FIND_STOP;
	}
	return 0;
}

int
rx_fetch_receipts(struct hotwax *h, const struct config *cfg,
    const struct rx_state *st, struct rx_input *in)
{
	static const char *const f[] = { "receiptId", "orderId",
	    "orderItemSeqId", "quantityAccepted", "quantityRejected",
	    "datetimeReceived", NULL };
	int64_t from = rx_state_cursor(st) -
	    (int64_t)cfg->hotwax.receipt_overlap * 1000;
	cJSON *q = cJSON_CreateObject();
	int rc;

	if (from < rx_state_floor(st))
		from = rx_state_floor(st);	/* nothing before it is ever wanted */
	if (from < 0)
		from = 0;
	cJSON_AddNumberToObject(q, "datetimeReceived", (double)from);
	cJSON_AddStringToObject(q, "datetimeReceived_op", "greaterThanEqualTo");
	msg_info("asking for receipts since %" PRId64 " (epoch ms)", from);
	rc = hotwax_find(h, "ShipmentReceiptAndItem", q, f,
	    "datetimeReceived,receiptId", take_receipt, in);
	rx_input_receipts_done(in);
	return rc;
}

int
rx_take_order(const cJSON *d, void *arg)
{
	const char *id = rx_json_id(d, "orderId"), *ext = rx_json_id(d, "externalId"),
	    *type = rx_json_id(d, "orderTypeId");

	if (rx_input_order(arg, id, ext, type))
		msg_info("HotWax order %s is not a NetSuite purchase order "
		    "(orderTypeId %s, %s): its receipts are ignored", id,
		    type ? type : "none", ext ? "with an externalId" : "no externalId");
	return 0;
}

int
rx_take_item(const cJSON *d, void *arg)
{
	struct rx_item_rows *ir = arg;
	const char *o = rx_json_id(d, "orderId"), *seq = rx_json_id(d, "orderItemSeqId"),
	    *ext = rx_json_id(d, "externalId");
	dec_t qty;
	int q;

	if (!o || !seq)
		return 0;
	q = rx_json_qty(d, "quantity", &qty);
	if (rx_input_item(ir->in, o, seq, ext, q == 0, qty) && q < 0)
		msg_warn("%sperformFind: OrderItem %s/%s: malformed quantity",
		    ir->cfg->hotwax.base_url, o, seq);
	return 0;
}

int
rx_fetch_headers(struct hotwax *h, struct rx_input *in)
{
	const char **v;
	size_t n;
	int rc;

	v = rx_input_orders(in, 0, &n);
	rc = hotwax_find_in(h, "OrderHeader", "orderId", v, n, NULL,
	    rx_order_fields, "orderId", rx_take_order, in);
	free(v);
	return rc;
}

int
rx_fetch_items(struct hotwax *h, const struct config *cfg,
    struct rx_input *in)
{
	struct rx_item_rows ir = { cfg, in };
	const char **v;
	size_t n;
	int rc;

	v = rx_input_orders(in, 1, &n);
	rc = n ? hotwax_find_in(h, "OrderItem", "orderId", v, n, NULL,
	    rx_item_fields, "orderId,orderItemSeqId", rx_take_item, &ir) : 0;
	free(v);
	return rc;
}
