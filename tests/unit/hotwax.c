/*
 * hotwax.c -- common/hotwax.c against the HotWax simulator.
 *
 * Run by tests/0202-hotwax.t, which starts the simulator and exports
 * POSYNC_CONFIG (token_file, ca_file, retries = 3), HOTWAX_PORT,
 * HOTWAX_CA, HOTWAX_OTHER_CA, HW_USER and HW_PASSWORD_FILE (a user seeded
 * into the simulator), and POSYNC_BACKOFF_MS (short backoff).  The test
 * drives the simulator's control interface with a curl handle of its own
 * and checks what the client did through the simulator's request log,
 * never through the client's own word.  Everything the client writes on
 * stderr is captured, shown when a check of that part fails, and searched
 * for the token and the password at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <cjson/cJSON.h>

#include "config.h"
#include "hotwax.h"
#include "msg.h"
#include "util.h"
#include "tap.h"
#include "testutil.h"

static const char *port, *ca, *other_ca;
static CURL *ctl;
static struct buf all_err;	/* everything the client said on stderr */

/* ---- the simulator's control interface, through our own handle ---- */

static size_t
ctl_data(char *p, size_t size, size_t n, void *arg)
{
	buf_add(arg, p, size * n);
	return size * n;
}

static cJSON *
sim(const char *method, const char *path, const char *json)
{
	struct buf b = {0};
	struct curl_slist *h = NULL;
	char *url = xasprintf("https://127.0.0.1:%s%s", port, path);
	long code = 0;
	cJSON *o = NULL;
	CURLcode rc;

	curl_easy_reset(ctl);
	curl_easy_setopt(ctl, CURLOPT_URL, url);
	curl_easy_setopt(ctl, CURLOPT_CAINFO, ca);
	curl_easy_setopt(ctl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(ctl, CURLOPT_WRITEFUNCTION, ctl_data);
	curl_easy_setopt(ctl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(ctl, CURLOPT_TIMEOUT, 20L);
	h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_setopt(ctl, CURLOPT_HTTPHEADER, h);
	if (json)
		curl_easy_setopt(ctl, CURLOPT_POSTFIELDS, json);
	rc = curl_easy_perform(ctl);
	curl_easy_getinfo(ctl, CURLINFO_RESPONSE_CODE, &code);
	if (rc != CURLE_OK || code != 200)
		printf("# control %s %s: %s, HTTP %ld: %s\n", method, path,
		    curl_easy_strerror(rc), code, b.s ? b.s : "");
	else
		o = cJSON_Parse(b.s ? b.s : "");
	curl_slist_free_all(h);
	buf_free(&b);
	free(url);
	return o;
}

static void
simdo(const char *method, const char *path, const char *json)
{
	cJSON_Delete(sim(method, path, json));
}

static void
clear_log(void)
{
	simdo("POST", "/_sim/requests/clear", NULL);
}

/* Requests in the log whose method and path (after /api/) match. */
static int
count(const char *method, const char *sub)
{
	cJSON *v = sim("GET", "/_sim/requests", NULL), *e;
	char *want = xasprintf("/api/%s", sub);
	int n = 0;

	cJSON_ArrayForEach(e, v) {
		if (strcmp(cJSON_GetObjectItem(e, "method")->valuestring, method) == 0 &&
		    strcmp(cJSON_GetObjectItem(e, "path")->valuestring, want) == 0)
			n++;
	}
	cJSON_Delete(v);
	free(want);
	return n;
}

/* The simulator's clock at each request of its log, into t[0..want-1],
 * checked to be want requests (desc): 1 when they are. */
static int
request_times(double *t, int want, const char *desc)
{
	cJSON *v = sim("GET", "/_sim/requests", NULL);
	int i, n = cJSON_GetArraySize(v);

	is_int(n, want, "%s", desc);
	for (i = 0; i < n && i < want; i++)
		t[i] = cJSON_GetObjectItem(cJSON_GetArrayItem(v, i),
		    "time")->valuedouble;
	cJSON_Delete(v);
	return n == want;
}

/* ---- stderr of the client ---- */

static int fails_before;

static void
cap_start(void)
{
	cap_begin();
	fails_before = tap_failed;
}

/* What the client said since cap_start (static until the next call). */
static const char *
cap_stop(void)
{
	static char *text;

	free(text);
	text = cap_end();
	buf_adds(&all_err, text);
	return text;
}

/* After the checks of one part: show its stderr when one of them failed. */
static void
cap_show(const char *text)
{
	if (tap_failed != fails_before)
		fprintf(stderr, "# the client's stderr:\n%s", text);
}

/* ---- helpers ---- */

/* A client for one part, its stderr captured from here on; the test
 * stops when it cannot be opened. */
static struct hotwax *
open_captured(struct config *c)
{
	struct hotwax *h;

	cap_start();
	if (hotwax_open(c, &h) != 0)
		exit(1);
	return h;
}

/* POSYNC_BACKOFF_MS set to ms for one part: what it was, for
 * backoff_restore. */
static char *
backoff_set(const char *ms)
{
	char *saved = getenv("POSYNC_BACKOFF_MS");

	saved = saved ? xstrdup(saved) : NULL;
	setenv("POSYNC_BACKOFF_MS", ms, 1);
	return saved;
}

static void
backoff_restore(char *saved)
{
	if (saved)
		setenv("POSYNC_BACKOFF_MS", saved, 1);
	else
		unsetenv("POSYNC_BACKOFF_MS");
	free(saved);
}

/* The first line of a file; the test stops when it cannot be read. */
static char *
slurp_line(const char *path)
{
	char *s;
	size_t n;

	if (read_file(path, 1 << 16, &s, &n) < 0) {
		printf("# %s: %s\n", path, strerror(errno));
		exit(1);
	}
	s[strcspn(s, "\n")] = 0;
	return s;
}

static cJSON *
find_body(const char *external_id)
{
	cJSON *b = cJSON_CreateObject(), *in = cJSON_AddObjectToObject(b, "inputFields");

	cJSON_AddStringToObject(b, "entityName", "OrderHeader");
	cJSON_AddStringToObject(in, "externalId", external_id);
	cJSON_AddStringToObject(b, "noConditionFind", "Y");
	return b;
}

/* performFind for one external id: the call's status; *n the count. */
static int
find(struct hotwax *h, const char *ext, int *n, char **why)
{
	cJSON *b = find_body(ext), *r = NULL, *c;
	int st;

	*n = -1;
	st = hotwax_post(h, "performFind", b, &r, why);
	cJSON_Delete(b);
	if (st == 0 && cJSON_IsNumber(c = cJSON_GetObjectItem(r, "count")))
		*n = c->valueint;
	cJSON_Delete(r);
	return st;
}

static void
fault(const char *json)
{
	simdo("POST", "/_sim/fault", json);
}

/* One performFind of NS-1 on an empty request log, with the fault FAULT
 * (JSON for /_sim/fault; NULL: none) armed first: the call's status, the
 * count in *n.  The log then holds this call's requests only (the control
 * interface's own are not logged), for count() to judge. */
static int
find_fresh(struct hotwax *h, const char *fault_json, int *n, char **why)
{
	clear_log();
	if (fault_json)
		fault(fault_json);
	return find(h, "NS-1", n, why);
}

/* ---- the parts ---- */

/* performFind with the token, a second call, a GET refused for good. */
static void
t_basics_calls(struct hotwax *h)
{
	cJSON *r = NULL;
	char *why = NULL;
	int n, st;

	simdo("POST", "/_sim/orders", "{\"externalId\":\"NS-1\"}");
	is_int(find_fresh(h, NULL, &n, &why), 0, "performFind with the token");
	is_int(n, 1, "performFind finds the order seeded through the control interface");
	is_int(find(h, "NS-none", &n, &why), 0, "a second call");
	is_int(n, 0, "and it finds nothing for an unknown id");
	st = hotwax_get(h, "dataManagerLogs/DM-NOPE", &r, &why);
	is_int(st, EX_DATAERR, "GET of an unknown log: 404 is refused for good");
	ok(why && strstr(why, "DM-NOPE"), "why holds HotWax's message (%s)", why ? why : "NULL");
	ok(r == NULL, "no response object on failure");
	free(why);
}

/* keep-alive: the three calls above came on one connection */
static void
t_basics_keep_alive(void)
{
	cJSON *v, *e;
	int conn = -1, same = 1, i;

	v = sim("GET", "/_sim/requests", NULL);
	i = 0;
	cJSON_ArrayForEach(e, v) {
		int k = cJSON_GetObjectItem(e, "conn")->valueint;

		if (conn >= 0 && k != conn)
			same = 0;
		conn = k;
		ok(cJSON_IsTrue(cJSON_GetObjectItem(e, "authorization_present")),
		    "request %d carries an Authorization header", ++i);
	}
	is_int(cJSON_GetArraySize(v), 3, "three requests in the simulator's log");
	ok(same, "all on one TCP connection");
	cJSON_Delete(v);
}

/* 200 with an error body, error keys judged, messages escaped, bodies
 * that are not a JSON object */
static void
t_basics_error_bodies(struct hotwax *h)
{
	/* a 200 whose body holds an error: refused, with its message */
	static const struct {
		const char *fault, *desc, *msg, *msgdesc;
	} bodies[] = {
		{ "{\"kind\":\"error_body\",\"path\":\"performFind\",\"message\":\"Entity NS is locked\"}",
		    "200 + _ERROR_MESSAGE_ is a failure", "Entity NS is locked",
		    "why holds the message" },
		{ "{\"kind\":\"error_list\",\"path\":\"performFind\",\"message\":\"Row 3 is bad\"}",
		    "200 + _ERROR_MESSAGE_LIST_ is a failure", "Row 3 is bad",
		    "why holds the list's message" },
	};
	char *why = NULL;
	size_t i;
	int st, n;

	for (i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		fault(bodies[i].fault);
		st = find(h, "NS-1", &n, &why);
		is_int(st, EX_DATAERR, "%s", bodies[i].desc);
		is_str(why, bodies[i].msg, "%s", bodies[i].msgdesc);
		free(why);
		why = NULL;
	}
	st = find_fresh(h, "{\"kind\":\"status\",\"status\":400,\"path\":\"performFind\"}",
	    &n, &why);
	is_int(st, EX_DATAERR, "HTTP 400 is refused for good");
	is_str(why, "Simulated HTTP 400", "why holds the 400's message");
	is_int(count("POST", "performFind"), 1, "a 400 is not retried");
	free(why);
	why = NULL;
	/* the keys are judged as HotWax's apps do, by JavaScript truthiness */
	fault("{\"kind\":\"status\",\"status\":200,\"path\":\"performFind\","
	    "\"content_type\":\"application/json\","
	    "\"body\":\"{\\\"error\\\":\\\"\\\",\\\"_ERROR_MESSAGE_\\\":null,\\\"count\\\":7}\"}");
	is_int(find(h, "NS-1", &n, &why), 0, "empty error keys are no error");
	is_int(n, 7, "and the answer is returned");
	fault("{\"kind\":\"status\",\"status\":200,\"path\":\"performFind\","
	    "\"body\":\"{\\\"error\\\":{\\\"code\\\":5},\\\"count\\\":7}\"}");
	is_int(find(h, "NS-1", &n, &why), EX_DATAERR, "an error object is an error");
	is_str(why, "{\"code\":5}", "why shows it");
	free(why);
	why = NULL;
	fault("{\"kind\":\"error_body\",\"path\":\"performFind\",\"message\":\"two\\nlines\"}");
	is_int(find(h, "NS-1", &n, &why), EX_DATAERR, "a message of two lines");
	is_str(why, "two\\nlines", "becomes one line, the line feed escaped (not blanked)");
	free(why);
	why = NULL;
	fault("{\"kind\":\"error_body\",\"path\":\"performFind\","
	    "\"message\":\"a\\u001b[2J\\u009b\\u007f \\u00e9\\u202e b\"}");
	is_int(find(h, "NS-1", &n, &why), EX_DATAERR, "a message with ESC, C1, DEL, bidi");
	is_str(why, "a\\x1b[2J\\xc2\\x9b\\x7f \xc3\xa9\\xe2\\x80\\xae b",
	    "... escaped by the one rule, UTF-8 text kept");
	free(why);
	why = NULL;
	fault("{\"kind\":\"not_object\",\"path\":\"performFind\",\"body\":\"<html>maintenance</html>\"}");
	is_int(find(h, "NS-1", &n, &why), EX_PROTOCOL, "a body that is not JSON is EX_PROTOCOL");
	free(why);
	why = NULL;
	fault("{\"kind\":\"not_object\",\"path\":\"performFind\",\"body\":\"[1,2]\"}");
	is_int(find(h, "NS-1", &n, &why), EX_PROTOCOL, "a JSON array is EX_PROTOCOL");
	free(why);
}

/* transient failures: 500s and 503s, dropped and reset connections */
static void
t_basics_transient(struct hotwax *h)
{
	char *why = NULL;
	int st, n;

	st = find_fresh(h, "{\"kind\":\"status\",\"status\":500,\"count\":2,\"path\":\"performFind\"}",
	    &n, &why);
	is_int(st, 0, "500 twice, then success");
	is_int(n, 1, "with the right answer");
	is_int(count("POST", "performFind"), 3, "three requests in the log");
	st = find_fresh(h, "{\"kind\":\"status\",\"status\":503,\"count\":10,\"path\":\"performFind\"}",
	    &n, &why);
	is_int(st, EX_TEMPFAIL, "503 beyond the retries: EX_TEMPFAIL");
	ok(why == NULL, "why is set for EX_DATAERR only");
	is_int(count("POST", "performFind"), 4, "1 + retries (3) requests");
	simdo("POST", "/_sim/faults/clear", NULL);
	free(why);
	why = NULL;

	st = find_fresh(h, "{\"kind\":\"drop_before\",\"path\":\"performFind\"}", &n, &why);
	is_int(st, 0, "connection closed before the answer: retried");
	is_int(count("POST", "performFind"), 2, "two requests in the log");
	st = find_fresh(h, "{\"kind\":\"drop_before\",\"mode\":\"reset\",\"path\":\"performFind\"}",
	    &n, &why);
	is_int(st, 0, "connection reset: retried");
	is_int(count("POST", "performFind"), 2, "two requests in the log");
	free(why);
}

/* 429: the retry waits Retry-After, by the simulator's clock */
static void
t_basics_retry_after(struct hotwax *h)
{
	char *why = NULL;
	double t[2];
	int st, n;

	st = find_fresh(h, "{\"kind\":\"retry_after\",\"seconds\":1,\"path\":\"performFind\"}",
	    &n, &why);
	is_int(st, 0, "429 then success");
	if (request_times(t, 2, "two requests in the log")) {
		ok(t[1] - t[0] >= 0.95, "the retry came %.3f s after the 429 (Retry-After: 1)",
		    t[1] - t[0]);
		ok(t[1] - t[0] < 5, "and not much later");
	}
	free(why);
}

static void
t_basics(struct config *c)
{
	struct hotwax *h;
	const char *err;
	int st;

	cap_start();
	st = hotwax_open(c, &h);
	is_int(st, 0, "open with token_file");
	if (st) {
		cap_show(cap_stop());
		exit(1);
	}
	t_basics_calls(h);
	t_basics_keep_alive();
	t_basics_error_bodies(h);
	t_basics_transient(h);
	t_basics_retry_after(h);
	err = cap_stop();
	ok(strstr(err, "https://127.0.0.1:") && strstr(err, "/api/performFind"),
	    "messages name the URL");
	ok(strstr(err, "Entity NS is locked") != NULL, "messages quote HotWax");
	cap_show(err);
	hotwax_close(h);
}

/* follow the log until processed (the simulator takes 0.2 s) */
static void
t_upload_log(struct hotwax *h, const char *id)
{
	char *why = NULL, *ep;
	int i;

	ep = xasprintf("dataManagerLogs/%s", id ? id : "x");
	for (i = 0; i < 100; i++) {
		cJSON *l = NULL;
		const char *s;

		if (hotwax_get(h, ep, &l, &why) != 0)
			break;
		s = cJSON_GetStringValue(cJSON_GetObjectItem(l, "statusId"));
		if (s && strcmp(s, "SERVICE_FINISHED") == 0) {
			is_int(cJSON_GetObjectItem(l, "failedRecordCount")->valueint, 0,
			    "the log finished with no failed rows");
			cJSON_Delete(l);
			break;
		}
		cJSON_Delete(l);
		usleep(50000);
	}
	ok(i < 100, "the log finished");
	free(ep);
	free(why);
}

/* what arrived, from the simulator's state */
static void
t_upload_arrived(void)
{
	cJSON *st_all, *o, *e, *lg;
	int nlogs = 0, norders = 0, nitems = 0;

	simdo("POST", "/_sim/process", NULL);
	st_all = sim("GET", "/_sim/state", NULL);
	cJSON_ArrayForEach(lg, cJSON_GetObjectItem(st_all, "logs")) {
		nlogs++;
		is_str(cJSON_GetStringValue(cJSON_GetObjectItem(lg, "fileName")), "NS-77.json",
		    "upload %d: the file name given", nlogs);
		is_int(cJSON_GetObjectItem(lg, "totalRecordCount")->valueint, 2,
		    "upload %d: two records", nlogs);
	}
	is_int(nlogs, 2, "the simulator holds two uploads");
	cJSON_ArrayForEach(o, cJSON_GetObjectItem(st_all, "orders")) {
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(o, "externalId")), "NS-77"))
			continue;
		norders++;
		cJSON_ArrayForEach(e, cJSON_GetObjectItem(o, "items"))
			nitems++;
	}
	is_int(norders, 1, "one PO NS-77 (the upsert is idempotent)");
	is_int(nitems, 2, "with two lines");
	cJSON_Delete(st_all);
}

