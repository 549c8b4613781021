/*
 * receipt-export -- HotWax receipts -> one NetSuite receipt file per run.
 *
 * Asks HotWax (performFind on ShipmentReceiptAndItem) for the receipts
 * received since its cursor minus [hotwax] receipt_overlap, keeps those not
 * in its ledger, and writes one JSON file into SPOOL/receipt/new listing,
 * for each NetSuite PO with new goods, exactly its lines still open in
 * NetSuite (contracts.md section 4; the rules are in common/receipts.c).
 * Prints the file's path.
 *
 * Promises:
 *   - every receipt ends up in exactly one file, whatever the overlap and
 *     wherever the program is killed: the file, the excess rows, the new
 *     state (ledger, per-line totals, cursor) and the POs to drop from the
 *     polines ledger are first written together into a journal
 *     (SPOOL/state/receipt-export.pending); then the file is committed
 *     under its deterministic name, the rest applied, and the journal
 *     removed.  A run that finds a journal rolls it forward first.
 *   - file names only grow: <prefix>_PurchaseOrderReceiptFeed_<UTC ms>.json,
 *     the time bumped past the last name's when the clock lags, because
 *     receipt-push publishes in name order.
 *   - a receipt whose line HotWax cannot name (no OrderItem externalId),
 *     or whose order HotWax cannot find, holds its PO back: nothing of it
 *     is exported and the query window keeps it in view (the cursor does
 *     not pass it, nor ever moves back), so it goes out on the first run
 *     after the data is fixed.  So does a receipt row HotWax got wrong
 *     (no id, order or item, a bad time or quantity): one bad row must
 *     not stop every other PO of an unattended job.
 *   - the first run, with no state, exports every receipt HotWax holds for
 *     a NetSuite PO; --start-at TIME instead writes a first state whose
 *     floor keeps every receipt dated before TIME out for good (the query
 *     starts there, and take_receipt drops what HotWax dates before it);
 *     what those receipts accepted counts as received in NetSuite
 *     (seed_floor), so a line they closed is not listed again and one
 *     they received in part gets at most what is left open.
 *   - the queue stays short: while the posync files in new/ are all ones
 *     receipt-push held back (NetSuite has not read the one before), the
 *     run's receipts are folded into them, under the publish lock taken
 *     without waiting; the fold is part of the journaled commit.
 *   - the cursor never passes this host's clock: a receipt HotWax dates
 *     ahead of it does not move the cursor, and is said once when it is
 *     more than receipt_overlap ahead (posync(7), CLOCKS).
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "csvio.h"
#include "decimal.h"
#include "hotwax.h"
#include "lock.h"
#include "msg.h"
#include "polines.h"
#include "prog.h"
#include "receipts.h"
#include "rfile.h"
#include "spool.h"
#include "util.h"

#define VIEW_SIZE	250
#define MAX_PAGES	4000		/* a million receipts in the window */
#define MAX_NEW		100000		/* new receipts per run; the rest next run */
#define IN_CHUNK	100		/* ids per "in" query */
#define MAX_STATE	(256L << 20)	/* the state and journal files */
#define MAX_EXCESS	(64L << 20)
#define MAX_FOLD	(64L << 20)	/* a folded file; NetSuite takes 100 MB */
#define HELD_FILE	"receipt-push.held"	/* written by receipt-push */
#define JOURNAL_MAGIC	"posync receipt-export journal 1"
/* The lock's name is fixed, not argv[0]'s: a copy run through a link
 * with another name must still find the running one. */
#define LOCK_NAME	"receipt-export"

struct run {
	const struct config *cfg;
	int dry;
	char *statedir, *state_path, *journal_path, *area, *excess_path;
	struct hotwax *hw;
	struct rx_state st;
	int pubfd;		/* the publish lock while folding, or -1 */
};

struct rcpt {
	char *id;		/* "" when HotWax gave none (then bad) */
	char *order, *seq;	/* NULL when HotWax gave none (then bad) */
	dec_t acc;
	int64_t ms;		/* -1 when HotWax gave none (then bad) */
	char *bad;		/* what is wrong with the row, or NULL */
	int held;		/* bad without an order: held by itself */
};

struct order {
	char *ext;		/* NetSuite PO id, when a NetSuite PO */
	int found, netsuite, held;
	int known;		/* seed_floor: compute() has its items */
};

struct item {
	char *order, *ext;	/* ext: NetSuite line id, or NULL */
	int hasqty;
	dec_t qty;
};

struct pox {
	struct rx_po po;
	int held;
};

/* ---------------------------------------------------------------- HotWax */

static const char *
jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

/* A quantity: a JSON number (or a decimal string); null or absent is
 * none.  0, 1 (absent), -1 (malformed: negative, not a number, too large
 * or more than 8 decimal places). */
static int
jdec(const cJSON *o, const char *k, dec_t *out)
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

typedef int doc_fn(const cJSON *doc, void *arg);

/* performFind for every page; inputs is consumed.  fn returning 1 stops
 * the walk early (not an error). */
static int
find_all(struct run *r, const char *entity, cJSON *inputs,
    const char *const *fields, const char *order_by, doc_fn *fn, void *arg)
{
	cJSON *body = cJSON_CreateObject(), *fl, *resp, *docs, *d, *idx;
	char *why;
	int page, rc = 0, n, count;

	cJSON_AddStringToObject(body, "entityName", entity);
	cJSON_AddItemToObject(body, "inputFields", inputs);
	fl = cJSON_AddArrayToObject(body, "fieldList");
	for (; *fields; fields++)
		cJSON_AddItemToArray(fl, cJSON_CreateString(*fields));
	cJSON_AddStringToObject(body, "orderBy", order_by);
	cJSON_AddNumberToObject(body, "viewSize", VIEW_SIZE);
	idx = cJSON_AddNumberToObject(body, "viewIndex", 0);
	cJSON_AddStringToObject(body, "noConditionFind", "Y");
	for (page = 0; rc == 0; page++) {
		if (page == MAX_PAGES) {
			msg_warn("%sperformFind: more than %d pages of %s; "
			    "the rest waits for the next run",
			    r->cfg->hotwax.base_url, MAX_PAGES, entity);
			break;
		}
		cJSON_SetNumberValue(idx, page);
		why = NULL;
		resp = NULL;
		rc = hotwax_post(r->hw, "performFind", body, &resp, &why);
		free(why);
		if (rc)
			break;
		docs = cJSON_GetObjectItemCaseSensitive(resp, "docs");
		if (!cJSON_IsArray(docs)) {
			msg_warn("%sperformFind: %s page %d: the answer has no "
			    "\"docs\" list", r->cfg->hotwax.base_url, entity, page);
			cJSON_Delete(resp);
			rc = EX_PROTOCOL;
			break;
		}
		d = cJSON_GetObjectItemCaseSensitive(resp, "count");
		count = cJSON_IsNumber(d) ? d->valueint : -1;
		n = 0;
		cJSON_ArrayForEach(d, docs) {
			n++;
			if (!cJSON_IsObject(d)) {
				msg_warn("%sperformFind: %s page %d: a doc that is "
				    "not an object", r->cfg->hotwax.base_url,
				    entity, page);
				rc = EX_PROTOCOL;
				break;
			}
			if ((rc = fn(d, arg)) != 0)
				break;
		}
		cJSON_Delete(resp);
		if (rc == 1) {
			rc = 0;
			break;
		}
		if (n < VIEW_SIZE || (count >= 0 && (page + 1) * VIEW_SIZE >= count))
			break;
	}
	cJSON_Delete(body);
	return rc;
}

struct rcpts {
	struct run *r;
	struct rcpt *v;
	size_t n, cap;
	struct rx_map seen;	/* ids this run, for pages that shifted */
	int64_t maxms;		/* the newest time not ahead of now */
	int64_t now;		/* this host's clock when the run began */
};

/*
 * One receipt row.  A row HotWax got wrong (no id, order or item, a time
 * or quantity that is not one) is kept, marked bad: compute() holds back
 * its PO alone and keeps the cursor before it, so one bad row neither
 * stops every other PO nor gets lost.
 */
