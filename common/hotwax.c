/*
 * hotwax -- see hotwax.h.  One libcurl easy handle serves the whole run,
 * so its connection cache keeps one TLS connection alive between calls.
 *
 * Every call goes through call(): it attaches the token, classifies the
 * answer (success, refused for good, transient, authentication) and loops
 * for the transient ones with exponential backoff and jitter.  A 401 logs
 * in again once per call when a username is configured; the re-login does
 * not use up a retry.  The token lives only in struct hotwax and in the
 * header list of the request under way, which is wiped before it is freed;
 * CURLOPT_VERBOSE is never set, so curl never prints it.
 *
 * The backoff base is 500 ms, doubled per retry up to 30 s, each delay
 * drawn at random in [d/2, d].  The environment variable POSYNC_BACKOFF_MS
 * sets the base (the tests use a few milliseconds).  429 waits Retry-After
 * (at most RETRY_AFTER_MAX seconds) instead.  A caller's deadline
 * (hotwax_deadline: po-import's log_wait) cuts each request's timeout to
 * the time left and stops a retry that would wait past it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "config.h"
#include "hotwax.h"
#include "metrics.h"
#include "msg.h"
#include "prog.h"
#include "util.h"

/*
 * Reply caps, enforced while the body arrives (a hostile or broken server
 * once sent 60 MiB for one page, and the parse took 1.7 GB).  Each fits
 * its call with room to spare: a login or upload answer is a few hundred
 * bytes; a performFind page holds at most 250 documents of well under a
 * KiB; a data-manager log lists at most one error per row of a batch, so
 * its cap grows with [hotwax] batch_size between LOG_CAP_MIN and
 * LOG_CAP_MAX.  Crossing a cap is EX_PROTOCOL, naming the URL and the cap.
 */
#define CAP_LOGIN	(64u << 10)
#define CAP_UPLOAD	(256u << 10)
#define CAP_FIND	(4u << 20)
#define CAP_OTHER	(1u << 20)
#define LOG_CAP_ROW	2048u		/* bytes per row of a batch */
#define LOG_CAP_MIN	(4u << 20)
#define LOG_CAP_MAX	(32u << 20)
#define BACKOFF_BASE_MS	500
#define BACKOFF_MAX_MS	30000
#define RETRY_AFTER_MAX	120		/* seconds; a longer wish is cut */
#define WHY_MAX		8192		/* bytes of HotWax's words kept */
#define EXCERPT_MAX	200		/* bytes of a reply shown in a message */

struct hotwax {
	CURL *curl;
	char *base;		/* base_url, ending in '/' */
	char *ca_file;
	char *proxy;		/* [hotwax] proxy, or NULL */
	int loopback;		/* base_url's host is this machine: never a proxy */
	char *token;		/* NULL until read or logged in */
	char *username;		/* NULL: no re-login possible */
	char *password_file;
	long timeout;
	int64_t deadline;	/* mono_ms(), 0: none (hotwax_deadline) */
	int cut;		/* this request's timeout was cut to the deadline */
	int retries;
	long backoff_ms;
	unsigned rnd;		/* jitter state */
	struct buf body;	/* the response under way */
	size_t cap;		/* its size limit: reply_cap() */
	size_t log_cap;		/* the cap for dataManagerLogs */
	int too_big;
	char errbuf[CURL_ERROR_SIZE];
};

/* One request, as call() retries it. */
struct req {
	const char *method;	/* "GET" or "POST" */
	const char *endpoint;
	const char *json;	/* POST body, or NULL */
	const struct upload *up;	/* multipart body, or NULL */
	int auth;		/* 0 for login itself */
};

/* A multipart body.  It is built afresh for every attempt: a curl_mime
 * reused after a dropped connection is not always rewound, and the retry
 * then sends a short body. */
struct upload {
	const char *file_field, *path, *filename;
	const char *const *fields;	/* name, value, ..., NULL */
};

static void
wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

static size_t
on_data(char *p, size_t size, size_t n, void *arg)
{
	struct hotwax *h = arg;
	size_t len = size * n;

	if (h->body.len > h->cap || len > h->cap - h->body.len) {
		h->too_big = 1;
		return 0;	/* curl stops with CURLE_WRITE_ERROR */
	}
	buf_add(&h->body, p, len);
	return len;
}

/* The cap for one endpoint's replies: see the top of the file. */
static size_t
reply_cap(const struct hotwax *h, const char *endpoint)
{
	if (strcmp(endpoint, "login") == 0)
		return CAP_LOGIN;
	if (strcmp(endpoint, "uploadJsonFile") == 0)
		return CAP_UPLOAD;
	if (strcmp(endpoint, "performFind") == 0)
		return CAP_FIND;
	if (strncmp(endpoint, "dataManagerLogs/", 16) == 0)
		return h->log_cap;
	return CAP_OTHER;
}

/* https always; http only when allowed and then only to this machine,
 * where nobody can read the token on the wire. */