/* upload: multipart, drop after processing is retried (the upsert is idempotent) */
static void
t_upload(struct config *c)
{
	static const char *const fields[] = { "configId", "IMP_PO", NULL };
	const char *rows =
	    "[{\"externalId\":\"NS-77\",\"productSku\":\"SKU-A\",\"quantity\":5,"
	    "\"externalFacilityId\":\"116\",\"itemExternalId\":\"1\",\"arrivalDate\":\"12/24/2026\"},"
	    "{\"externalId\":\"NS-77\",\"productSku\":\"SKU-B\",\"quantity\":2.5,"
	    "\"externalFacilityId\":\"116\",\"itemExternalId\":\"2\"}]";
	char *path = path_join(scratch, "batch-77.json"), *why = NULL;
	struct hotwax *h;
	cJSON *r = NULL;
	const char *id, *err;
	int st;

	put_file(path, rows, 0640);
	simdo("POST", "/_sim/seed", "{\"products\":[{\"productId\":\"P-A\",\"sku\":\"SKU-A\"},"
	    "{\"productId\":\"P-B\",\"sku\":\"SKU-B\"}],"
	    "\"facilities\":[{\"facilityId\":\"FAC-116\",\"externalId\":\"116\"}]}");
	h = open_captured(c);
	clear_log();
	fault("{\"kind\":\"drop_after\",\"path\":\"uploadJsonFile\"}");
	st = hotwax_upload(h, "uploadJsonFile", "uploadedFile", path, "NS-77.json",
	    fields, &r, &why);
	is_int(st, 0, "upload, dropped after processing, retried: success");
	is_int(count("POST", "uploadJsonFile"), 2, "two uploads in the log");
	id = cJSON_GetStringValue(cJSON_GetObjectItem(r, "logId"));
	ok(id != NULL, "the answer has a logId (%s)", id ? id : "NULL");
	free(why);
	why = NULL;
	t_upload_log(h, id);
	cJSON_Delete(r);
	t_upload_arrived();

	r = NULL;
	st = hotwax_upload(h, "uploadJsonFile", "uploadedFile", "/nonexistent/b.json",
	    "b.json", fields, &r, &why);
	is_int(st, EX_IOERR, "a missing batch file is a local error");
	err = cap_stop();
	ok(strstr(err, "/nonexistent/b.json") != NULL, "naming the file");
	cap_show(err);
	hotwax_close(h);
	free(path);
}

