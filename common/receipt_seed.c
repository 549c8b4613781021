/*
 * receipt_seed -- see receipt_seed.h.  Each query asks for
 * HOTWAX_FIND_CHUNK ids at a time, page by page (hotwax_find_in).
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "hotwax.h"
#include "map.h"
#include "msg.h"
#include "receipt_fetch.h"
#include "receipt_seed.h"
#include "util.h"

struct sorder {			/* a value of seed.orders */
	char *po;		/* its NetSuite PO */
	int known;		/* the run's input has its items */
};

struct seed {
	const struct config *cfg;
	int64_t floor;
	struct rx_input *in;
	struct map *want;	/* NetSuite PO ids to seed */
	struct map *orders;	/* their HotWax orders -> struct sorder */
	struct map *held;	/* POs held back (said once) */
	struct map *seen;	/* receipt ids counted, for pages that shifted */
	struct rx_input *items;	/* items of the orders the input lacks */
};

static void
seed_order(struct seed *sd, const char *id, const char *po, int known)
{
	struct sorder *o;
	int isnew;

	o = map_put(sd->orders, id, &isnew);
	if (!isnew)
		return;
	o->po = xstrdup(po);
	o->known = known;
}

static void
wanted(const char *order, const char *po, void *arg)
{
	struct seed *sd = arg;

	map_put(sd->want, po, NULL);
	seed_order(sd, order, po, 1);
}

static int
take_seed_order(const cJSON *d, void *arg)
{
	struct seed *sd = arg;
	const char *id = rx_json_id(d, "orderId"), *ext = rx_json_id(d, "externalId"),
	    *type = rx_json_id(d, "orderTypeId");

	if (id && ext && type && strcmp(type, "PURCHASE_ORDER") == 0 &&
	    map_get(sd->want, ext))
		seed_order(sd, id, ext, 0);
	return 0;
}

/* A row before the floor that cannot be counted: its PO held back. */
static void
seed_hold(struct seed *sd, const char *id, const char *o, const char *po)
{
	int isnew;

	map_put(sd->held, po, &isnew);
	if (isnew)
		msg_warn("%sperformFind: receipt %s (HotWax order %s, "
		    "before the --start-at floor): no time, NetSuite line "
		    "id or quantity to count it by; PO %s held back until "
		    "HotWax's data is fixed", sd->cfg->hotwax.base_url,
		    id ? id : "(no receiptId)", o, po);
	rx_input_seed(sd->in, po, NULL, 0);
}

static int
take_seed(const cJSON *d, void *arg)
{
	struct seed *sd = arg;
	const char *o = rx_json_id(d, "orderId"), *seq = rx_json_id(d, "orderItemSeqId"),
	    *id = rx_json_id(d, "receiptId"), *line = NULL;
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(d, "datetimeReceived");
	const struct sorder *od = o ? map_get(sd->orders, o) : NULL;
	dec_t acc;
	int isnew;

	if (!od || !rx_input_has_po(sd->in, od->po))
		return 0;	/* not an order asked for */
	if (cJSON_IsNumber(t) && t->valuedouble >= (double)sd->floor)
		return 0;	/* not before the floor: the run's own */
	if (id) {
		map_put(sd->seen, id, &isnew);
		if (!isnew)
			return 0;	/* counted on an earlier page */
	}
	if (seq && !(line = rx_input_item_line(sd->items, o, seq)))
		line = rx_input_item_line(sd->in, o, seq);
	if (!cJSON_IsNumber(t) || !line ||
	    rx_json_qty(d, "quantityAccepted", &acc) < 0) {
		seed_hold(sd, id, o, od->po);
		return 0;
	}
	if (rx_input_seed(sd->in, od->po, line, acc) < 0) {
		map_put(sd->held, od->po, &isnew);
		if (isnew)
			msg_warn("PO %s line %s: the receipts dated before the "
			    "--start-at floor add up to 10000000000 or more, "
			    "more than any quantity can be; PO %s held back "
			    "until HotWax's data is fixed", od->po, line, od->po);
		return 0;
	}
	msg_info("PO %s line %s: receipt %s (HotWax order %s), dated before "
	    "the --start-at floor, counted as received in NetSuite", od->po,
	    line, id ? id : "(no receiptId)", o);
	return 0;
}

