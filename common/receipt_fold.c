/*
 * receipt_fold -- see receipt_fold.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "lock.h"
#include "map.h"
#include "msg.h"
#include "notes.h"
#include "receipt_fetch.h"
#include "receipt_fold.h"
#include "receipt_rules.h"
#include "receipt_spool_impl.h"
#include "receipt_state.h"
#include "rfile.h"
#include "spool.h"
#include "util.h"

#define MAX_FOLD	(64L << 20)	/* a folded file */
#if MAX_FOLD >= RFILE_NETSUITE_MAX
#error "a folded file must stay below NetSuite's limit"
#endif

/* One element's lines into p, each line's send summed.  -1 when it is not
 * such an element or a sum would not be exact. */
static int
fold_items(struct rx_po *p, const cJSON *items)
{
	const cJSON *it;
	const char *line;
	struct rx_line *l;
	dec_t q;

	cJSON_ArrayForEach(it, items) {
		if (!(line = rx_json_id(it, "line_id")) ||
		    rx_json_qty(it, "quantity", &q) != 0)
			return -1;
		l = rx_po_line(p, line);
		if (q > INT64_MAX - l->send)
			return -1;
		l->send += q;
		l->listed = 1;
	}
	return 0;
}

/* Add one receipt file (as receipt-export writes them) to pos: PO id ->
 * struct rx_po.  -1 when it is not such a file or a sum would not be
 * exact. */
static int
fold_add(struct map *pos, const char *data, size_t len)
{
	cJSON *a = cJSON_ParseWithLength(data, len), *el;
	const char *po;
	struct rx_po *p;
	int rc = cJSON_IsArray(a) ? 0 : -1, isnew;

	if (rc)
		goto out;
	cJSON_ArrayForEach(el, a) {
		const cJSON *items = cJSON_GetObjectItemCaseSensitive(el, "items");

		if (!(po = rx_json_id(el, "order_id")) || !cJSON_IsArray(items)) {
			rc = -1;
			break;
		}
		p = map_put(pos, po, &isnew);
		if (isnew)
			rx_po_init(p, po);
		if ((rc = fold_items(p, items)) != 0)
			break;
	}
out:
	cJSON_Delete(a);
	return rc;
}

/* pos as a receipt file, in PO order, as the rules write one. */
static void
fold_render(const struct map *pos, struct buf *out)
{
	const char **v;
	size_t i, n;

	v = map_sorted(pos, &n);
	buf_adds(out, "[");
	for (i = 0; i < n; i++) {
		if (i)
			buf_adds(out, ",\n");
		rx_element(map_get(pos, v[i]), out);
	}
	buf_adds(out, "]\n");
	free(v);
}

/* The names receipt-push holds (it writes them, under the publish lock,
 * only for files it chose not to publish yet): a notes file of bare
 * names (notes.h), read as it is in the older form, one name a line and
 * no version line.  One that cannot be read holds nothing (said). */
static struct notes *
held_names(struct rx_spool *sp)
{
	char *path = path_join(sp->statedir, RFILE_HELD);
	struct notes *n = notes_open(path, 0);

	free(path);
	return n;
}

/* Fold the waiting files (v, n names) and j->file into out; 0, or -1
 * (said) when one cannot be folded. */
static int
fold_files(struct rx_spool *sp, char **v, size_t n,
    const struct rx_journal *j, struct buf *out)
{
	struct map *pos = map_new(sizeof(struct rx_po));
	struct rx_po *p;
	char *path, *data;
	size_t i, len;
	int rc = 0;

	for (i = 0; i < n && !rc; i++) {
		path = xasprintf("%s/new/%s", sp->area, v[i]);
		data = NULL;
		if (read_file(path, MAX_FOLD, &data, &len) < 0) {
			msg_cannot_read(path);
			rc = -1;
		} else if (fold_add(pos, data, len) != 0) {
			msg_info("%s: not a receipt file as receipt-export "
			    "writes them: not folded", path);
			rc = -1;
		}
		free(data);
		free(path);
	}
	if (!rc && j->file.len && fold_add(pos, j->file.s, j->file.len) != 0)
		rc = -1;
	if (!rc)
		fold_render(pos, out);
	if (!rc && out->len > (size_t)MAX_FOLD) {
		msg_info("a folded file would pass %ld bytes: a new file", MAX_FOLD);
		rc = -1;
	}
	for (i = 0; (p = map_next(pos, &i, NULL)) != NULL; )
		rx_po_free(p);
	map_free(pos);
	return rc;
}

/* Was NAME published (cur/) or refused (failed/) before?  A person put
 * it back into new/ (a restore, a "resend"): it is on NetSuite's side
 * already, or was refused there, and is never folded into a new name. */
static int
seen_before(struct rx_spool *sp, const char *name)
{
	static const char *const dirs[] = { "cur", "failed", NULL };
	struct stat st;
	char *p;
	size_t i;
	int seen = 0;

	for (i = 0; dirs[i] && !seen; i++) {
		p = xasprintf("%s/%s/%s", sp->area, dirs[i], name);
		seen = lstat(p, &st) == 0 || errno != ENOENT;
		free(p);
	}
	return seen;
}