/* Retries back off exponentially with jitter: with a 200 ms base the
 * first wait is drawn in [100, 200] ms and the second in [200, 400] ms,
 * measured by the simulator's clock between the requests it received. */
static void
t_backoff(struct config *c)
{
	struct hotwax *h;
	char *why = NULL, *saved;
	const char *err;
	double t[3];
	int n, st;

	saved = backoff_set("200");
	h = open_captured(c);
	st = find_fresh(h, "{\"kind\":\"status\",\"status\":500,\"count\":2,\"path\":\"performFind\"}",
	    &n, &why);
	is_int(st, 0, "backoff: 500 twice, then success");
	if (request_times(t, 3, "backoff: three requests in the log")) {
		ok(t[1] - t[0] >= 0.095, "first retry waited %.3f s (at least base/2 = 0.1)",
		    t[1] - t[0]);
		ok(t[2] - t[1] >= 0.195, "second retry waited %.3f s (at least base = 0.2: doubled)",
		    t[2] - t[1]);
		ok(t[2] - t[0] < 3, "and neither waited much more than its draw (%.3f s in all)",
		    t[2] - t[0]);
	}
	hotwax_close(h);
	free(why);
	err = cap_stop();
	cap_show(err);
	backoff_restore(saved);
}

/* a timeout is retried */
static void
t_timeout(struct config *c)
{
	struct hotwax *h;
	char *why = NULL;
	const char *err;
	int n, st;

	c->hotwax.timeout = 1;
	h = open_captured(c);
	st = find_fresh(h, "{\"kind\":\"delay\",\"seconds\":3,\"path\":\"performFind\"}", &n, &why);
	is_int(st, 0, "a request that times out is retried");
	is_int(count("POST", "performFind"), 2, "two requests in the log");
	hotwax_close(h);
	free(why);
	err = cap_stop();
	cap_show(err);
	c->hotwax.timeout = 10;
}