static int
check_url(const char *url, int allow_http, int *loopback)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *user = NULL, *extra = NULL;
	int st = EX_CONFIG;

	if (!u)
		msg_die(EX_OSERR, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		msg_warn("[hotwax] base_url is not a URL");
	} else if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
		/* it would be printed in every message naming a URL */
		msg_warn("[hotwax] base_url holds a user name: credentials belong "
		    "in token_file, or username and password_file");
	} else if (curl_url_get(u, CURLUPART_QUERY, &extra, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_FRAGMENT, &extra, 0) == CURLUE_OK) {
		msg_warn("[hotwax] base_url %s: endpoints are appended to it, so it "
		    "cannot have a query or fragment", url);
	} else if (strcasecmp(scheme, "https") == 0) {
		*loopback = host_is_loopback(host);
		st = 0;
	} else if (strcasecmp(scheme, "http") != 0) {
		msg_warn("[hotwax] base_url %s: only https is spoken", url);
	} else if (!allow_http) {
		msg_warn("[hotwax] base_url %s: plain http is refused "
		    "(allow_http = 1 allows it for a loopback host)", url);
	} else if (!host_is_loopback(host)) {
		msg_warn("[hotwax] base_url %s: plain http is allowed only "
		    "to a loopback host, not %s", url, host);
	} else {
		*loopback = 1;
		st = 0;
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_free(extra);
	curl_url_cleanup(u);
	return st;
}

/*
 * [hotwax] proxy: an http:// or https:// proxy URL, host and port only.
 * HotWax is reached through it with CONNECT, so the proxy carries TLS it
 * cannot read.  A user name or password in the URL is refused: it would
 * be a secret in the configuration and in every message naming the proxy.
 */
static int
check_proxy(const char *proxy)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *x = NULL;
	int st = EX_CONFIG;

	if (!u)
		msg_die(EX_OSERR, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, proxy, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		msg_warn("[hotwax] proxy %s is not a URL (http://HOST:PORT)", proxy);
	} else if (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0) {
		msg_warn("[hotwax] proxy %s: only http:// and https:// proxies are "
		    "spoken", proxy);
	} else if (curl_url_get(u, CURLUPART_USER, &x, 0) == CURLUE_OK) {
		msg_warn("[hotwax] proxy: a user name or password in the proxy URL "
		    "is not supported");
	} else if (curl_url_get(u, CURLUPART_QUERY, &x, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_FRAGMENT, &x, 0) == CURLUE_OK) {
		msg_warn("[hotwax] proxy %s: a proxy URL has no query or fragment", proxy);
	} else {
		st = 0;
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(x);
	curl_url_cleanup(u);
	return st;
}

int
hotwax_open(const struct config *c, struct hotwax **out)
{
	struct hotwax *h;
	const char *b = c->hotwax.base_url, *e;
	size_t n;
	int st, loop = 0;

	*out = NULL;
	if (!b || !*b) {
		msg_warn("%s: [hotwax] base_url is not set", c->path ? c->path : "config");
		return EX_CONFIG;
	}
	if ((st = check_url(b, c->hotwax.allow_http, &loop)) != 0)
		return st;
	if (c->hotwax.proxy && (st = check_proxy(c->hotwax.proxy)) != 0)
		return st;
	if (!c->hotwax.token_file && !c->hotwax.username) {
		msg_warn("%s: [hotwax] needs token_file, or username and "
		    "password_file", c->path ? c->path : "config");
		return EX_CONFIG;
	}
	if (c->hotwax.username && !c->hotwax.password_file) {
		msg_warn("%s: [hotwax] username %s has no password_file",
		    c->path ? c->path : "config", c->hotwax.username);
		return EX_CONFIG;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		msg_warn("libcurl could not be initialised");
		return EX_SOFTWARE;
	}
	h = xcalloc(1, sizeof *h);
	n = strlen(b);
	h->base = b[n - 1] == '/' ? xstrdup(b) : xasprintf("%s/", b);
	h->ca_file = c->hotwax.ca_file ? xstrdup(c->hotwax.ca_file) : NULL;
	h->loopback = loop;
	h->proxy = c->hotwax.proxy && !loop ? xstrdup(c->hotwax.proxy) : NULL;
	if (c->hotwax.proxy && loop)
		msg_info("[hotwax] proxy is not used: %s is this machine", b);
	h->username = c->hotwax.username ? xstrdup(c->hotwax.username) : NULL;
	h->password_file = c->hotwax.password_file ?
	    xstrdup(c->hotwax.password_file) : NULL;
	h->timeout = c->hotwax.timeout > 0 ? c->hotwax.timeout : 60;
	h->retries = c->hotwax.retries >= 0 ? c->hotwax.retries : 0;
	h->log_cap = c->hotwax.batch_size > 0 ? (size_t)c->hotwax.batch_size *
	    LOG_CAP_ROW : 0;
	if (h->log_cap < LOG_CAP_MIN)
		h->log_cap = LOG_CAP_MIN;
	if (h->log_cap > LOG_CAP_MAX)
		h->log_cap = LOG_CAP_MAX;
	h->backoff_ms = BACKOFF_BASE_MS;
	if ((e = getenv("POSYNC_BACKOFF_MS")) && *e) {
		char *end;
		long v = strtol(e, &end, 10);

		if (*end == 0 && v >= 0 && v <= BACKOFF_MAX_MS)
			h->backoff_ms = v;
	}
	h->rnd = (unsigned)(now_ms() ^ ((int64_t)getpid() << 16));
	if (c->hotwax.token_file) {
		h->token = config_secret(c->hotwax.token_file, "[hotwax] token_file");
		if (!h->token) {
			hotwax_close(h);
			return EX_CONFIG;
		}
	}
	h->curl = curl_easy_init();
	if (!h->curl) {
		msg_warn("libcurl could not make a handle");
		hotwax_close(h);
		return EX_SOFTWARE;
	}
	*out = h;
	return 0;
}