static int
take_receipt(const cJSON *d, void *arg)
{
	struct rcpts *rs = arg;
	const char *id = jstr(d, "receiptId"), *o = jstr(d, "orderId"),
	    *seq = jstr(d, "orderItemSeqId");
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(d, "datetimeReceived");
	struct buf why = { 0 };
	struct rcpt *x;
	int64_t ms = -1;
	dec_t acc;
	int isnew;

	if (!id)
		say_field(&why, d, "receiptId", "is not an id");
	if (!o)
		say_field(&why, d, "orderId", "is not an id");
	if (!seq)
		say_field(&why, d, "orderItemSeqId", "is not an id");
	if (cJSON_IsNumber(t) && t->valuedouble >= 0 && t->valuedouble <= 9e15)
		ms = (int64_t)t->valuedouble;
	else
		say_field(&why, d, "datetimeReceived", "is not a time (epoch ms)");
	if (jdec(d, "quantityAccepted", &acc) < 0)
		say_field(&why, d, "quantityAccepted", "is not a quantity "
		    "(a decimal >= 0 with at most 8 places)");
	if (id && rx_map_get(&rs->r->st.ledger, id)) {
		/* exported already: what HotWax says of it now is moot */
		buf_free(&why);
		goto seen;
	}
	if (ms >= 0 && ms < rs->r->st.floor) {
		/* before --start-at's TIME: another exporter's, never ours */
		char *q = verbose && id ? msg_quote(id, strlen(id)) : NULL;

		msg_info("receipt %s is dated before the state's floor "
		    "(--start-at): not exported", q ? q : "without an id");
		free(q);
		buf_free(&why);
		goto seen;
	}
	if (id) {
		rx_map_put(&rs->seen, id, &isnew);
		if (!isnew) {
			buf_free(&why);
			goto seen;
		}
	}
	if (rs->n == MAX_NEW) {
		msg_info("more than %d new receipts: the rest waits for the "
		    "next run", MAX_NEW);
		buf_free(&why);
		return 1;
	}
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 256;
		rs->v = xrealloc(rs->v, rs->cap * sizeof *rs->v);
	}
	x = &rs->v[rs->n++];
	x->id = xstrdup(id ? id : "");
	x->order = o ? xstrdup(o) : NULL;
	x->seq = seq ? xstrdup(seq) : NULL;
	x->acc = acc;
	x->ms = ms;
	x->bad = why.s;		/* NULL when nothing was said */
	x->held = 0;
seen:
	/* the ledger-known receipts still move the cursor; one dated ahead
	 * of this host's clock does not (posync(7), CLOCKS): it would carry
	 * the window past every receipt dated before it */
	if (ms > rs->maxms && ms <= rs->now)
		rs->maxms = ms;
	return 0;
}

static int
fetch_receipts(struct run *r, struct rcpts *rs)
{
	static const char *const f[] = { "receiptId", "orderId",
	    "orderItemSeqId", "quantityAccepted", "quantityRejected",
	    "datetimeReceived", NULL };
	int64_t from = r->st.cursor - (int64_t)r->cfg->hotwax.receipt_overlap * 1000;
	cJSON *in = cJSON_CreateObject();

	if (from < r->st.floor)
		from = r->st.floor;	/* nothing before it is ever wanted */
	if (from < 0)
		from = 0;
	cJSON_AddNumberToObject(in, "datetimeReceived", (double)from);
	cJSON_AddStringToObject(in, "datetimeReceived_op", "greaterThanEqualTo");
	msg_info("asking for receipts since %" PRId64 " (epoch ms)", from);
	return find_all(r, "ShipmentReceiptAndItem", in, f,
	    "datetimeReceived,receiptId", take_receipt, rs);
}

/* performFind over ids (keys of m whose value passes) in field key,
 * IN_CHUNK at a time; also, when not NULL, holds more inputFields for
 * every query */
static int
find_in(struct run *r, const char *entity, const char *key,
    const struct rx_map *m, int (*pass)(const struct rx_ent *), const cJSON *also,
    const char *const *fields, const char *order_by, doc_fn *fn, void *arg)
{
	struct rx_ent **v;
	size_t n, i, k;
	cJSON *in, *list, *c;
	char op[64];
	int rc = 0;

	snprintf(op, sizeof op, "%s_op", key);
	v = rx_map_sorted(m, &n);
	for (i = 0; i < n && rc == 0; i = k) {
		in = cJSON_CreateObject();
		list = cJSON_AddArrayToObject(in, key);
		for (k = i; k < n && k - i < IN_CHUNK; k++)
			if (!pass || pass(v[k]))
				cJSON_AddItemToArray(list, cJSON_CreateString(v[k]->key));
		cJSON_AddStringToObject(in, op, "in");
		for (c = also ? also->child : NULL; c; c = c->next)
			cJSON_AddItemToObject(in, c->string, cJSON_Duplicate(c, 1));
		if (cJSON_GetArraySize(list) == 0) {
			cJSON_Delete(in);
			continue;
		}
		rc = find_all(r, entity, in, fields, order_by, fn, arg);
	}
	free(v);
	return rc;
}

static const char *const order_fields[] = { "orderId", "externalId",
    "orderTypeId", NULL };
static const char *const item_fields[] = { "orderId", "orderItemSeqId",
    "externalId", "quantity", NULL };

static int
take_order(const cJSON *d, void *arg)
{
	struct rx_map *orders = arg;
	const char *id = jstr(d, "orderId"), *ext = jstr(d, "externalId"),
	    *type = jstr(d, "orderTypeId");
	struct rx_ent *e = id ? rx_map_get(orders, id) : NULL;
	struct order *o;

	if (!e)
		return 0;
	o = e->val;
	o->found = 1;
	o->netsuite = type && strcmp(type, "PURCHASE_ORDER") == 0 && ext;
	if (o->netsuite && !o->ext)
		o->ext = xstrdup(ext);
	if (!o->netsuite)
		msg_info("HotWax order %s is not a NetSuite purchase order "
		    "(orderTypeId %s, %s): its receipts are ignored", id,
		    type ? type : "none", ext ? "with an externalId" : "no externalId");
	return 0;
}

static int
is_netsuite(const struct rx_ent *e)
{
	return ((struct order *)e->val)->netsuite;
}

struct items {
	struct run *r;
	struct rx_map map;	/* esc(order) TAB esc(seq) -> struct item */
};

static char *
item_key(const char *order, const char *seq)
{
	struct buf b = { 0 };

	rx_esc(&b, order);
	buf_addc(&b, '\t');
	rx_esc(&b, seq);
	return b.s;
}

static int
take_item(const cJSON *d, void *arg)
{
	struct items *is = arg;
	const char *o = jstr(d, "orderId"), *seq = jstr(d, "orderItemSeqId"),
	    *ext = jstr(d, "externalId");
	struct item *it;
	struct rx_ent *e;
	char *key;
	int isnew, q;

	if (!o || !seq)
		return 0;
	key = item_key(o, seq);
	e = rx_map_put(&is->map, key, &isnew);
	free(key);
	if (!isnew)
		return 0;
	e->val = it = xcalloc(1, sizeof *it);
	it->order = xstrdup(o);
	it->ext = ext ? xstrdup(ext) : NULL;
	q = jdec(d, "quantity", &it->qty);
	it->hasqty = q == 0;
	if (q < 0)
		msg_warn("%sperformFind: OrderItem %s/%s: malformed quantity",
		    is->r->cfg->hotwax.base_url, o, seq);
	return 0;
}

/* ---------------------------------------------------------------- journal */

/*
 * TEST HOOK, for tests/3004-receipt-crash.t only: when the environment
 * variable POSYNC_TEST_CRASH names a step of the commit ("journal",
 * "unfold" -- after the first folded file left new/ --, "file", "state",
 * "compact"), die by SIGKILL right after it, exactly as
 * a kill -9 landing there would.  Random kills seldom land between two
 * particular renames; this reaches each one every time.  Harmless: every
 * point of the commit is crash-safe by design (the next run rolls the
 * journal forward), and the variable is documented as a test hook in
 * receipt-export(1).  Unset, it costs one getenv per step.
 */
static void
crash_point(const char *step)
{
	const char *s = getenv("POSYNC_TEST_CRASH");

	if (s && strcmp(s, step) == 0)
		raise(SIGKILL);
}

struct journal;
static void free_map(struct rx_map *m, void (*fr)(void *));
static int unfold(struct run *r, const struct journal *j);

struct journal {
	char *name;		/* "" when there is no file */
	struct buf file, excess, state, drop;
	struct buf fold;	/* names folded into file, one a line */
};

static void
journal_free(struct journal *j)
{
	free(j->name);
	buf_free(&j->file);
	buf_free(&j->excess);
	buf_free(&j->state);
	buf_free(&j->drop);
	buf_free(&j->fold);
}

static void
journal_format(const struct journal *j, struct buf *out)
{
	const struct buf *parts[] = { &j->file, &j->excess, &j->state, &j->drop };
	static const char *const names[] = { "file", "excess", "state", "drop" };
	size_t i;

	buf_addf(out, "%s\nname\t%s\n", JOURNAL_MAGIC, j->name);
	for (i = 0; i < 4; i++) {
		buf_addf(out, "%s\t%zu\n", names[i], parts[i]->len);
		if (parts[i]->len)
			buf_add(out, parts[i]->s, parts[i]->len);
	}
	/* only when folding: a journal without it reads as before */
	if (j->fold.len) {
		buf_addf(out, "fold\t%zu\n", j->fold.len);
		buf_add(out, j->fold.s, j->fold.len);
	}
	buf_adds(out, "end\n");
}