/* hotwax_deadline (po-import's log_wait): no request starts after it, a
 * request HotWax sits on is cut at it, a retry that would wait past it is
 * not made, and without it calls go on as before. */
static void
t_deadline(struct config *c)
{
	struct hotwax *h;
	char *why = NULL, *saved;
	const char *err;
	int64_t t0;
	int n, st;

	saved = backoff_set("2000");	/* a retry waits 1 to 2 s */
	h = open_captured(c);
	hotwax_deadline(h, mono_ms() - 1);
	st = find_fresh(h, NULL, &n, &why);
	is_int(st, HOTWAX_LATE, "deadline passed: HOTWAX_LATE");
	is_int(count("POST", "performFind"), 0, "  and no request was sent");

	t0 = mono_ms();
	hotwax_deadline(h, t0 + 500);
	st = find_fresh(h, "{\"kind\":\"delay\",\"seconds\":5,\"path\":\"performFind\"}",
	    &n, &why);
	is_int(st, HOTWAX_LATE, "HotWax sits on a request, 0.5 s left: HOTWAX_LATE");
	ok(mono_ms() - t0 < 2500, "  cut after %lld ms, not at [hotwax] timeout (%d s)",
	    (long long)(mono_ms() - t0), c->hotwax.timeout);
	is_int(count("POST", "performFind"), 1, "  one request, not retried");

	t0 = mono_ms();
	hotwax_deadline(h, t0 + 500);
	st = find_fresh(h, "{\"kind\":\"status\",\"status\":503,\"count\":3,"
	    "\"path\":\"performFind\"}", &n, &why);
	is_int(st, EX_TEMPFAIL, "a 503 with no time left to retry: EX_TEMPFAIL");
	is_int(count("POST", "performFind"), 1, "  after one request");
	ok(mono_ms() - t0 < 500, "  at once (%lld ms), not after the backoff",
	    (long long)(mono_ms() - t0));
	err = cap_stop();
	ok(strstr(err, "no time left") != NULL, "  said: no time left for another try");
	cap_show(err);

	simdo("POST", "/_sim/faults/clear", NULL);
	cap_start();
	hotwax_deadline(h, 0);
	st = find_fresh(h, NULL, &n, &why);
	is_int(st, 0, "no deadline: the call goes on");
	hotwax_close(h);
	free(why);
	cap_show(cap_stop());
	backoff_restore(saved);
}

