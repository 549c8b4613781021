/*
 * hotwax_log -- common/hotwax.c: a HotWax data-manager log as po-import
 * reads it once it is fetched (look, log_over, log_errors): its status,
 * its errors (message and the batch row each names) and its counts.
 *
 * The input's first byte is the number of rows of the batch the log is
 * about (nrows, 0 to 255); the rest is the log, any JSON (a log HotWax
 * should not send still must not crash).  Invariants, each against what
 * hotwax.h promises, read again here from the JSON:
 *  - hotwax_log_status is one of the enum's four values: RUNNING exactly
 *    for SERVICE_PENDING and SERVICE_RUNNING, FINISHED for
 *    SERVICE_FINISHED, FAILED for SERVICE_FAILED, UNKNOWN otherwise; *raw
 *    is the statusId string itself (NULL when it is not a string);
 *    hotwax_log_status_name gives a non-empty name, and for an over log
 *    the very statusId HotWax wrote;
 *  - hotwax_log_errors is the log's "errors" item (or NULL);
 *  - of each error, hotwax_log_message is its "message" string or NULL
 *    (read whole, quoted as po-import quotes it); hotwax_log_row is -1 or
 *    a row of the batch (0..nrows-1, so po-import's v->at[i] is in
 *    bounds), and a row exactly when rowIndex is a whole number in
 *    0..nrows-1 (a string "1" names none);
 *  - hotwax_log_count, for both counts, is -1 or a whole number in
 *    0..1e15, and a number exactly when the key holds a JSON number that
 *    is one of those.
 */
#include <math.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "hotwax.h"
#include "msg.h"

static const char *const over_names[] = {
	[HOTWAX_LOG_FINISHED] = "SERVICE_FINISHED",
	[HOTWAX_LOG_FAILED] = "SERVICE_FAILED",
};

static enum hotwax_log_status
ref_status(const char *s)
{
	if (!s)
		return HOTWAX_LOG_UNKNOWN;
	if (strcmp(s, "SERVICE_PENDING") == 0 || strcmp(s, "SERVICE_RUNNING") == 0)
		return HOTWAX_LOG_RUNNING;
	if (strcmp(s, "SERVICE_FINISHED") == 0)
		return HOTWAX_LOG_FINISHED;
	if (strcmp(s, "SERVICE_FAILED") == 0)
		return HOTWAX_LOG_FAILED;
	return HOTWAX_LOG_UNKNOWN;
}

static void
status(const cJSON *lg)
{
	const cJSON *sid = cJSON_GetObjectItemCaseSensitive(lg, "statusId");
	const char *want = cJSON_GetStringValue(sid), *raw = "unset", *name;
	enum hotwax_log_status st;

	st = hotwax_log_status(lg, &raw);
	FUZZ_CHECK(st == HOTWAX_LOG_RUNNING || st == HOTWAX_LOG_FINISHED ||
	    st == HOTWAX_LOG_FAILED || st == HOTWAX_LOG_UNKNOWN,
	    "status %d is none of the enum's", (int)st);
	FUZZ_CHECK(raw == want, "raw statusId %p, the log's is %p",
	    (const void *)raw, (const void *)want);
	FUZZ_CHECK(st == ref_status(want), "statusId %s classified %d",
	    want ? want : "(none)", (int)st);
	name = hotwax_log_status_name(st);
	FUZZ_CHECK(name && name[0], "status %d has no name", (int)st);
	if (st == HOTWAX_LOG_FINISHED || st == HOTWAX_LOG_FAILED)
		FUZZ_CHECK(strcmp(name, over_names[st]) == 0 &&
		    strcmp(name, want) == 0, "an over log %s named %s", want, name);
}

/* d has no fraction; only for 0 <= d <= 1e15, where the cast is defined. */
static int
whole(double d)
{
	return (double)(long long)d == d;
}

/* The row rowIndex names, read again from the JSON: -1 for none. */
static long
ref_row(const cJSON *e, size_t nrows)
{
	const cJSON *ri = cJSON_GetObjectItemCaseSensitive(e, "rowIndex");
	double d;

	if (!cJSON_IsNumber(ri))
		return -1;
	d = ri->valuedouble;
	if (!isfinite(d) || d < 0 || d >= (double)nrows)
		return -1;
	return whole(d) ? (long)d : -1;
}

static void
errors(const cJSON *lg, size_t nrows)
{
	const cJSON *errs, *e;
	const char *m, *want;
	char *q;
	long i;
	size_t n;

	errs = hotwax_log_errors(lg);
	FUZZ_CHECK(errs == cJSON_GetObjectItemCaseSensitive(lg, "errors"),
	    "errors is not the log's errors item");
	cJSON_ArrayForEach(e, errs) {
		m = hotwax_log_message(e);
		want = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e,
		    "message"));
		FUZZ_CHECK(m == want, "message is not the error's message");
		if (m) {
			n = strlen(m);	/* ASan: NUL-terminated, in bounds */
			FUZZ_CHECK(n == strlen(want), "message length");
			q = msg_quote(m, n);
			FUZZ_CHECK(q && q[0], "msg_quote gave nothing");
			free(q);
		}
		i = hotwax_log_row(e, nrows);
		FUZZ_CHECK(i == -1 || (i >= 0 && (size_t)i < nrows),
		    "row %ld of a batch of %zu rows", i, nrows);
		FUZZ_CHECK(i == ref_row(e, nrows), "row %ld, rowIndex names %ld",
		    i, ref_row(e, nrows));
	}
}

static double
ref_count(const cJSON *lg, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(lg, key);
	double d;

	if (!cJSON_IsNumber(v))
		return -1;
	d = v->valuedouble;
	if (!isfinite(d) || d < 0 || d > 1e15 || !whole(d))
		return -1;
	return d;
}

static void
count(const cJSON *lg, const char *key)
{
	double c = hotwax_log_count(lg, key);

	FUZZ_CHECK(isfinite(c), "%s not finite", key);
	FUZZ_CHECK(c == -1 || (c >= 0 && c <= 1e15 && whole(c)),
	    "%s is %g", key, c);
	FUZZ_CHECK(c == ref_count(lg, key), "%s is %g, the log says %g", key,
	    c, ref_count(lg, key));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *lg;
	size_t nrows;

	if (size == 0 || !(lg = cJSON_ParseWithLength((const char *)data + 1,
	    size - 1)))
		return 0;
	nrows = data[0];
	status(lg);
	errors(lg, nrows);
	count(lg, HOTWAX_LOG_FAILED_ROWS);
	count(lg, HOTWAX_LOG_ALL_ROWS);
	cJSON_Delete(lg);
	return 0;
}