/* The optional "fold" part: names of plain receipt files, one a line. */
static int
journal_fold_parse(struct journal *j, const char **pp, const char *end)
{
	const char *p = *pp + 5, *nl, *q;
	size_t n;
	char *e;

	if (!(nl = memchr(p, '\n', end - p)))
		return -1;
	errno = 0;
	n = strtoul(p, &e, 10);
	if (e != nl || e == p || errno || n > (size_t)(end - nl - 1) ||
	    n == 0 || nl[n] != '\n')
		return -1;
	for (q = nl + 1; q < nl + 1 + n; q++)
		if (*q == '/' || *q == 0 || (*q == '.' && (q == nl + 1 || q[-1] == '\n')))
			return -1;
	buf_add(&j->fold, nl + 1, n);
	*pp = nl + 1 + n;
	return 0;
}

static int
journal_parse(struct journal *j, const char *d, size_t len, const char *path)
{
	struct buf *parts[] = { &j->file, &j->excess, &j->state, &j->drop };
	static const char *const names[] = { "file", "excess", "state", "drop" };
	const char *p = d, *end = d + len, *nl;
	size_t i, n, k;
	char *e;

	memset(j, 0, sizeof *j);
	k = strlen(JOURNAL_MAGIC);
	if (len < k + 1 || memcmp(p, JOURNAL_MAGIC "\n", k + 1) != 0)
		goto bad;
	p += k + 1;
	if (!(nl = memchr(p, '\n', end - p)) || strncmp(p, "name\t", 5) != 0)
		goto bad;
	if (memchr(p + 5, 0, nl - p - 5)) {
		/* xstrndup would stop there: a cut name, silently */
		msg_warn("%s:2: the file name holds a NUL byte; nothing "
		    "exported, the journal is left as it is: check it by hand "
		    "(receipt-export(1), CAVEATS)", path);
		journal_free(j);
		return EX_CONFIG;
	}
	j->name = xstrndup(p + 5, nl - p - 5);
	if (strchr(j->name, '/') || j->name[0] == '.')
		goto bad;
	p = nl + 1;
	for (i = 0; i < 4; i++) {
		k = strlen(names[i]);
		if (!(nl = memchr(p, '\n', end - p)) || (size_t)(nl - p) <= k + 1 ||
		    strncmp(p, names[i], k) != 0 || p[k] != '\t')
			goto bad;
		errno = 0;
		n = strtoul(p + k + 1, &e, 10);
		if (e != nl || errno || n > (size_t)(end - nl - 1))
			goto bad;
		buf_add(parts[i], nl + 1, n);
		p = nl + 1 + n;
	}
	if ((size_t)(end - p) > 5 && memcmp(p, "fold\t", 5) == 0 &&
	    journal_fold_parse(j, &p, end) != 0)
		goto bad;
	if ((size_t)(end - p) != 4 || memcmp(p, "end\n", 4) != 0)
		goto bad;
	return 0;
bad:
	/* EX_CONFIG: going on without it would export everything again */
	for (k = 1, e = (char *)d; e < p && (e = memchr(e, '\n', p - e)); e++)
		k++;
	msg_warn("%s:%zu: malformed journal (not written by this version?); "
	    "nothing exported, the journal is left as it is: check it by hand "
	    "(receipt-export(1), CAVEATS)", path, k);
	journal_free(j);
	return EX_CONFIG;
}

/*
 * excess.csv: order_id,line_id,quantity,receipt_ids, one row per excess
 * for a person to settle in NetSuite.  Written and read with libcsv
 * (csvio.c): a hostile id cannot forge a row.  Up to 0.1.0 receipt_ids
 * went out unquoted, so an old row may have more fields than the header:
 * the extra ones are that column, cut at its commas, and are joined back.
 */
#define EXCESS_COLS	4

struct excess_seen {
	struct rx_map keys;	/* each row as its 4 columns encoded again */
	struct buf norm;	/* the old file's rows, encoded again */
	int torn;		/* its last row had no line end (a crash) */
};

/* A row's key: its 4 columns written by csvio.  malloc'd. */
static char *
excess_key(const struct csvio_row *row)
{
	const char *f[EXCESS_COLS] = { "", "", "", "" };
	size_t len[EXCESS_COLS] = { 0 }, i;
	struct buf ids = { 0 }, key = { 0 };

	for (i = 0; i < row->n && i < EXCESS_COLS - 1; i++) {
		f[i] = row->f[i];
		len[i] = row->len[i];
	}
	for (i = EXCESS_COLS - 1; i < row->n; i++) {
		if (i > EXCESS_COLS - 1)
			buf_addc(&ids, ',');
		buf_add(&ids, row->f[i], row->len[i]);
	}
	f[EXCESS_COLS - 1] = ids.s ? ids.s : "";
	len[EXCESS_COLS - 1] = ids.len;
	csvio_add_row(&key, f, len, EXCESS_COLS);
	buf_free(&ids);
	return key.s;
}

static int
excess_old_row(const struct csvio_row *row, void *arg)
{
	struct excess_seen *x = arg;
	char *key = excess_key(row);

	rx_map_put(&x->keys, key, NULL);
	free(key);
	csvio_add_row(&x->norm, row->f, row->len, row->n);
	x->torn = row->unterminated;
	return 0;
}

struct excess_add {
	struct excess_seen *seen;
	struct buf *out;
	int *said;
};

static int
excess_new_row(const struct csvio_row *row, void *arg)
{
	struct excess_add *a = arg;
	char *key = excess_key(row);
	int isnew = 0;

	rx_map_put(&a->seen->keys, key, &isnew);
	if (isnew) {
		buf_adds(a->out, key);
		(*a->said)++;
	}
	free(key);
	return 0;
}

/* Add the rows of rows (CSV) not already in excess.csv (a rerun after a
 * crash finds them there).  The file is replaced whole, atomically: no
 * torn row from now on, and one an older version left behind is closed
 * by writing the rows again.  0, or EX_IOERR. */
static int
excess_write(struct run *r, const struct buf *rows, int *said)
{
	static const char *const head[EXCESS_COLS] =
	    { "order_id", "line_id", "quantity", "receipt_ids" };
	static const size_t headlen[EXCESS_COLS] = { 8, 7, 8, 11 };
	struct excess_seen x = { { 0 }, { 0 }, 0 };
	struct buf out = { 0 };
	struct excess_add a = { &x, &out, said };
	char *old = NULL;
	size_t oldlen = 0, i;
	int rc = 0;

	if (!rows->len)
		return 0;
	if (read_file(r->excess_path, MAX_EXCESS, &old, &oldlen) < 0) {
		if (errno != ENOENT) {
			msg_warnerr("%s", r->excess_path);
			return EX_IOERR;
		}
		old = NULL;
		oldlen = 0;
	}
	if ((rc = csvio_parse(old ? old : "", oldlen, excess_old_row, &x)) != 0)
		goto out;
	if (!oldlen)
		csvio_add_row(&out, head, headlen, EXCESS_COLS);
	else if (x.torn)
		buf_add(&out, x.norm.s, x.norm.len);
	else
		buf_add(&out, old, oldlen);
	i = out.len;
	if ((rc = csvio_parse(rows->s, rows->len, excess_new_row, &a)) != 0)
		goto out;
	if (out.len > i && (rc = spool_write_atomic(r->excess_path, out.s, out.len)))
		msg_warn("%s: cannot record excess receipts", r->excess_path);
out:
	for (i = 0; i < x.keys.cap; i++)
		free(x.keys.v[i].key);
	free(x.keys.v);
	buf_free(&x.norm);
	buf_free(&out);
	free(old);
	return rc;
}

static int
want_po(const char *po, void *arg)
{
	return rx_map_get(arg, po) != NULL;
}

struct recheck {
	struct rx_map *drop;
	const struct rx_state *st;
};

static int
recheck_keep(const char *po, void *arg)
{
	/* keep all but these (a PO recheck_rec finds open is dead) */
	return rx_map_get(((struct recheck *)arg)->drop, po) == NULL;
}

static int
recheck_rec(const struct poline *rec, void *arg)
{
	struct recheck *rc = arg;
	struct rx_ent *d = rx_map_get(rc->drop, rec->po);
	struct rx_ent *e = rx_map_get(&rc->st->pos, rec->po);
	struct rx_stpo *sp = e ? e->val : NULL;
	size_t i;

	if (!d)
		return 0;
	for (i = 0; sp && i < sp->n; i++)
		if (strcmp(sp->lines[i].line, rec->line) == 0)
			break;
	if (sp && i < sp->n && sp->lines[i].ord == RX_KNOWN && rec->has_qty &&
	    rec->qty <= sp->lines[i].received)
		return 0;
	msg_info("PO %s line %s: in the polines ledger and still open (the PO "
	    "was amended since it was completed); the PO is kept", rec->po,
	    rec->line);
	d->dead = 1;		/* not dropped after all */
	return 0;
}

/*
 * The POs to drop were complete when the run looked at the polines
 * ledger; po-export-parse may have added lines to one since (NetSuite
 * amended the PO), above all when a crash left the compaction to a rerun
 * much later.  Compacting those away would leave the new lines out of
 * every later element, and NetSuite receives unlisted open lines in
 * full.  So the compaction looks again, under its lock (an append
 * waits for it): a PO with a line the state does not hold as fully
 * received stays in the ledger, and open in the state (*reopened set).
 */