static void
t_login(struct config *c, const char *user, const char *pwfile)
{
	struct config lc = *c;
	struct hotwax *h;
	char *why = NULL, *badpw;
	const char *err;
	int n, st;

	lc.hotwax.token_file = NULL;
	lc.hotwax.username = (char *)user;
	lc.hotwax.password_file = (char *)pwfile;
	cap_start();
	is_int(hotwax_open(&lc, &h), 0, "open with username and password_file");
	is_int(find_fresh(h, NULL, &n, &why), 0, "a call logs in first");
	is_int(count("POST", "login"), 1, "one login");
	is_int(find(h, "NS-1", &n, &why), 0, "a second call");
	is_int(count("POST", "login"), 1, "uses the same token");
	st = find_fresh(h, "{\"kind\":\"expire_tokens\",\"path\":\"performFind\"}", &n, &why);
	is_int(st, 0, "tokens expired: the call still succeeds");
	is_int(n, 1, "with the right answer");
	is_int(count("POST", "login"), 1, "after exactly one fresh login");
	is_int(count("POST", "performFind"), 2, "and one retry of the call");
	st = find_fresh(h, "{\"kind\":\"status\",\"status\":401,\"count\":2,\"path\":\"performFind\"}",
	    &n, &why);
	is_int(st, EX_NOPERM, "401 again after the re-login: EX_NOPERM");
	is_int(count("POST", "login"), 1, "only one re-login per call");
	hotwax_close(h);
	free(why);
	why = NULL;

	badpw = path_join(scratch, "bad.password");
	put_file(badpw, "not-the-password\n", 0600);
	lc.hotwax.password_file = badpw;
	is_int(hotwax_open(&lc, &h), 0, "open with a wrong password");
	is_int(find(h, "NS-1", &n, &why), EX_NOPERM, "a refused login is EX_NOPERM");
	hotwax_close(h);
	free(why);
	free(badpw);
	err = cap_stop();
	ok(strstr(err, "401") != NULL, "the refusal is said on stderr");
	cap_show(err);
}