void
hotwax_close(struct hotwax *h)
{
	if (!h)
		return;
	if (h->curl)
		curl_easy_cleanup(h->curl);
	curl_global_cleanup();
	free(h->base);
	free(h->ca_file);
	free(h->proxy);
	wipe_free(h->token);
	free(h->username);
	free(h->password_file);
	buf_free(&h->body);
	free(h);
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static long
backoff(struct hotwax *h, int attempt)
{
	long d = h->backoff_ms;

	while (attempt-- > 0 && d < BACKOFF_MAX_MS)
		d *= 2;
	if (d > BACKOFF_MAX_MS)
		d = BACKOFF_MAX_MS;
	if (d < 2)
		return d;
	/* jitter, so many clients that failed together do not come back together */
	return d / 2 + (long)(rand_r(&h->rnd) % (unsigned)(d / 2 + 1));
}

/* JavaScript's !!v, as HotWax's own apps judge these keys (oms-api
 * hasError): "", 0, null and false are no error; [] and {} are. */
static int
truthy(const cJSON *v)
{
	if (!v || cJSON_IsNull(v) || cJSON_IsFalse(v))
		return 0;
	if (cJSON_IsString(v))
		return v->valuestring && *v->valuestring;
	if (cJSON_IsNumber(v))
		return v->valuedouble != 0;
	return 1;
}

/*
 * HotWax's text as one line of at most max bytes, malloc'd: escaped by the
 * one rule every message gets (msg.h, esc_mem), so a newline in it shows
 * as \n rather than being lost or forging a line, and cut at a whole
 * character or escape with "..." when longer.  The result is escaped
 * already: the sinks leave it as it is.
 */
static char *
one_line(const char *s, size_t n, size_t max)
{
	char *out = xmalloc(max + 1);

	if (esc_mem(out, max - 3, s, n) < n)
		strcat(out, "...");
	return out;
}

/* HotWax's own words from an error body, or NULL when it has none
 * (contracts.md section 2: _ERROR_MESSAGE_, _ERROR_MESSAGE_LIST_, error). */
static char *
error_text(const cJSON *o)
{
	static const char *const keys[] = { "_ERROR_MESSAGE_", "_ERROR_MESSAGE_LIST_", "error" };
	struct buf b = {0};
	const cJSON *v, *e;
	size_t i;
	char *s;

	if (!cJSON_IsObject(o))
		return NULL;
	for (i = 0; i < sizeof keys / sizeof *keys; i++) {
		if (!truthy(v = cJSON_GetObjectItemCaseSensitive(o, keys[i])))
			continue;
		if (cJSON_IsArray(v)) {
			cJSON_ArrayForEach(e, v) {
				if (b.len)
					buf_adds(&b, "; ");
				if (cJSON_IsString(e)) {
					buf_adds(&b, e->valuestring);
				} else if (cJSON_IsObject(e) && cJSON_IsString(
				    cJSON_GetObjectItemCaseSensitive(e, "message"))) {
					buf_adds(&b, cJSON_GetObjectItemCaseSensitive(e,
					    "message")->valuestring);
				} else if ((s = cJSON_PrintUnformatted(e))) {
					buf_adds(&b, s);
					free(s);
				}
			}
		} else if (cJSON_IsString(v)) {
			if (b.len)
				buf_adds(&b, "; ");
			buf_adds(&b, v->valuestring);
		} else if ((s = cJSON_PrintUnformatted(v))) {
			if (b.len)
				buf_adds(&b, "; ");
			buf_adds(&b, s);
			free(s);
		}
		if (!b.len)	/* an empty list still says "error" */
			buf_adds(&b, keys[i]);
	}
	if (!b.s)
		return NULL;
	s = one_line(b.s, b.len, WHY_MAX);
	buf_free(&b);
	return s;
}

static int
transient_curl(CURLcode rc)
{
	switch (rc) {
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:	/* a handshake cut short */
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

static int
tls_refused(CURLcode rc)
{
	return rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE ||
	    rc == CURLE_SSL_ISSUER_ERROR || rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH ||
	    rc == CURLE_SSL_INVALIDCERTSTATUS;
}

static curl_mime *
make_mime(CURL *c, const struct upload *up)
{
	const char *const *f;
	curl_mimepart *part;
	curl_mime *m;

	if (!(m = curl_mime_init(c)) || !(part = curl_mime_addpart(m)))
		msg_die(EX_OSERR, "out of memory");
	if (curl_mime_name(part, up->file_field) != CURLE_OK ||
	    curl_mime_filedata(part, up->path) != CURLE_OK ||
	    curl_mime_filename(part, up->filename) != CURLE_OK ||
	    curl_mime_type(part, "application/json") != CURLE_OK)
		msg_die(EX_OSERR, "out of memory");
	for (f = up->fields; f && f[0] && f[1]; f += 2) {
		if (!(part = curl_mime_addpart(m)) ||
		    curl_mime_name(part, f[0]) != CURLE_OK ||
		    curl_mime_data(part, f[1], CURL_ZERO_TERMINATED) != CURLE_OK)
			msg_die(EX_OSERR, "out of memory");
	}
	return m;
}

/*
 * Which proxy, if any.  A loopback HotWax never goes through one: "" turns
 * off libcurl's proxy environment variables too (http_proxy once made it
 * send the token in clear to a proxy, over allow_http).  [hotwax] proxy,
 * when set, is the whole truth: the environment's proxy and no_proxy are
 * ignored.  Otherwise libcurl reads https_proxy, HTTPS_PROXY, ALL_PROXY and
 * NO_PROXY (and their lower-case forms) as usual; http_proxy would only
 * serve http://, which is loopback only.  Always a CONNECT tunnel, so a
 * proxy never sees a request, only TLS.
 */
static void
set_proxy(struct hotwax *h)
{
	CURL *c = h->curl;

	if (h->loopback) {
		curl_easy_setopt(c, CURLOPT_PROXY, "");
		return;
	}
	curl_easy_setopt(c, CURLOPT_HTTPPROXYTUNNEL, 1L);
	if (h->proxy) {
		curl_easy_setopt(c, CURLOPT_PROXY, h->proxy);
		curl_easy_setopt(c, CURLOPT_NOPROXY, "");
	}
}

void
hotwax_deadline(struct hotwax *h, int64_t at)
{
	h->deadline = at;
}

/* 1 when the caller's time is up (hotwax_deadline). */
static int
late(const struct hotwax *h, long more_ms)
{
	return h->deadline && mono_ms() + more_ms >= h->deadline;
}

/* The timeout of the next request: [hotwax] timeout, cut to the time
 * left before the deadline (h->cut says it was). */
static long
request_ms(struct hotwax *h)
{
	long ms = h->timeout * 1000;
	int64_t left;

	h->cut = 0;
	if (h->deadline && (left = h->deadline - mono_ms()) < ms) {
		ms = left > 1 ? (long)left : 1;
		h->cut = 1;
	}
	return ms;
}

/* The bodies one transfer moved, each way, for the metrics (a failed
 * attempt's too: they crossed the wire). */
static void
count_bytes(CURL *c)
{
	curl_off_t n;

	if (curl_easy_getinfo(c, CURLINFO_SIZE_UPLOAD_T, &n) == CURLE_OK)
		metric_add(M_UPLOADED_BYTES, (long long)n);
	if (curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &n) == CURLE_OK)
		metric_add(M_DOWNLOADED_BYTES, (long long)n);
}

/* One transfer.  Returns curl's code; *status is the HTTP status. */
static CURLcode
perform(struct hotwax *h, const struct req *rq, const char *url, long *status,
    long *retry_after)
{
	struct curl_slist *hdr = NULL, *p;
	CURL *c = h->curl;
	curl_mime *mime = NULL;
	curl_off_t ra = 0;
	char *auth = NULL;
	CURLcode rc;

	/* reset keeps the connection cache: the next call reuses the connection */
	curl_easy_reset(c);
	buf_reset(&h->body);
	h->too_big = 0;
	h->errbuf[0] = 0;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, h->ca_file);
	set_proxy(h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, request_ms(h));
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, request_ms(h));
	curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "posync/" POSYNC_VERSION);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
	/* a Content-Length over the cap ends the transfer before the body */
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)h->cap);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
	hdr = curl_slist_append(hdr, "Accept: application/json");
	hdr = curl_slist_append(hdr, "Expect:");	/* no 100-continue round trip */
	if (rq->auth && h->token) {
		auth = xasprintf("Authorization: Bearer %s", h->token);
		hdr = curl_slist_append(hdr, auth);
		wipe_free(auth);
	}
	if (rq->json) {
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->json);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)strlen(rq->json));
	} else if (rq->up) {
		mime = make_mime(c, rq->up);
		curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
	} else {
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	}
	if (!hdr)
		msg_die(EX_OSERR, "out of memory");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	rc = curl_easy_perform(c);
	count_bytes(c);
	*status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &ra) != CURLE_OK || ra < 0)
		ra = 0;
	*retry_after = ra > RETRY_AFTER_MAX ? RETRY_AFTER_MAX : (long)ra;
	/* the headers held the token: wipe before freeing */
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	for (p = hdr; p; p = p->next)
		explicit_bzero(p->data, strlen(p->data));
	curl_slist_free_all(hdr);
	curl_easy_setopt(c, CURLOPT_MIMEPOST, NULL);
	curl_mime_free(mime);
	return rc;
}