static int
recheck_drop(struct run *r, struct rx_map *drop, struct rx_state *st,
    int *reopened)
{
	struct recheck rc = { drop, st };
	struct rx_ent *e;
	size_t i;
	int s;

	if ((s = polines_compact_checked(r->cfg->spool.dir, recheck_keep,
	    recheck_rec, &rc, time(NULL), r->cfg->spool.polines_keep_days)) != 0)
		return s;
	for (i = 0; i < drop->cap; i++) {
		if (!drop->v[i].key || !drop->v[i].dead)
			continue;
		if ((e = rx_map_get(&st->pos, drop->v[i].key)) && e->val)
			((struct rx_stpo *)e->val)->closed = 0;
		*reopened = 1;
	}
	return 0;
}

/* Finish what the journal says, idempotently.  cur_last: the time of the
 * last file in the state on disk (the state may be applied already). */
static int
roll_forward(struct run *r, struct journal *j, int *excess_said)
{
	static const char *const subs[] = { "new", "cur", "failed", NULL };
	struct rx_state js, cur;
	struct rx_map drop = { 0 };
	struct buf sb = { 0 };
	char *data = NULL, *line, *nl, *path;
	size_t len, i;
	int rc = 0, applied = 0, reopened = 0;

	rx_state_init(&js);
	rx_state_init(&cur);
	if ((rc = rx_state_parse(&js, j->state.s ? j->state.s : "",
	    j->state.len, r->journal_path)) != 0) {
		rx_state_free(&js);
		return rc;
	}
	/* a state that cannot be read or parsed stops it here, before
	 * anything moves: "applied" cannot be told, and both files are
	 * left as they are for a person */
	if (read_file(r->state_path, MAX_STATE, &data, &len) < 0) {
		if (errno != ENOENT) {
			msg_warnerr("%s", r->state_path);
			rc = EX_IOERR;
		}
	} else if ((rc = rx_state_parse(&cur, data, len, r->state_path)) == 0 &&
	    cur.last >= js.last && js.last > 0)
		applied = 1;	/* the file went into new/ before: never twice */
	free(data);
	rx_state_free(&cur);
	if (rc)
		goto out;
	if (j->fold.len && (rc = unfold(r, j)) != 0)
		goto out;
	if (*j->name && !applied && !spool_has(r->area, subs, j->name)) {
		if ((rc = spool_deliver(r->area, "new", j->name, j->file.s,
		    j->file.len)) != 0)
			goto out;
		crash_point("file");
	}
	if ((rc = excess_write(r, &j->excess, excess_said)) != 0)
		goto out;
	if (j->drop.len) {
		char *copy = xstrndup(j->drop.s, j->drop.len);

		for (line = copy; *line && (nl = strchr(line, '\n')); line = nl + 1) {
			*nl = 0;
			rx_map_put(&drop, line, NULL);
		}
		free(copy);
	}
	if ((rc = spool_write_atomic(r->state_path, j->state.s, j->state.len)) != 0)
		goto out;
	crash_point("state");
	if (j->drop.len) {
		/* a PO amended since is kept, and opened again in the state:
		 * a crash before that leaves the journal, and its rerun finds
		 * the PO kept again */
		if ((rc = recheck_drop(r, &drop, &js, &reopened)) != 0)
			goto out;
		if (reopened) {
			rx_state_format(&js, &sb);
			if ((rc = spool_write_atomic(r->state_path, sb.s, sb.len)) != 0)
				goto out;
		}
		crash_point("compact");
	}
	if (unlink(r->journal_path) < 0 || fsync_dir(r->statedir) < 0) {
		msg_warnerr("%s", r->journal_path);
		rc = EX_IOERR;
		goto out;
	}
	lock_drop(&r->pubfd);	/* the fold is done: receipt-push may choose */
	if (*j->name) {
		path = xasprintf("%s/new/%s", r->area, j->name);
		if (access(path, F_OK) == 0) {
			printf("%s\n", path);
			fflush(stdout);
		}
		free(path);
	}
out:
	for (i = 0; i < drop.cap; i++)
		free(drop.v[i].key);
	free(drop.v);
	rx_state_free(&js);
	buf_free(&sb);
	return rc;
}


/* ---------------------------------------------------------------- fold */

/*
 * The queue stays short (contracts.md section 4; posync(7), THE RECEIPT
 * QUEUE): while receipt files wait in new/ because NetSuite has not read
 * the one before, this run's receipts are folded into them -- one file,
 * per PO the union of the listed lines, quantities summed -- instead of
 * queueing one more file.  The sums stay within what is open: each file
 * was computed on top of every earlier one (the state counts them all).
 */

/* Add one receipt file (as this program writes them) to pos: PO id ->
 * struct rx_po, each line's send summed.  -1 when it is not such a file
 * or a sum would not be exact. */
static int
fold_add(struct rx_map *pos, const char *data, size_t len)
{
	cJSON *a = cJSON_ParseWithLength(data, len), *el, *it;
	const char *po, *line;
	struct rx_ent *e;
	struct rx_line *l;
	int rc = cJSON_IsArray(a) ? 0 : -1, isnew;
	dec_t q;

	if (rc)
		goto out;
	cJSON_ArrayForEach(el, a) {
		const cJSON *items = cJSON_GetObjectItemCaseSensitive(el, "items");

		if (!(po = jstr(el, "order_id")) || !cJSON_IsArray(items)) {
			rc = -1;
			break;
		}
		e = rx_map_put(pos, po, &isnew);
		if (isnew) {
			e->val = xcalloc(1, sizeof(struct rx_po));
			rx_po_init(e->val, po);
		}
		cJSON_ArrayForEach(it, items) {
			if (!(line = jstr(it, "line_id")) ||
			    jdec(it, "quantity", &q) != 0) {
				rc = -1;
				break;
			}
			l = rx_po_line(e->val, line);
			if (q > INT64_MAX - l->send) {
				rc = -1;
				break;
			}
			l->send += q;
			l->listed = 1;
		}
		if (rc)
			break;
	}
out:
	cJSON_Delete(a);
	return rc;
}

static void
free_po(void *p)
{
	rx_po_free(p);
	free(p);
}

/* pos as a receipt file, in PO order, as compute() writes one. */
static void
fold_render(const struct rx_map *pos, struct buf *out)
{
	struct rx_ent **v;
	size_t i, n;

	v = rx_map_sorted(pos, &n);
	buf_adds(out, "[");
	for (i = 0; i < n; i++) {
		if (i)
			buf_adds(out, ",\n");
		rx_element(v[i]->val, out);
	}
	buf_adds(out, "]\n");
	free(v);
}

/* The names receipt-push holds (it writes them, under the publish lock,
 * only for files it chose not to publish yet). */
static char *
held_names(struct run *r)
{
	char *path = path_join(r->statedir, HELD_FILE), *data = NULL;
	size_t len;

	if (read_file(path, MAX_STATE, &data, &len) < 0 || memchr(data, 0, len)) {
		free(data);
		data = NULL;
	}
	free(path);
	return data;
}

static int
is_held(const char *held, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = held; (p = strstr(p, name)); p++)
		if ((p == held || p[-1] == '\n') && p[n] == '\n')
			return 1;
	return 0;
}

/* Fold the waiting files (v, n names) and j->file into out; 0, or -1
 * (said) when one cannot be folded. */
static int
fold_files(struct run *r, char **v, size_t n, const struct journal *j,
    struct buf *out)
{
	struct rx_map pos = { 0 };
	char *path, *data;
	size_t i, len;
	int rc = 0;