static void
t_refusals(struct config *c, const char *token)
{
	struct config lc = *c;
	struct hotwax *h = NULL;
	char *why = NULL, *bad, *url;
	const char *err;
	int n;

	cap_start();
	/* a token HotWax does not know, and no username to log in with */
	bad = path_join(scratch, "bad.token");
	put_file(bad, "0123456789abcdef-not-a-token\n", 0600);
	lc.hotwax.token_file = bad;
	is_int(hotwax_open(&lc, &h), 0, "open with an unknown token");
	is_int(find_fresh(h, NULL, &n, &why), EX_NOPERM, "401 with no username: EX_NOPERM");
	is_int(count("POST", "performFind"), 1, "not retried");
	is_int(count("POST", "login"), 0, "no login tried");
	hotwax_close(h);
	free(why);
	why = NULL;
	lc.hotwax.token_file = c->hotwax.token_file;

	/* a CA that did not sign the server's certificate */
	lc.hotwax.ca_file = (char *)other_ca;
	is_int(hotwax_open(&lc, &h), 0, "open with another CA");
	n = find_fresh(h, NULL, &n, &why);
	ok(n != 0, "the server's certificate is refused (status %d)", n);
	is_int(n, EX_NOPERM, "as EX_NOPERM (not trusted)");
	is_int(count("POST", "performFind"), 0, "no request reached the server");
	hotwax_close(h);
	free(why);
	why = NULL;
	lc.hotwax.ca_file = c->hotwax.ca_file;
	err = cap_stop();
	ok(strstr(err, "/api/performFind") && strstr(err, "certificate"),
	    "the refusal names the URL and the certificate");
	cap_show(err);

	/* plain http */
	cap_start();
	url = xasprintf("http://127.0.0.1:%s/api/", port);
	lc.hotwax.base_url = url;
	h = NULL;
	is_int(hotwax_open(&lc, &h), EX_CONFIG, "http:// refused without allow_http");
	ok(h == NULL, "no handle");
	lc.hotwax.allow_http = 1;
	is_int(hotwax_open(&lc, &h), 0, "http:// to 127.0.0.1 with allow_http");
	hotwax_close(h);
	h = NULL;
	lc.hotwax.base_url = "http://[::1]:8080/api/";
	is_int(hotwax_open(&lc, &h), 0, "http:// to [::1] with allow_http");
	hotwax_close(h);
	h = NULL;
	lc.hotwax.base_url = "http://hotwax.example.com/api/";
	is_int(hotwax_open(&lc, &h), EX_CONFIG, "http:// to another host refused even with allow_http");
	lc.hotwax.base_url = "https://user:pw-secret@127.0.0.1/api/";
	is_int(hotwax_open(&lc, &h), EX_CONFIG, "credentials in base_url refused");
	lc.hotwax.base_url = "ftp://127.0.0.1/api/";
	is_int(hotwax_open(&lc, &h), EX_CONFIG, "ftp:// refused");
	lc.hotwax.base_url = NULL;
	is_int(hotwax_open(&lc, &h), EX_CONFIG, "no base_url: EX_CONFIG");
	lc.hotwax.base_url = c->hotwax.base_url;
	lc.hotwax.allow_http = 0;
	lc.hotwax.token_file = NULL;
	is_int(hotwax_open(&lc, &h), EX_CONFIG, "no credentials: EX_CONFIG");
	free(url);
	free(bad);
	err = cap_stop();
	ok(strstr(err, "plain http is refused") != NULL, "http refusal said");
	ok(strstr(err, "pw-secret") == NULL, "a password in base_url is not repeated");
	cap_show(err);
	(void)token;
}