static int login(struct hotwax *h);

static void
set_why(char **why, const char *s)
{
	if (why) {
		free(*why);
		*why = s ? xstrdup(s) : NULL;
	}
}

/* HotWax's words in a refusal, quoted for a message: the first string of
 * its error keys, else the body as it came (a proxy's or a server's HTML
 * page); malloc'd. */
static char *
refusal_words(const struct hotwax *h)
{
	static const char *const keys[] = { "_ERROR_MESSAGE_", "_ERROR_MESSAGE_LIST_", "error" };
	cJSON *o = cJSON_ParseWithLength(h->body.s ? h->body.s : "", h->body.len);
	const cJSON *v;
	char *q = NULL;
	size_t i;

	for (i = 0; !q && cJSON_IsObject(o) && i < sizeof keys / sizeof *keys; i++) {
		v = cJSON_GetObjectItemCaseSensitive(o, keys[i]);
		if (cJSON_IsArray(v))
			v = cJSON_GetArrayItem(v, 0);
		if (cJSON_IsString(v) && *v->valuestring)
			q = msg_quote(v->valuestring, strlen(v->valuestring));
	}
	cJSON_Delete(o);
	if (!q)
		q = h->body.len ? msg_quote(h->body.s, h->body.len) :
		    xstrdup("(an empty answer)");
	return q;
}