	for (i = 0; i < n && !rc; i++) {
		path = xasprintf("%s/new/%s", r->area, v[i]);
		if (read_file(path, MAX_FOLD, &data, &len) < 0) {
			msg_warnerr("%s", path);
			rc = -1;
		} else if (fold_add(&pos, data, len) != 0) {
			msg_info("%s: not a receipt file as receipt-export "
			    "writes them: not folded", path);
			rc = -1;
		}
		free(data);
		free(path);
	}
	if (!rc && j->file.len && fold_add(&pos, j->file.s, j->file.len) != 0)
		rc = -1;
	if (!rc)
		fold_render(&pos, out);
	if (!rc && out->len > (size_t)MAX_FOLD) {
		msg_info("a folded file would pass %ld bytes: a new file", MAX_FOLD);
		rc = -1;
	}
	free_map(&pos, free_po);
	return rc;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Was NAME published (cur/) or refused (failed/) before?  A person put
 * it back into new/ (a restore, a "resend"): it is on NetSuite's side
 * already, or was refused there, and is never folded into a new name. */
static int
seen_before(struct run *r, const char *name)
{
	static const char *dirs[] = { "cur", "failed" };
	struct stat st;
	char *p;
	size_t i;
	int seen = 0;

	for (i = 0; i < 2 && !seen; i++) {
		p = xasprintf("%s/%s/%s", r->area, dirs[i], name);
		seen = lstat(p, &st) == 0 || errno != ENOENT;
		free(p);
	}
	return seen;
}

/* The latest entry (rfile.h) of a file in new/ that is not posync's. */
static int64_t
others_last(struct run *r, char **v, size_t n, const char *pattern)
{
	char *newdir = path_join(r->area, "new"), *path;
	int64_t last = INT64_MIN, t;
	size_t i;

	for (i = 0; i < n; i++) {
		if (fnmatch(pattern, v[i], 0) == 0 && rfile_name_ms(v[i]) >= 0)
			continue;
		path = path_join(newdir, v[i]);
		if ((t = rfile_entered(newdir, v[i], path, 0)) > last)
			last = t;
		free(path);
	}
	free(newdir);
	return last;
}

/*
 * Which waiting files may be folded (posync(7), THE RECEIPT QUEUE).
 * A fold makes a new, later file, so it must never take a file that is on
 * NetSuite's server already, nor one that must go out before a file that
 * stays.  receipt-push publishes posync files in name order, at most one
 * a run, and moves each to cur/ before it takes the next; a person's
 * files interleave but never reorder them.  So:
 *  - the oldest posync file in new/ (a copy of one in cur/ or failed/
 *    aside) may be out already (a kill between its rename there and its
 *    move to cur/): folded only when receipt-push held it, which it does
 *    only after finding it on neither of NetSuite's folders, whatever
 *    other files wait (a person's file copied in with an old mtime sorts
 *    before it, and proves nothing);
 *  - a file named also in cur/ or failed/ went out (or was refused)
 *    before: never folded;
 *  - a posync file that entered before a person's file goes out before
 *    it: not folded into a file that would go after it.
 * Sets *pv (free it, not its names).
 */
static size_t
foldable(struct run *r, char **v, size_t n, char ***pv)
{
	char *pattern, *held;
	int64_t last;	/* the latest other file's entry */
	size_t i, npv = 0, k;
	int first = 1;

	pattern = xasprintf("%s_PurchaseOrderReceiptFeed_*.json",
	    r->cfg->netsuite.receipt_prefix);
	last = others_last(r, v, n, pattern);
	*pv = xcalloc(n + 1, sizeof **pv);
	for (i = 0; i < n; i++)
		if (fnmatch(pattern, v[i], 0) == 0 && rfile_name_ms(v[i]) >= 0)
			(*pv)[npv++] = v[i];
	free(pattern);
	if (npv > 1)
		qsort(*pv, npv, sizeof **pv, cmp_name);
	held = held_names(r);
	for (i = k = 0; i < npv; i++) {
		if (seen_before(r, (*pv)[i]))
			continue;
		if (first) {
			first = 0;
			if (!(held && is_held(held, (*pv)[i])))
				continue;
		}
		if (rfile_name_ms((*pv)[i]) > last)
			(*pv)[k++] = (*pv)[i];
	}
	free(held);
	(*pv)[k] = NULL;
	return k;
}

/* -n: would the publish lock be busy?  Opened read-only, never created
 * (-n makes nothing); a lock file that is not there is free. */
static int
publish_busy(struct run *r)
{
	char *path = xasprintf("%s/state/%s.lock", r->cfg->spool.dir,
	    LOCK_PUBLISH);
	int fd, busy = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) >= 0) {
		if (flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK)
			busy = 1;
		close(fd);	/* and with it the lock, if it was had */
	}
	free(path);
	return busy;
}

/*
 * Before the commit of a run that writes a file j->name: fold into it the
 * waiting files that may be folded (foldable), when there are at least
 * min of them and they can all be folded.  Only under the publish lock,
 * taken without waiting (receipt-push holds it from choosing a file until
 * the file is in cur/, so a file it is publishing is never folded).
 * Otherwise a new file, as ever; a later run folds it.  The lock stays
 * held through the commit (r->pubfd).  With -n: no lock, and it says
 * what it would fold.
 */
static void
fold_prepare(struct run *r, struct journal *j, size_t min)
{
	char **v = NULL, **pv = NULL, *newdir = path_join(r->area, "new");
	struct buf out = { 0 };
	size_t n = 0, npv, i;
	int rc = 0;

	if (!r->dry)
		rc = lock_try(r->cfg->spool.dir, LOCK_PUBLISH, 0, &r->pubfd);
	else if (publish_busy(r))
		rc = EX_TEMPFAIL;
	if (rc) {
		if (rc == EX_TEMPFAIL)
			msg_info("receipt-push is publishing: a new file, to be "
			    "folded by a later run");
		goto out;
	}
	if (access(newdir, F_OK) < 0 || spool_list(newdir, ".json", &v, &n) ||
	    n == 0)
		goto out;
	npv = foldable(r, v, n, &pv);
	if (npv < min || fold_files(r, pv, npv, j, &out) != 0)
		goto out;
	for (i = 0; i < npv; i++) {
		buf_adds(&j->fold, pv[i]);
		buf_addc(&j->fold, '\n');
		if (r->dry)
			msg_warn("would fold %s/%s into %s/%s", newdir, pv[i],
			    newdir, j->name);
		else
			msg_info("%s: folded into %s", pv[i], j->name);
	}
	buf_free(&j->file);
	j->file = out;
	out.s = NULL;
out:
	if (!j->fold.len)
		lock_drop(&r->pubfd);
	buf_free(&out);
	if (v)
		spool_list_free(v);
	free(pv);
	free(newdir);
}

/*
 * A run with nothing new to write still folds a backlog (contracts.md
 * section 4: at most one posync file waits): two or more foldable files
 * become one new file, named and recorded in the state as any file this
 * program writes.  1 when j now holds such a fold, else 0 and j as it was.
 */
static int
fold_only(struct run *r, struct journal *j)
{
	int64_t last = r->st.last, now = now_ms();
	char name[256], *old = j->name;

	r->st.last = now > last ? now : last + 1;
	if (rx_file_name(name, sizeof name, r->cfg->netsuite.receipt_prefix,
	    r->st.last) < 0) {
		r->st.last = last;
		return 0;
	}
	j->name = xstrdup(name);
	fold_prepare(r, j, 2);
	if (!j->fold.len) {
		free(j->name);
		j->name = old;
		r->st.last = last;
		return 0;
	}
	free(old);
	buf_reset(&j->state);
	rx_state_format(&r->st, &j->state);
	return 1;
}

/* The folded files leave new/ before the folded one arrives: were both
 * there after a crash, receipt-push could publish an old one and then the
 * new one holding it too.  Idempotent: a rerun finds them gone. */