/* The keys of m, sorted; with unknown, only orders the input lacks. */
static const char **
seed_keys(const struct map *m, int unknown, size_t *n)
{
	const char **v = map_sorted(m, n);
	size_t i, k;

	for (i = k = 0; unknown && i < *n; i++)
		if (!((const struct sorder *)map_get(m, v[i]))->known)
			v[k++] = v[i];
	if (unknown)
		*n = k;
	return v;
}

/* A query of the seed: entity's docs whose key is one of a map's keys,
 * with these fields, in this order. */
struct seedq {
	const char *entity, *key;
	const char *const *fields;
	const char *order;
};

static const char *const receipt_fields[] = { "receiptId", "orderId",
    "orderItemSeqId", "quantityAccepted", "datetimeReceived", NULL };
static const struct seedq q_orders = { "OrderHeader", "externalId",
    rx_order_fields, "orderId" };
static const struct seedq q_items = { "OrderItem", "orderId",
    rx_item_fields, "orderId,orderItemSeqId" };
static const struct seedq q_receipts = { "ShipmentReceiptAndItem",
    "orderId", receipt_fields, "orderId,datetimeReceived,receiptId" };

/* q for the keys of m (seed_keys' unknown), each doc to fn; also, when
 * not NULL, more inputFields, deleted here.  hotwax_find_in's status. */
static int
seed_find(struct hotwax *h, const struct seedq *q, const struct map *m,
    int unknown, cJSON *also, hotwax_doc_fn *fn, void *arg)
{
	const char **v;
	size_t n;
	int rc;

	v = seed_keys(m, unknown, &n);
	rc = hotwax_find_in(h, q->entity, q->key, v, n, also, q->fields,
	    q->order, fn, arg);
	free(v);
	cJSON_Delete(also);
	return rc;
}

/* OrderHeader by externalId, then OrderItem of the new orders, then
 * their receipts before the floor. */
static int
seed_queries(struct hotwax *h, struct seed *sd)
{
	struct rx_item_rows ir = { sd->cfg, sd->items };
	cJSON *also = cJSON_CreateObject();
	int rc;

	cJSON_AddStringToObject(also, "orderTypeId", "PURCHASE_ORDER");
	cJSON_AddStringToObject(also, "orderTypeId_op", "equals");
	if ((rc = seed_find(h, &q_orders, sd->want, 0, also, take_seed_order,
	    sd)) != 0)
		return rc;
	if ((rc = seed_find(h, &q_items, sd->orders, 1, NULL, rx_take_item,
	    &ir)) != 0)
		return rc;
	also = cJSON_CreateObject();
	cJSON_AddNumberToObject(also, "datetimeReceived", (double)sd->floor);
	cJSON_AddStringToObject(also, "datetimeReceived_op", "lessThan");
	return seed_find(h, &q_receipts, sd->orders, 0, also, take_seed, sd);
}

int
rx_seed(struct hotwax *h, const struct config *cfg, const struct rx_state *st,
    struct rx_input *in)
{
	struct seed sd = { cfg, rx_state_floor(st), in, NULL, NULL, NULL,
	    NULL, NULL };
	struct sorder *o;
	size_t i = 0;
	int rc;

	if (sd.floor <= 0)
		return 0;
	sd.want = map_new(1);
	sd.orders = map_new(sizeof(struct sorder));
	sd.held = map_new(1);
	sd.seen = map_new(1);
	sd.items = rx_input_new(st, 0, 0, 0, NULL);
	rx_seed_wanted(in, wanted, &sd);
	rc = seed_queries(h, &sd);
	while ((o = map_next(sd.orders, &i, NULL)) != NULL)
		free(o->po);
	map_free(sd.want);
	map_free(sd.orders);
	map_free(sd.held);
	map_free(sd.seen);
	rx_input_free(sd.items);
	return rc;
}