/* A 401 that is final, or a 403: the caller is refused, not the data.
 * Whatever the body says (even in HotWax's error keys), nothing is
 * wrong with the batch or the query, and a person fixes the user's
 * permission or token in HotWax: EX_NOPERM, so that callers keep their
 * work for the run after that (a 403 called EX_DATAERR sent every batch
 * of a run to failed/, where nothing re-imports it). */
static int
refused(struct hotwax *h, const struct req *rq, const char *url, long status,
    const char *what, char **why)
{
	/* Not for login: its request held the password, and a server that
	 * echoes its request would have it printed. */
	char *q = rq->auth ? refusal_words(h) : NULL;

	if (q)
		msg_warn("%s %s: HTTP %ld: %s; HotWax says: %s", rq->method, url,
		    status, what, q);
	else
		msg_warn("%s %s: HTTP %ld: %s", rq->method, url, status, what);
	free(q);
	set_why(why, status == 403 ? "permission refused (HTTP 403)" :
	    "authentication refused (HTTP 401)");
	return EX_NOPERM;
}

/* Parse the body of a finished answer: 0 with *resp, or a status.
 *
 * Refused for good (EX_DATAERR) only when HotWax said so in its own
 * terms: a JSON object with _ERROR_MESSAGE_, _ERROR_MESSAGE_LIST_ or error
 * (contracts.md section 2).  Anything else that is not a success is not
 * HotWax speaking -- an HTML or text page, a JSON object without those
 * keys, or 404/405 to a POST (its endpoints are fixed names: "not found"
 * there is a wrong base_url or a proxy, never the data) -- and is
 * EX_PROTOCOL, so that a caller keeps its work for a run with the right
 * URL instead of throwing it away.  A GET's 404 in HotWax's words (an
 * unknown data-manager log) is still HotWax's refusal. */
static int
judge(struct hotwax *h, const struct req *rq, const char *url, long status,
    cJSON **resp, char **why)
{
	int ok = status >= 200 && status < 300, st;
	char *err = NULL;
	cJSON *o;

	o = cJSON_ParseWithLength(h->body.s ? h->body.s : "", h->body.len);
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		msg_warn("%s %s: HTTP %ld: the answer is not a JSON object (%zu bytes%s): "
		    "not HotWax speaking (is [hotwax] base_url right?)", rq->method,
		    url, status, h->body.len, h->body.len ? "" : ", empty");
		set_why(why, "HotWax answered with something that is not a JSON object");
		return EX_PROTOCOL;
	}
	err = error_text(o);
	if (!err && ok) {
		*resp = o;
		return 0;
	}
	st = EX_DATAERR;
	if (!err || (status >= 300 && status < 400) || status == 405 ||
	    (status == 404 && strcmp(rq->method, "GET") != 0))
		st = EX_PROTOCOL;
	if (st == EX_PROTOCOL)
		msg_warn("%s %s: HTTP %ld%s%s: not an answer of HotWax's "
		    "(is [hotwax] base_url right?)", rq->method, url, status,
		    err ? ": " : "", err ? err : "");
	else
		msg_warn("%s %s: HTTP %ld: HotWax says: %s", rq->method, url,
		    status, err);
	if (!err)
		err = xasprintf("HTTP %ld", status);
	if (why) {
		free(*why);
		*why = err;
	} else {
		free(err);
	}
	cJSON_Delete(o);
	return st;
}

/* A request curl could not finish: its status, said; or 0 when it is
 * transient (to retry), with what set to curl's words. */
static int
curl_failed(struct hotwax *h, const struct req *rq, const char *url,
    CURLcode rc, char *what, size_t whatsz, char **why)
{
	const char *e = h->errbuf[0] ? h->errbuf : curl_easy_strerror(rc);

	if (h->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		msg_warn("%s %s: the answer is larger than %zu bytes, "
		    "the most this call may answer: not read further",
		    rq->method, url, h->cap);
		set_why(why, "HotWax's answer is too large");
		return EX_PROTOCOL;
	}
	if (tls_refused(rc)) {
		msg_warn("%s %s: TLS certificate not trusted: %s%s",
		    rq->method, url, e, h->ca_file ? "" :
		    " (set [hotwax] ca_file for a private CA)");
		set_why(why, e);
		return EX_NOPERM;
	}
	if (rc == CURLE_OPERATION_TIMEDOUT && h->cut && late(h, 0)) {
		msg_info("%s %s: no answer before the time for it was over",
		    rq->method, url);
		return HOTWAX_LATE;
	}
	if (!transient_curl(rc)) {
		msg_warn("%s %s: %s", rq->method, url, e);
		set_why(why, e);
		return EX_UNAVAILABLE;
	}
	snprintf(what, whatsz, "%s", e);
	return 0;
}