static int
unfold(struct run *r, const struct journal *j)
{
	char *copy = xstrndup(j->fold.s, j->fold.len), *line, *nl, *path;
	char *newdir = path_join(r->area, "new");
	int rc = 0, gone = 0;

	for (line = copy; *line && (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = 0;
		path = path_join(newdir, line);
		if (unlink(path) == 0)
			gone++;
		else if (errno != ENOENT) {
			msg_warnerr("%s", path);
			rc = EX_IOERR;
		}
		free(path);
		if (gone == 1)
			crash_point("unfold");
	}
	if (!rc && gone && fsync_dir(newdir) < 0) {
		msg_warnerr("%s", newdir);
		rc = EX_IOERR;
	}
	free(newdir);
	free(copy);
	return rc;
}

/* ---------------------------------------------------------------- export */

/* Add an excess row to rows (CSV, by csvio) and say it on stderr, every
 * id quoted: they come from HotWax. */
static void
excess_row(struct buf *rows, const char *po, const struct rx_line *l)
{
	const char *ids = l->rids.s ? l->rids.s : "";
	char q[DEC_BUFSZ];
	const char *f[EXCESS_COLS] = { po, l->id, dec_format(l->excess, q), ids };
	size_t len[EXCESS_COLS], i;
	char *qpo, *qline, *qids;

	for (i = 0; i < EXCESS_COLS; i++)
		len[i] = strlen(f[i]);
	csvio_add_row(rows, f, len, EXCESS_COLS);
	qpo = msg_quote(po, len[0]);
	qline = msg_quote(l->id, len[1]);
	qids = msg_quote(ids, len[3]);
	msg_warn("PO %s line %s: %s accepted in HotWax beyond what is open in "
	    "NetSuite%s (receipts %s); not sent, recorded in excess.csv",
	    qpo, qline, q, l->ord == RX_UNKNOWN ?
	    " (ordered quantity unknown: its CSV row was rejected)" : "", qids);
	free(qpo);
	free(qline);
	free(qids);
}

static int
add_csv(const struct poline *rec, void *arg)
{
	struct rx_ent *e = rx_map_get(arg, rec->po);
	struct rx_line *l;

	if (!e)
		return 0;
	l = rx_po_line(&((struct pox *)e->val)->po, rec->line);
	l->csv = rec->has_qty ? RX_KNOWN : RX_UNKNOWN;
	l->csv_qty = rec->has_qty ? rec->qty : 0;
	return 0;
}

static void
free_map(struct rx_map *m, void (*fr)(void *))
{
	size_t i;

	for (i = 0; i < m->cap; i++) {
		free(m->v[i].key);
		if (m->v[i].val)
			fr(m->v[i].val);
	}
	free(m->v);
}

static void
free_order(void *p)
{
	free(((struct order *)p)->ext);
	free(p);
}

static void
free_item(void *p)
{
	free(((struct item *)p)->order);
	free(((struct item *)p)->ext);
	free(p);
}

static void
free_pox(void *p)
{
	rx_po_free(&((struct pox *)p)->po);
	free(p);
}

/*
 * --start-at's floor.  Receipts HotWax dates before it went to NetSuite
 * through the exporter posync took over from: never exported, but
 * received there all the same.  So a PO the state has no record of (first
 * seen since the floor, or forgotten keep_days after it was complete)
 * first gets them added to its lines' received totals, which cap what is
 * sent and decide which lines are open (contracts.md section 4).  One
 * NetSuite PO may be held by several HotWax orders, and this run's
 * receipts need not touch them all: so every HotWax order of such a PO is
 * asked for (OrderHeader by externalId), with the NetSuite line ids of
 * its items (OrderItem, for the orders compute() has not asked already)
 * and its receipts before the floor, IN_CHUNK ids a query, page by page.
 * rx_state_apply then keeps the totals, so a PO is asked for once.  A
 * row that cannot be counted (no line id, a bad quantity or time) holds
 * its PO back, as one dated after the floor would: a wrong total would
 * send more than is open.
 */
struct seed {
	struct run *r;
	const struct rx_map *pos, *items;	/* compute()'s */
	struct rx_map want;	/* NetSuite PO ids to seed */
	struct rx_map orders;	/* their HotWax orders -> struct order */
	struct items is;	/* items of the orders compute() did not ask for */
	struct rx_map seen;	/* ids counted, for pages that shifted */
};

/* An order of a PO to seed; known: compute() has its items already */
static void
seed_order(struct seed *sd, const char *id, const char *ext, int known)
{
	struct rx_ent *e;
	struct order *o;
	int isnew;

	e = rx_map_put(&sd->orders, id, &isnew);
	if (!isnew)
		return;
	e->val = o = xcalloc(1, sizeof *o);
	o->ext = xstrdup(ext);
	o->found = o->netsuite = 1;
	o->known = known;
}

static int
take_seed_order(const cJSON *d, void *arg)
{
	struct seed *sd = arg;
	const char *id = jstr(d, "orderId"), *ext = jstr(d, "externalId"),
	    *type = jstr(d, "orderTypeId");

	if (id && ext && type && strcmp(type, "PURCHASE_ORDER") == 0 &&
	    rx_map_get(&sd->want, ext))
		seed_order(sd, id, ext, 0);
	return 0;
}

static int
items_unknown(const struct rx_ent *e)
{
	return !((struct order *)e->val)->known;
}

static int
take_seed(const cJSON *d, void *arg)
{
	struct seed *sd = arg;
	const char *o = jstr(d, "orderId"), *seq = jstr(d, "orderItemSeqId"),
	    *id = jstr(d, "receiptId");
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(d, "datetimeReceived");
	struct rx_ent *e = o ? rx_map_get(&sd->orders, o) : NULL;
	struct order *od = e ? e->val : NULL;
	struct item *it = NULL;
	struct pox *px;
	struct rx_line *l;
	dec_t acc;
	char *key;
	int isnew;

	if (!od || !(e = rx_map_get(sd->pos, od->ext)))
		return 0;	/* not an order asked for */
	px = e->val;
	if (cJSON_IsNumber(t) && t->valuedouble >= (double)sd->r->st.floor)
		return 0;	/* not before the floor: take_receipt's */
	if (id) {
		rx_map_put(&sd->seen, id, &isnew);
		if (!isnew)
			return 0;	/* counted on an earlier page */
	}
	if (seq && (key = item_key(o, seq))) {
		if (!(e = rx_map_get(&sd->is.map, key)))
			e = rx_map_get(sd->items, key);
		it = e ? e->val : NULL;
		free(key);
	}
	if (!cJSON_IsNumber(t) || !it || !it->ext ||
	    jdec(d, "quantityAccepted", &acc) < 0) {
		if (!px->held)
			msg_warn("%sperformFind: receipt %s (HotWax order %s, "
			    "before the --start-at floor): no time, NetSuite line "
			    "id or quantity to count it by; PO %s held back until "
			    "HotWax's data is fixed", sd->r->cfg->hotwax.base_url,
			    id ? id : "(no receiptId)", o, od->ext);
		px->held = 1;
		return 0;
	}
	l = rx_po_line(&px->po, it->ext);
	l->received = acc > INT64_MAX - l->received ? INT64_MAX :
	    l->received + acc;
	msg_info("PO %s line %s: receipt %s (HotWax order %s), dated before "
	    "the --start-at floor, counted as received in NetSuite", od->ext,
	    it->ext, id ? id : "(no receiptId)", o);
	return 0;
}

/* The POs to seed, and their orders this run knows already */
static void
seed_want(struct seed *sd, const struct rx_map *orders)
{
	struct rx_ent *e;
	struct order *o;
	size_t i;

	for (i = 0; i < orders->cap; i++) {
		if (!orders->v[i].key || !(o = orders->v[i].val) || !o->netsuite)
			continue;
		e = rx_map_get(sd->pos, o->ext);
		if (e && !((struct pox *)e->val)->held &&
		    !rx_map_get(&sd->r->st.pos, o->ext)) {
			rx_map_put(&sd->want, o->ext, NULL);
			seed_order(sd, orders->v[i].key, o->ext, 1);
		}
	}
}

static int
seed_floor(struct run *r, const struct rx_map *orders, const struct rx_map *pos,
    const struct rx_map *items)
{
	static const char *const f[] = { "receiptId", "orderId",
	    "orderItemSeqId", "quantityAccepted", "datetimeReceived", NULL };
	struct seed sd = { r, pos, items, { 0 }, { 0 }, { r, { 0 } }, { 0 } };
	cJSON *also;
	int rc;

	if (r->st.floor <= 0)
		return 0;
	seed_want(&sd, orders);
	also = cJSON_CreateObject();
	cJSON_AddStringToObject(also, "orderTypeId", "PURCHASE_ORDER");
	cJSON_AddStringToObject(also, "orderTypeId_op", "equals");
	rc = find_in(r, "OrderHeader", "externalId", &sd.want, NULL, also,
	    order_fields, "orderId", take_seed_order, &sd);
	cJSON_Delete(also);
	if (rc == 0)
		rc = find_in(r, "OrderItem", "orderId", &sd.orders, items_unknown,
		    NULL, item_fields, "orderId,orderItemSeqId", take_item, &sd.is);
	if (rc == 0) {
		also = cJSON_CreateObject();
		cJSON_AddNumberToObject(also, "datetimeReceived",
		    (double)r->st.floor);
		cJSON_AddStringToObject(also, "datetimeReceived_op", "lessThan");
		rc = find_in(r, "ShipmentReceiptAndItem", "orderId", &sd.orders,
		    NULL, also, f, "orderId,datetimeReceived,receiptId",
		    take_seed, &sd);
		cJSON_Delete(also);
	}
	free_map(&sd.want, free);
	free_map(&sd.orders, free_order);
	free_map(&sd.is.map, free_item);
	free_map(&sd.seen, free);
	return rc;
}

/* Receipts said one by one before only a count is given. */
#define MAX_SAID	20

/* A receipt dated further ahead than [hotwax] receipt_overlap: HotWax's
 * clock (or its data) is off.  It is exported all the same, and said. */
static void
say_future(const struct rcpt *x, int64_t now, size_t *said)
{
	char *id, *o;

	if ((*said)++ >= MAX_SAID)
		return;
	id = msg_quote(x->id, strlen(x->id));
	o = msg_quote(x->order ? x->order : "", x->order ? strlen(x->order) : 0);
	msg_warn("receipt %s (HotWax order %s) is dated %" PRId64 " s ahead of "
	    "this host's clock, more than [hotwax] receipt_overlap: exported "
	    "now, but check the clocks of HotWax and of this host", id, o,
	    (x->ms - now) / 1000);
	free(id);
	free(o);
}

/* Decide what this run exports: fills j (name empty when no file).
 * *changed: there is anything to record at all. */
static int
compute(struct run *r, struct rcpts *rs, struct journal *j, int *changed)
{
	struct rx_map orders = { 0 }, pos = { 0 };
	struct items is = { r, { 0 } };
	struct rx_ent *e, **v;
	struct order *o;
	struct item *it;
	struct pox *px;
	struct rx_line *l;
	char name[256], *key;
	int64_t now = now_ms(), heldmin = INT64_MAX, ms,
	    overlap = (int64_t)r->cfg->hotwax.receipt_overlap * 1000;
	size_t i, n, k, nel = 0, future = 0;
	int rc = 0, held = 0, isnew;

	for (i = 0; i < rs->n; i++) {
		if (!rs->v[i].order)
			continue;
		e = rx_map_put(&orders, rs->v[i].order, &isnew);
		if (isnew)
			e->val = xcalloc(1, sizeof(struct order));
	}
	if ((rc = find_in(r, "OrderHeader", "orderId", &orders, NULL, NULL, order_fields, "orderId",
	    take_order, &orders)) != 0)
		goto out;
	if ((rc = find_in(r, "OrderItem", "orderId", &orders, is_netsuite, NULL, item_fields,
	    "orderId,orderItemSeqId", take_item, &is)) != 0)
		goto out;

	/* each receipt to its NetSuite PO and line, or held, or ignored */
	for (i = 0; i < rs->n; i++) {
		struct rcpt *x = &rs->v[i];
		const char *xid = *x->id ? x->id : "(no receiptId)";

		if (x->bad && !x->order) {
			msg_warn("%sperformFind: receipt %s: %s; no order to hold "
			    "back: the cursor stays before it until HotWax's "
			    "data is fixed", r->cfg->hotwax.base_url, xid, x->bad);
			x->held = 1;
			continue;
		}
		o = rx_map_get(&orders, x->order)->val;
		if (x->bad && !o->found) {
			msg_warn("%sperformFind: receipt %s: %s; HotWax order %s "
			    "not found (OrderHeader); held back",
			    r->cfg->hotwax.base_url, xid, x->bad, x->order);
			o->held = 1;
			continue;
		}
		if (!o->found) {
			if (!o->held)
				msg_warn("receipt %s: HotWax order %s not found "
				    "(OrderHeader); held back", x->id, x->order);
			o->held = 1;
			continue;
		}
		if (!o->netsuite)
			continue;
		e = rx_map_put(&pos, o->ext, &isnew);
		if (isnew) {
			e->val = px = xcalloc(1, sizeof *px);
			rx_po_init(&px->po, o->ext);
		}
		px = e->val;
		if (x->bad) {
			msg_warn("%sperformFind: receipt %s (HotWax order %s, "
			    "NetSuite PO %s): %s; PO %s held back until HotWax's "
			    "data is fixed", r->cfg->hotwax.base_url, xid,
			    x->order, o->ext, x->bad, o->ext);
			px->held = 1;
			continue;
		}
		key = item_key(x->order, x->seq);
		e = rx_map_get(&is.map, key);
		free(key);
		it = e ? e->val : NULL;
		if (!it || !it->ext) {
			msg_warn("receipt %s: HotWax order %s item %s has no "
			    "NetSuite line id (OrderItem externalId%s); PO %s "
			    "held back until it has one", x->id, x->order,
			    x->seq, it ? "" : ": item not found", o->ext);
			px->held = 1;
			continue;
		}
		l = rx_po_line(&px->po, it->ext);
		/* each quantity is below 1e10, but enough of them would wrap
		 * the sum negative: a negative quantity in the file and a
		 * state no run could read back.  Saturate: the surplus is
		 * excess, reported. */
		l->accepted = x->acc > INT64_MAX - l->accepted ? INT64_MAX :
		    l->accepted + x->acc;
		if (x->acc > 0) {
			if (l->rids.len)
				buf_addc(&l->rids, ' ');
			buf_adds(&l->rids, x->id);
		}
	}
	/* every HotWax line of those POs, with its quantity */
	for (i = 0; i < is.map.cap; i++) {
		if (!is.map.v[i].key || !(it = is.map.v[i].val) || !it->ext)
			continue;
		o = rx_map_get(&orders, it->order)->val;
		if (!o->netsuite || !(e = rx_map_get(&pos, o->ext)))
			continue;
		l = rx_po_line(&((struct pox *)e->val)->po, it->ext);
		if (it->hasqty) {
			l->hw = RX_KNOWN;
			l->hw_qty = it->qty;
		}
	}
	if ((rc = polines_load(r->cfg->spool.dir, want_po, add_csv, &pos)) != 0)
		goto out;
	if ((rc = seed_floor(r, &orders, &pos, &is.map)) != 0)
		goto out;

	/* which receipts are done with, and how far the cursor may go */
	for (i = 0; i < rs->n; i++) {
		o = rs->v[i].order ? rx_map_get(&orders, rs->v[i].order)->val : NULL;
		e = o && o->netsuite ? rx_map_get(&pos, o->ext) : NULL;
		if (rs->v[i].held || (o && o->held) ||
		    (e && ((struct pox *)e->val)->held)) {
			held = 1;
			/* a receipt without a time was in the window: the
			 * cursor stays where it is (below, never back) */
			if (rs->v[i].ms < heldmin)
				heldmin = rs->v[i].ms < 0 ? 0 : rs->v[i].ms;
			continue;
		}
		if (!*rs->v[i].id)
			continue;	/* bad, of an order not NetSuite's: ignored */
		rx_map_put(&r->st.ledger, rs->v[i].id, NULL)->ms = rs->v[i].ms;
		*changed = 1;
		/* said here, as it enters the ledger: once per receipt */
		if (rs->v[i].ms > now + overlap)
			say_future(&rs->v[i], now, &future);
	}
	if (future > MAX_SAID)
		msg_warn("%zu more receipts dated ahead of this host's clock",
		    future - MAX_SAID);

	/* the elements, in PO order */
	v = rx_map_sorted(&pos, &n);
	buf_adds(&j->file, "[");
	for (i = 0; i < n; i++) {
		px = v[i]->val;
		if (px->held)
			continue;
		rx_po_from_state(&px->po, &r->st);
		rx_compute(&px->po);
		for (k = 0; k < px->po.n; k++)
			if (px->po.lines[k].excess > 0)
				excess_row(&j->excess, px->po.po, &px->po.lines[k]);
		if (px->po.element) {
			if (nel++)
				buf_adds(&j->file, ",\n");
			rx_element(&px->po, &j->file);
		} else
			msg_info("PO %s: nothing accepted to send", px->po.po);
		if (px->po.full) {
			rx_esc(&j->drop, px->po.po);
			buf_addc(&j->drop, '\n');
		}
		rx_state_apply(&r->st, &px->po, now);
	}
	free(v);
	buf_adds(&j->file, "]\n");
	if (!nel)
		buf_reset(&j->file);
	if (held)
		rc = EX_DATAERR;

	/* A held receipt keeps the cursor from passing it, so the next
	 * window still holds it; but the cursor never moves back: the
	 * ledger has forgotten what lies before the old window, and a
	 * window reaching back there would export it again.  The held
	 * receipt was inside the old window, so it stays inside. */
	ms = held && heldmin < rs->maxms ? heldmin : rs->maxms;
	/* HotWax's dates are data, not the time: a receipt dated ahead of
	 * this host's clock must not carry the cursor past it, or every
	 * receipt dated in between would fall before the window (posync(7),
	 * CLOCKS).  The ledger keeps the early one from going out twice. */
	if (ms > now)
		ms = now;
	if (ms < r->st.cursor)
		ms = r->st.cursor;
	if (ms != r->st.cursor)
		*changed = 1;
	r->st.cursor = ms;
	if (nel) {
		r->st.last = now > r->st.last ? now : r->st.last + 1;
		if (rx_file_name(name, sizeof name, r->cfg->netsuite.receipt_prefix,
		    r->st.last) < 0) {
			msg_warn("[netsuite] receipt_prefix is too long");
			rc = EX_CONFIG;
			goto out;
		}
		j->name = xstrdup(name);
	} else
		j->name = xstrdup("");
	rx_state_prune(&r->st, (int64_t)r->cfg->hotwax.receipt_overlap * 1000,
	    now, (int64_t)r->cfg->spool.keep_days * 86400000);
	rx_state_format(&r->st, &j->state);
out:
	free_map(&orders, free_order);
	free_map(&is.map, free_item);
	free_map(&pos, free_pox);
	return rc;
}

/* The cursor never passes this host's clock; finding it ahead means the
 * clock was set back (or an older posync followed a receipt dated in the
 * future).  It cannot be moved back safely -- the ledger has forgotten
 * what lies before its window -- so say it every run until a person
 * looks (posync(7), CLOCKS). */
static void
check_cursor(struct run *r)
{
	int64_t now = now_ms();

	/* no receipt dated before the floor goes out: one ahead of the
	 * clock stalls every run until then */
	if (r->st.floor > now)
		msg_warn("%s: the floor (--start-at) is %" PRId64 " s ahead of "
		    "this host's clock: no receipt dated before it is exported; "
		    "see receipt-export(1), --start-at", r->state_path,
		    (r->st.floor - now) / 1000);
	if (r->st.cursor > now + (int64_t)r->cfg->hotwax.receipt_overlap * 1000)
		msg_warn("%s: the cursor is %" PRId64 " s ahead of this host's "
		    "clock (set back?); receipts HotWax dates before it, less "
		    "[hotwax] receipt_overlap, are not seen: see posync(7), CLOCKS",
		    r->state_path, (r->st.cursor - now) / 1000);
	/* each new file is named after last + 1 at the least: a last far
	 * ahead names files ahead of the clock, sorted behind every file a
	 * person queues meanwhile */
	if (r->st.last > now + 86400000)
		msg_warn("%s: last is %" PRId64 " s ahead of this host's clock "
		    "(set back?); receipt files are named after it, not the "
		    "clock: see posync(7), CLOCKS",
		    r->state_path, (r->st.last - now) / 1000);
}

static int
export(struct run *r)
{
	struct rcpts rs = { r, NULL, 0, 0, { 0 }, 0, now_ms() };
	struct journal j = { 0 };
	struct buf jb = { 0 };
	int rc, rc2, changed = 0, said = 0;
	size_t i;

	if ((rc = hotwax_open(r->cfg, &r->hw)) != 0)
		return rc;
	rs.maxms = r->st.cursor;
	check_cursor(r);
	rc = fetch_receipts(r, &rs);
	if (rc == 0 && rs.n == 0 && rs.maxms == r->st.cursor) {
		/* nothing new: a backlog is still folded, else silence */
		if (!fold_only(r, &j))
			goto out;
	} else {
		if (rc == 0)
			rc = compute(r, &rs, &j, &changed);
		if (rc != 0 && rc != EX_DATAERR)
			goto out;
		if (*j.name)
			fold_prepare(r, &j, 1);
		else
			fold_only(r, &j);
	}
	if (r->dry) {
		if (j.file.len)
			fwrite(j.file.s, 1, j.file.len, stdout);
		if (j.excess.len)
			rc = exit_merge(rc, EX_DATAERR);
		goto out;
	}
	if (!changed && !j.file.len && !j.excess.len)
		goto out;
	journal_format(&j, &jb);
	if ((rc2 = spool_write_atomic(r->journal_path, jb.s, jb.len)) == 0) {
		crash_point("journal");
		rc2 = roll_forward(r, &j, &said);
	}
	rc = exit_merge(rc, rc2);
	if (said)
		rc = exit_merge(rc, EX_DATAERR);
out:
	for (i = 0; i < rs.n; i++) {
		free(rs.v[i].id);
		free(rs.v[i].order);
		free(rs.v[i].seq);
		free(rs.v[i].bad);
	}
	free(rs.v);
	free_map(&rs.seen, free);
	journal_free(&j);
	buf_free(&jb);
	lock_drop(&r->pubfd);
	hotwax_close(r->hw);
	r->hw = NULL;
	return rc;
}

/* Load the state, finishing an interrupted run first (or, with -n,
 * reading the state it would leave).  0, or the status that stops the
 * run: nothing may be exported without the whole state.  *excess is set
 * when the roll-forward reported excess rows (exit 65, the run goes on). */
static int
load(struct run *r, int *excess)
{
	struct journal j;
	char *data = NULL;
	size_t len;
	int rc, said = 0;

	if (read_file(r->journal_path, MAX_STATE, &data, &len) == 0) {
		rc = journal_parse(&j, data, len, r->journal_path);
		free(data);
		data = NULL;
		if (rc)
			return rc;
		if (r->dry) {
			msg_warn("%s: an interrupted run would be finished first%s%s",
			    r->journal_path, *j.name ? ", writing " : "", j.name);
			rc = rx_state_parse(&r->st, j.state.s ? j.state.s : "",
			    j.state.len, r->journal_path);
			journal_free(&j);
			return rc;
		}
		msg_info("%s: finishing an interrupted run", r->journal_path);
		rc = roll_forward(r, &j, &said);
		journal_free(&j);
		if (rc)
			return rc;
		*excess = said;
	} else if (errno != ENOENT) {
		msg_warnerr("%s", r->journal_path);
		return EX_IOERR;
	}
	if (read_file(r->state_path, MAX_STATE, &data, &len) < 0) {
		if (errno == ENOENT)
			return 0;	/* the first run */
		msg_warnerr("%s", r->state_path);
		return EX_IOERR;
	}
	rc = rx_state_parse(&r->st, data, len, r->state_path);
	free(data);
	return rc;
}

/* --start-at: refuse when a state or journal is there -- replacing it
 * would forget what was exported -- or when TIME is further ahead of the
 * clock than receipt_overlap (a typo would stall every run until then);
 * else write the first state: the floor at TIME (take_receipt and
 * fetch_receipts honour it, seed_floor counts what lies before it), the
 * cursor there too, or at the clock when TIME is ahead of it (a cursor
 * never passes the clock).  Nothing is exported; -n prints the state
 * instead. */
static int
start_at(struct run *r, int64_t at)
{
	const char *v[2] = { r->journal_path, r->state_path };
	struct stat sb;
	struct buf b = { 0 };
	int64_t now = now_ms();
	int i, rc = 0;

	for (i = 0; i < 2; i++) {
		if (lstat(v[i], &sb) == 0) {
			msg_warn("%s exists: --start-at only starts a spool that has "
			    "no state; to start afresh, check in NetSuite which "
			    "receipts it has, move the state and journal aside, "
			    "then run --start-at again (receipt-export(1), CAVEATS)",
			    v[i]);
			return EX_USAGE;
		}
		if (errno != ENOENT) {
			msg_warnerr("%s", v[i]);
			return EX_IOERR;
		}
	}
	if (at > now + (int64_t)r->cfg->hotwax.receipt_overlap * 1000) {
		msg_warn("--start-at: TIME is %" PRId64 " s ahead of this host's "
		    "clock, more than [hotwax] receipt_overlap: a typo? nothing "
		    "would be exported until then; no state written",
		    (at - now) / 1000);
		return EX_USAGE;
	}
	r->st.floor = at;
	r->st.cursor = at < now ? at : now;
	rx_state_format(&r->st, &b);
	if (r->dry)
		fwrite(b.s, 1, b.len, stdout);
	else if ((rc = spool_write_atomic(r->state_path, b.s, b.len)) == 0)
		msg_info("%s: written; no receipt dated before %" PRId64
		    " (epoch ms) will be exported", r->state_path, at);
	buf_free(&b);
	return rc;
}

/* at: --start-at's TIME (epoch ms), or -1 for a run that exports. */
static int
receipt_export(const struct config *cfg, int dry, int64_t at)
{
	struct run r = { 0 };
	int rc, excess = 0;

	/* receipt_prefix: config.c checked it (name_ok) */
	r.cfg = cfg;
	r.dry = dry;
	r.pubfd = -1;
	r.statedir = path_join(cfg->spool.dir, "state");
	r.state_path = path_join(r.statedir, "receipt-export.state");
	r.journal_path = path_join(r.statedir, "receipt-export.pending");
	r.area = path_join(cfg->spool.dir, "receipt");
	r.excess_path = path_join(r.area, "excess.csv");
	rx_state_init(&r.st);
	/* only a run that read its whole state exports (else it would
	 * export again what it forgot); excess rows said while finishing
	 * an interrupted run are 65, and the run goes on */
	if (at >= 0)
		rc = start_at(&r, at);
	else if ((rc = load(&r, &excess)) == 0)
		rc = exit_merge(excess ? EX_DATAERR : 0, export(&r));
	rx_state_free(&r.st);
	free(r.statedir);
	free(r.state_path);
	free(r.journal_path);
	free(r.area);
	free(r.excess_path);
	return rc;
}

/* --start-at TIME (prog.h: an option of receipt-export's own) */
static int
set_start_at(const char *arg, void *ctx)
{
	int64_t *at = ctx;
	const char *why;
	char *q;

	if (rx_time_parse(arg, at, &why) == 0)
		return 0;
	q = msg_quote(arg, strlen(arg));
	msg_warn("--start-at %s: %s", q, why);
	free(q);
	return EX_USAGE;
}

static const struct prog_opt opts[] = {
	{ "start-at", "TIME", "first run only: write a state that exports nothing\n"
	    "dated before TIME (YYYY-MM-DDTHH:MM:SS[.fff]Z or +HH:MM/-HH:MM),\n"
	    "and export nothing now", set_start_at },
	{ NULL, NULL, NULL, NULL }
};

static const struct prog_spec spec = {
	.lock = LOCK_NAME,
	.area = "receipt",
	.operands = NULL,
	.dry = "dry run: print the receipt file it would write, change nothing",
	.opts = opts,
};

int
main(int argc, char **argv)
{
	struct prog *prog;
	struct config cfg;
	int64_t at = -1;
	char *cur;
	int st;

	prog = prog_parse(&spec, argc, argv, &at);
	if ((st = prog_start(prog, &cfg)) == 0) {
		st = receipt_export(&cfg, prog_dry(prog), at);
		/* once a day: POs NetSuite stopped exporting leave the
		 * polines ledger even when no PO completes; only after a
		 * run that did its work (a refused one changes nothing) */
		if (!prog_dry(prog) && (st == 0 || st == EX_DATAERR)) {
			cur = xasprintf("%s/receipt/cur", cfg.spool.dir);
			st = exit_merge(st, spool_prune(cur, cfg.spool.keep_days));
			free(cur);
			st = exit_merge(st, polines_tidy(cfg.spool.dir, time(NULL),
			    cfg.spool.polines_keep_days));
		}
	}
	return prog_finish(prog, st);
}