/* The latest entry (rfile.h) of a file in new/ that is not posync's. */
static int64_t
others_last(struct rx_spool *sp, char **v, size_t n, const char *prefix)
{
	char *newdir = path_join(sp->area, "new"), *path;
	int64_t last = INT64_MIN, t;
	size_t i;

	for (i = 0; i < n; i++) {
		if (rfile_is_posync(prefix, v[i]))
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
foldable(struct rx_spool *sp, char **v, size_t n, char ***pv)
{
	const char *prefix = sp->cfg->netsuite.receipt_prefix;
	struct notes *held;
	int64_t last;	/* the latest other file's entry */
	size_t i, npv = 0, k;
	int first = 1;

	last = others_last(sp, v, n, prefix);
	*pv = xcalloc(n + 1, sizeof **pv);
	for (i = 0; i < n; i++)
		if (rfile_is_posync(prefix, v[i]))
			(*pv)[npv++] = v[i];
	if (npv > 1)
		qsort(*pv, npv, sizeof **pv, str_pcmp);
	held = held_names(sp);
	for (i = k = 0; i < npv; i++) {
		if (seen_before(sp, (*pv)[i]))
			continue;
		if (first) {
			first = 0;
			if (!notes_find(held, (*pv)[i]))
				continue;
		}
		if (rfile_name_ms((*pv)[i]) > last)
			(*pv)[k++] = (*pv)[i];
	}
	notes_close(held);
	(*pv)[k] = NULL;
	return k;
}

/* The publish lock, without waiting (with -n, whether it is free): 0,
 * or a status (EX_TEMPFAIL, said: receipt-push is publishing). */
static int
fold_lock(struct rx_spool *sp)
{
	int rc = 0;

	if (!sp->dry)
		rc = lock_try(sp->cfg->spool.dir, LOCK_PUBLISH, 0, &sp->pubfd);
	else if (lock_busy(sp->cfg->spool.dir, LOCK_PUBLISH))
		rc = EX_TEMPFAIL;
	if (rc == EX_TEMPFAIL)
		msg_info("receipt-push is publishing: a new file, to be "
		    "folded by a later run");
	return rc;
}

/* The names folded, into j->fold, and said. */
static void
fold_record(struct rx_spool *sp, struct rx_journal *j, char **pv, size_t npv,
    const char *newdir)
{
	size_t i;

	for (i = 0; i < npv; i++) {
		buf_adds(&j->fold, pv[i]);
		buf_addc(&j->fold, '\n');
		if (sp->dry)
			msg_warn("would fold %s/%s into %s/%s", newdir, pv[i],
			    newdir, j->name);
		else
			msg_info("%s: folded into %s", pv[i], j->name);
	}
}

void
rx_fold_prepare(struct rx_spool *sp, struct rx_journal *j, size_t min)
{
	char **v = NULL, **pv = NULL, *newdir = path_join(sp->area, "new");
	struct buf out = { 0 };
	size_t n = 0, npv;

	if (fold_lock(sp) != 0)
		goto out;
	if (access(newdir, F_OK) < 0 || spool_list(newdir, ".json", &v, &n) ||
	    n == 0)
		goto out;
	npv = foldable(sp, v, n, &pv);
	/* the run's file read back from its temporary file: folding
	 * parses it (MAX_FOLD bounds the whole) */
	if (npv < min || rx_journal_file_load(j) != 0 ||
	    fold_files(sp, pv, npv, j, &out) != 0)
		goto out;
	fold_record(sp, j, pv, npv, newdir);
	buf_free(&j->file);
	j->file = out;
	out.s = NULL;
	out.len = out.cap = 0;
out:
	if (!j->fold.len)
		lock_drop(&sp->pubfd);
	buf_free(&out);
	if (v)
		spool_list_free(v);
	free(pv);
	free(newdir);
}

int
rx_fold_only(struct rx_spool *sp, struct rx_state *st, struct rx_journal *j)
{
	int64_t last = rx_state_last(st);
	char name[RFILE_NAME_SIZE], *old = j->name;
	int rc;

	/* config.c bounds the prefix so that every name fits (rfile.h) */
	if ((rc = rx_state_next_name(st, now_ms(),
	    sp->cfg->netsuite.receipt_prefix, name, sizeof name)) < 0) {
		if (rc == RX_NAME_NO_TIME)
			return 0;	/* said: no fold into a name none can hold */
		msg_die(EX_SOFTWARE, "a receipt file name for [netsuite] "
		    "receipt_prefix does not fit (a bug)");
	}
	j->name = xstrdup(name);
	rx_fold_prepare(sp, j, RX_FOLD_BACKLOG);
	if (!j->fold.len) {
		free(j->name);
		j->name = old;
		rx_state_set_last(st, last);
		return 0;
	}
	free(old);
	rx_journal_set_state(j, st);
	return 1;
}

int
rx_unfold(struct rx_spool *sp, const struct buf *fold)
{
	char *copy = xstrndup(fold->s, fold->len), *line, *nl, *path;
	char *newdir = path_join(sp->area, "new");
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
			test_point("unfold");
	}
	if (!rc && gone && fsync_dir(newdir) < 0) {
		msg_warnerr("%s", newdir);
		rc = EX_IOERR;
	}
	free(newdir);
	free(copy);
	return rc;
}