/* One call's attempts so far (call). */
struct attempt {
	const struct req *rq;
	const char *url;
	cJSON **resp;
	char **why;
	int relogged;		/* logged in again after a 401, once a call */
	long wait;		/* ms before the next attempt; -1: backoff's */
	char what[CURL_ERROR_SIZE + 64];	/* the last transient failure */
};

/* What call() does after an HTTP answer. */
enum next {
	NEXT_DONE,		/* *st is the call's status */
	NEXT_AGAIN,		/* at once, not counted: a fresh login */
	NEXT_RETRY		/* a transient failure, in a->what */
};

/* Judge the HTTP status of one attempt; ra: the Retry-After seconds. */
static enum next
http_answer(struct hotwax *h, struct attempt *a, long status, long ra, int *st)
{
	const struct req *rq = a->rq;

	if (status == 401 && rq->auth) {
		if (h->username && !a->relogged) {
			/* the token expired: a fresh one, once per call */
			msg_info("%s %s: HTTP 401, logging in again as %s",
			    rq->method, a->url, h->username);
			wipe_free(h->token);
			h->token = NULL;
			a->relogged = 1;
			return NEXT_AGAIN;
		}
		*st = refused(h, rq, a->url, status, a->relogged ?
		    "the token from a fresh login was refused" :
		    "the token of [hotwax] token_file was refused", a->why);
	} else if (status == 401)
		*st = refused(h, rq, a->url, status, "login refused (are [hotwax] "
		    "username and password_file right?)", a->why);
	else if (status == 403)
		*st = refused(h, rq, a->url, status, "permission refused (does "
		    "the HotWax user have permission for this call?)", a->why);
	else if (status == 429) {
		snprintf(a->what, sizeof a->what, "HTTP 429 (too many requests)");
		if (ra > 0)
			a->wait = ra * 1000;
		return NEXT_RETRY;
	} else if (status >= 500 || status == 408) {
		cJSON *o = cJSON_ParseWithLength(h->body.s ? h->body.s : "",
		    h->body.len);
		char *e = error_text(o);

		/* what HotWax said helps the person reading the mail;
		 * the buffer holds a line, so the words are cut at 200 */
		snprintf(a->what, sizeof a->what, "HTTP %ld%s%.200s", status,
		    e ? ": " : "", e ? e : "");
		free(e);
		cJSON_Delete(o);
		return NEXT_RETRY;
	} else
		*st = judge(h, rq, a->url, status, a->resp, a->why);
	return NEXT_DONE;
}

static int
call(struct hotwax *h, const struct req *rq, cJSON **resp, char **why)
{
	char *url = xasprintf("%s%s", h->base, rq->endpoint);
	struct attempt a = { rq, url, resp, why, 0, -1, "" };
	int attempt = 0, st;
	long status, ra;
	enum next n;
	CURLcode rc;

	*resp = NULL;
	if (why)
		*why = NULL;
	for (;;) {
		if (late(h, 0)) {
			msg_info("%s %s: not sent, the time for it is over", rq->method, url);
			st = HOTWAX_LATE;
			goto out;
		}
		if (rq->auth && !h->token && (st = login(h)) != 0)
			goto out;
		h->cap = reply_cap(h, rq->endpoint);	/* login() set its own */
		rc = perform(h, rq, url, &status, &ra);
		a.wait = -1;
		if (rc != CURLE_OK) {
			if ((st = curl_failed(h, rq, url, rc, a.what, sizeof a.what, why)))
				goto out;
		} else if ((n = http_answer(h, &a, status, ra, &st)) == NEXT_DONE)
			goto out;
		else if (n == NEXT_AGAIN)
			continue;
		/* transient */
		if (a.wait < 0 && attempt < h->retries)
			a.wait = backoff(h, attempt);
		if (attempt >= h->retries || late(h, a.wait)) {
			msg_warn("%s %s: %s; gave up after %d attempt%s%s", rq->method,
			    url, a.what, attempt + 1, attempt ? "s" : "",
			    attempt >= h->retries ? "" : " (no time left for another)");
			set_why(why, a.what);
			st = EX_TEMPFAIL;
			goto out;
		}
		msg_info("%s %s: %s; retry %d of %d in %.1f s", rq->method, url,
		    a.what, attempt + 1, h->retries, a.wait / 1000.0);
		sleep_ms(a.wait);
		metric_add(M_RETRIES, 1);
		attempt++;
	}
out:
	/* the header promises *why for EX_DATAERR only: callers free it then */
	if (st != EX_DATAERR && why) {
		free(*why);
		*why = NULL;
	}
	free(url);
	return st;
}