/* A reply shown in a message: escaped by the one rule, not altered, and
 * cut at a whole character. */
static void
t_excerpt(void)
{
	cJSON *o = cJSON_Parse("{\"m\":\"\\u007f\\u009b\\u00e9\"}");
	char *e = hotwax_excerpt(o), big[400];

	is_str(e, "{\"m\":\"\\x7f\\xc2\\x9b\xc3\xa9\"}", "excerpt: DEL and C1 escaped, UTF-8 kept");
	free(e);
	cJSON_Delete(o);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	o = cJSON_CreateString(big);
	e = hotwax_excerpt(o);
	ok(strlen(e) < 200 && strlen(e) > 150 && strcmp(e + strlen(e) - 3, "...") == 0 &&
	    e[0] == '"' && strspn(e + 1, "x") == strlen(e) - 4,
	    "excerpt: a long reply cut under 200 bytes, ending in ...");
	free(e);
	cJSON_Delete(o);
}

/* The data-manager protocol's pure parts: the id rule, the log status. */
static void
t_protocol(void)
{
	static const char *const st[] = { "SERVICE_PENDING", "SERVICE_RUNNING",
	    "SERVICE_FINISHED", "SERVICE_FAILED", "SERVICE_CANCELLED", NULL };
	static const enum hotwax_log_status want[] = { HOTWAX_LOG_RUNNING,
	    HOTWAX_LOG_RUNNING, HOTWAX_LOG_FINISHED, HOTWAX_LOG_FAILED,
	    HOTWAX_LOG_UNKNOWN };
	char id[HOTWAX_ID_MAX + 2];
	const char *raw;
	cJSON *o;
	const cJSON *raw_e;
	long rows[4];
	int i;

	ok(hotwax_good_id("M100:7.a-b_C"), "good id: letters, digits, ._:-");
	ok(!hotwax_good_id(""), "good id: not empty");
	ok(!hotwax_good_id(".x"), "good id: not starting with '.'");
	ok(!hotwax_good_id("a/b") && !hotwax_good_id("a b"),
	    "good id: no '/' nor blank");
	memset(id, 'a', sizeof id - 1);
	id[sizeof id - 1] = '\0';
	ok(!hotwax_good_id(id), "good id: at most HOTWAX_ID_MAX bytes");
	id[HOTWAX_ID_MAX] = '\0';
	ok(hotwax_good_id(id), "good id: HOTWAX_ID_MAX bytes are fine");
	for (i = 0; st[i]; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "statusId", st[i]);
		is_int(hotwax_log_status(o, &raw), want[i], "log status %s", st[i]);
		is_str(raw, st[i], "... its raw statusId");
		cJSON_Delete(o);
	}
	o = cJSON_CreateObject();
	is_int(hotwax_log_status(o, &raw), HOTWAX_LOG_UNKNOWN, "no statusId: unknown");
	ok(raw == NULL, "... and no raw statusId");
	cJSON_Delete(o);
	is_str(hotwax_log_status_name(HOTWAX_LOG_FAILED), "SERVICE_FAILED",
	    "a failed log's statusId");
	is_str(hotwax_log_status_name(HOTWAX_LOG_FINISHED), "SERVICE_FINISHED",
	    "a finished log's statusId");
	o = cJSON_Parse("{\"failedRecordCount\": 2, \"totalRecordCount\": \"3\","
	    " \"errors\": [{\"rowIndex\": 1, \"message\": \"m\"},"
	    " {\"rowIndex\": 3}, {\"rowIndex\": 0.5}, {}]}");
	is_int(hotwax_log_count(o, HOTWAX_LOG_FAILED_ROWS), 2, "log count: a number");
	is_int(hotwax_log_count(o, HOTWAX_LOG_ALL_ROWS), -1, "log count: a string is none");
	i = 0;
	cJSON_ArrayForEach(raw_e, hotwax_log_errors(o))
		rows[i++] = hotwax_log_row(raw_e, 3);
	ok(i == 4 && rows[0] == 1 && rows[1] == -1 && rows[2] == -1 &&
	    rows[3] == -1, "log rows: a whole number below the batch's size, else none");
	is_str(hotwax_log_message(hotwax_log_errors(o)->child), "m", "log error: its message");
	cJSON_Delete(o);
}