/* POST login with username and password_file: a fresh token in h. */
static int
login(struct hotwax *h)
{
	struct req rq = { "POST", "login", NULL, NULL, 0 };
	cJSON *o, *resp = NULL, *t;
	char *pw, *body;
	int st;

	if (!h->username) {
		msg_warn("%slogin: no [hotwax] username to log in with", h->base);
		return EX_NOPERM;
	}
	if (!(pw = config_secret(h->password_file, "[hotwax] password_file")))
		return EX_CONFIG;
	o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, "USERNAME", h->username) ||
	    !(t = cJSON_AddStringToObject(o, "PASSWORD", pw)) ||
	    !(body = cJSON_PrintUnformatted(o)))
		msg_die(EX_OSERR, "out of memory");
	explicit_bzero(t->valuestring, strlen(t->valuestring));
	wipe_free(pw);
	cJSON_Delete(o);
	rq.json = body;
	st = call(h, &rq, &resp, NULL);
	wipe_free(body);
	if (st)
		return st == EX_DATAERR ? EX_NOPERM : st;
	t = cJSON_GetObjectItemCaseSensitive(resp, "token");
	if (!cJSON_IsString(t) || !*t->valuestring || strpbrk(t->valuestring, "\r\n")) {
		msg_warn("POST %slogin: the answer holds no token", h->base);
		cJSON_Delete(resp);
		return EX_PROTOCOL;
	}
	h->token = xstrdup(t->valuestring);
	explicit_bzero(t->valuestring, strlen(t->valuestring));
	cJSON_Delete(resp);
	return 0;
}

char *
hotwax_excerpt(const cJSON *o)
{
	char *s = o ? cJSON_PrintUnformatted(o) : NULL, *e;

	if (!s)
		return xstrdup(o ? "(cannot be shown)" : "(nothing)");
	/* cJSON escapes C0 inside strings; DEL, C1 and invalid UTF-8 it
	 * leaves raw: the one rule escapes them */
	e = one_line(s, strlen(s), EXCERPT_MAX);
	free(s);
	return e;
}

int
hotwax_post(struct hotwax *h, const char *endpoint, const cJSON *body,
    cJSON **resp, char **why)
{
	struct req rq = { "POST", endpoint, NULL, NULL, 1 };
	char *s;
	int st;

	if (!(s = cJSON_PrintUnformatted(body)))
		msg_die(EX_OSERR, "out of memory");
	rq.json = s;
	st = call(h, &rq, resp, why);
	free(s);
	return st;
}

int
hotwax_get(struct hotwax *h, const char *endpoint, cJSON **resp, char **why)
{
	struct req rq = { "GET", endpoint, NULL, NULL, 1 };

	return call(h, &rq, resp, why);
}

int
hotwax_upload(struct hotwax *h, const char *endpoint, const char *file_field,
    const char *path, const char *filename, const char *const *fields,
    cJSON **resp, char **why)
{
	struct upload up = { file_field, path, filename, fields };
	struct req rq = { "POST", endpoint, NULL, &up, 1 };
	int fd;

	*resp = NULL;
	if (why)
		*why = NULL;
	/* say now, naming the file, rather than as a curl read error later */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		msg_warnerr("%s", path);
		return EX_IOERR;
	}
	close(fd);
	return call(h, &rq, resp, why);
}

/* ---------------------------------------------------------------- performFind */

#define FIND_VIEW_SIZE	250		/* the simulator's cap (contracts.md 3) */
#define FIND_MAX_PAGES	4000		/* a million rows in the window */
#define FIND_CHUNK	100		/* ids per "in" query */

/* One page's docs to fn: 0, HOTWAX_FIND_STOP, fn's status or
 * EX_PROTOCOL; *n the docs it held, *count the total HotWax gave (-1). */
static int
find_page(struct hotwax *h, const char *entity, int page, const cJSON *resp,
    hotwax_doc_fn *fn, void *arg, int *n, int *count)
{
	const cJSON *docs = cJSON_GetObjectItemCaseSensitive(resp, "docs"), *d;
	int rc = 0;

	if (!cJSON_IsArray(docs)) {
		msg_warn("%sperformFind: %s page %d: the answer has no "
		    "\"docs\" list", h->base, entity, page);
		return EX_PROTOCOL;
	}
	d = cJSON_GetObjectItemCaseSensitive(resp, "count");
	*count = cJSON_IsNumber(d) ? d->valueint : -1;
	*n = 0;
	cJSON_ArrayForEach(d, docs) {
		(*n)++;
		if (!cJSON_IsObject(d)) {
			msg_warn("%sperformFind: %s page %d: a doc that is "
			    "not an object", h->base, entity, page);
			return EX_PROTOCOL;
		}
		if ((rc = fn(d, arg)) != 0)
			break;
	}
	return rc;
}

int
hotwax_find(struct hotwax *h, const char *entity, cJSON *inputs,
    const char *const *fields, const char *order_by, hotwax_doc_fn *fn,
    void *arg)
{
	cJSON *body = cJSON_CreateObject(), *fl, *resp, *idx;
	char *why;
	int page, rc = 0, n, count;

	cJSON_AddStringToObject(body, "entityName", entity);
	cJSON_AddItemToObject(body, "inputFields", inputs);
	fl = cJSON_AddArrayToObject(body, "fieldList");
	for (; *fields; fields++)
		cJSON_AddItemToArray(fl, cJSON_CreateString(*fields));
	cJSON_AddStringToObject(body, "orderBy", order_by);
	cJSON_AddNumberToObject(body, "viewSize", FIND_VIEW_SIZE);
	idx = cJSON_AddNumberToObject(body, "viewIndex", 0);
	cJSON_AddStringToObject(body, "noConditionFind", "Y");
	for (page = 0; rc == 0; page++) {
		if (page == FIND_MAX_PAGES) {
			msg_warn("%sperformFind: more than %d pages of %s; "
			    "the rest waits for the next run", h->base,
			    FIND_MAX_PAGES, entity);
			break;
		}
		cJSON_SetNumberValue(idx, page);
		why = NULL;
		resp = NULL;
		rc = hotwax_post(h, "performFind", body, &resp, &why);
		free(why);
		if (rc)
			break;
		rc = find_page(h, entity, page, resp, fn, arg, &n, &count);
		cJSON_Delete(resp);
		if (rc == HOTWAX_FIND_STOP) {
			rc = 0;
			break;
		}
		if (rc == 0 && (n < FIND_VIEW_SIZE ||
		    (count >= 0 && (page + 1) * FIND_VIEW_SIZE >= count)))
			break;
	}
	cJSON_Delete(body);
	return rc;
}

int
hotwax_find_in(struct hotwax *h, const char *entity, const char *key,
    const char *const *ids, size_t n, const cJSON *also,
    const char *const *fields, const char *order_by, hotwax_doc_fn *fn,
    void *arg)
{
	cJSON *in, *list, *c;
	char *op = xasprintf("%s_op", key);
	size_t i, k;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i = k) {
		in = cJSON_CreateObject();
		list = cJSON_AddArrayToObject(in, key);
		for (k = i; k < n && k - i < FIND_CHUNK; k++)
			cJSON_AddItemToArray(list, cJSON_CreateString(ids[k]));
		cJSON_AddStringToObject(in, op, "in");
		for (c = also ? also->child : NULL; c; c = c->next)
			cJSON_AddItemToObject(in, c->string, cJSON_Duplicate(c, 1));
		rc = hotwax_find(h, entity, in, fields, order_by, fn, arg);
	}
	free(op);
	return rc;
}

int
hotwax_good_id(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= HOTWAX_ID_MAX && strspn(s,
	    "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-") == n && s[0] != '.';
}

int
hotwax_upload_batch(struct hotwax *h, const char *config_id,
    const char *path, const char *name, char **log_id, char **seen,
    char **why)
{
	const char *const fields[] = { "configId", config_id, NULL };
	cJSON *resp = NULL;
	const char *id;
	int st;

	*log_id = *seen = NULL;
	st = hotwax_upload(h, HOTWAX_UPLOAD, "uploadedFile", path, name,
	    fields, &resp, why);
	if (st)
		return st;
	id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(resp,
	    "logId"));
	if (id && hotwax_good_id(id))
		*log_id = xstrdup(id);
	else
		*seen = hotwax_excerpt(resp);
	cJSON_Delete(resp);
	return 0;
}

int
hotwax_log(struct hotwax *h, const char *id, cJSON **lg, char **why)
{
	char *ep = xasprintf("dataManagerLogs/%s", id);
	int st;

	st = hotwax_get(h, ep, lg, why);
	free(ep);
	return st;
}

static const struct {
	const char *name;
	enum hotwax_log_status st;
} log_statuses[] = {
	{ "SERVICE_PENDING",	HOTWAX_LOG_RUNNING },
	{ "SERVICE_RUNNING",	HOTWAX_LOG_RUNNING },
	{ "SERVICE_FINISHED",	HOTWAX_LOG_FINISHED },
	{ "SERVICE_FAILED",	HOTWAX_LOG_FAILED },
};

enum hotwax_log_status
hotwax_log_status(const cJSON *lg, const char **raw)
{
	const char *s;
	size_t i;

	s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(lg,
	    "statusId"));
	*raw = s;
	for (i = 0; s && i < sizeof log_statuses / sizeof log_statuses[0]; i++)
		if (strcmp(s, log_statuses[i].name) == 0)
			return log_statuses[i].st;
	return HOTWAX_LOG_UNKNOWN;
}

const char *
hotwax_log_status_name(enum hotwax_log_status s)
{
	return s == HOTWAX_LOG_FAILED ? "SERVICE_FAILED" :
	    s == HOTWAX_LOG_FINISHED ? "SERVICE_FINISHED" : "SERVICE_RUNNING";
}

const cJSON *
hotwax_log_errors(const cJSON *lg)
{
	return cJSON_GetObjectItemCaseSensitive(lg, "errors");
}

const char *
hotwax_log_message(const cJSON *e)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e,
	    "message"));
}

long
hotwax_log_row(const cJSON *e, size_t nrows)
{
	const cJSON *ri = cJSON_GetObjectItemCaseSensitive(e, "rowIndex");
	double d;

	if (!cJSON_IsNumber(ri))
		return -1;
	d = ri->valuedouble;
	if (!(d >= 0 && d < (double)nrows) || d != (double)(long)d)
		return -1;
	return (long)d;
}

double
hotwax_log_count(const cJSON *lg, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(lg, key);
	double d;

	if (!cJSON_IsNumber(v))
		return -1;
	d = v->valuedouble;
	if (!(d >= 0 && d <= 1e15) || d != (double)(long long)d)
		return -1;
	return d;
}