int
main(void)
{
	struct config c;
	const char *user = getenv("HW_USER"), *pwfile = getenv("HW_PASSWORD_FILE");
	char *token, *pw, *seed;

	port = getenv("HOTWAX_PORT");
	ca = getenv("HOTWAX_CA");
	other_ca = getenv("HOTWAX_OTHER_CA");
	if (!port || !ca || !other_ca || !user || !pwfile) {
		printf("Bail out! HOTWAX_PORT, HOTWAX_CA, HOTWAX_OTHER_CA, HW_USER or "
		    "HW_PASSWORD_FILE unset: run tests/0202-hotwax.t\n");
		return 1;
	}
	msg_init("hotwax-test");
	verbose = 1;	/* retry notes too must not show the token */
	scratch_init("unit-hotwax");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	ctl = curl_easy_init();
	if (config_load(&c, NULL) != 0) {
		printf("not ok 1 - config_load\n1..1\n");
		return 1;
	}
	token = slurp_line(c.hotwax.token_file);
	pw = slurp_line(pwfile);

	t_excerpt();
	t_protocol();
	t_basics(&c);
	t_upload(&c);
	t_backoff(&c);
	t_timeout(&c);
	t_deadline(&c);
	t_login(&c, user, pwfile);
	/* expire_tokens dropped the seeded API token too: seed it again */
	seed = xasprintf("{\"tokens\":[\"%s\"]}", token);
	simdo("POST", "/_sim/seed", seed);
	free(seed);
	t_refusals(&c, token);

	ok(all_err.len > 0, "the client said things on stderr (%zu bytes)", all_err.len);
	ok(!strstr(all_err.s ? all_err.s : "", token), "the token never appears on stderr");
	ok(!strstr(all_err.s ? all_err.s : "", pw), "the password never appears on stderr");

	buf_free(&all_err);
	explicit_bzero(token, strlen(token));
	free(token);
	free(pw);
	scratch_remove();
	config_free(&c);
	curl_easy_cleanup(ctl);
	curl_global_cleanup();
	return done_testing();
}
