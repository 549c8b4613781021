/*
 * hotwax -- the HotWax Commerce REST client (libcurl), one connection
 * reused for the whole run.
 *
 * Promises (contracts.md section 2): every call carries the Bearer token,
 * read from [hotwax] token_file or got by POST login with username and
 * password_file; the token is never printed.  A response is a failure when
 * its body is not a JSON object or holds _ERROR_MESSAGE_,
 * _ERROR_MESSAGE_LIST_ or error, whatever the HTTP status; but 401 and
 * 403 refuse the caller, never the data.  401 logs in
 * again once (when a username is configured).  429 waits Retry-After; 5xx,
 * timeouts and dropped connections are retried with exponential backoff
 * and jitter, up to [hotwax] retries times.  TLS is always verified
 * ([hotwax] ca_file adds a CA); plain http is refused unless allow_http is
 * set, and then only for a loopback host.  A loopback host is never
 * reached through a proxy; any other through [hotwax] proxy when set, else
 * the environment's https_proxy etc., always by a CONNECT tunnel.  Each
 * answer is read only up to a cap that fits its call (hotwax.c).
 *
 * Functions return 0 with *resp set (a cJSON object the caller frees), or:
 * EX_DATAERR   refused for good: HotWax said so in its own terms (a JSON
 *              object with _ERROR_MESSAGE_, _ERROR_MESSAGE_LIST_ or error,
 *              whatever the status, but for 3xx, 405 and a POST's 404);
 *              *why (malloc'd, may be NULL) holds HotWax's own message,
 *              for .err files;
 * EX_TEMPFAIL  transient failures outlasted the retries;
 * EX_NOPERM    the caller refused: HTTP 401 (after the one fresh login)
 *              or 403, whatever the body says (the data is not at fault;
 *              callers keep their work), or the server's TLS certificate
 *              not trusted;
 * EX_PROTOCOL  not HotWax speaking: a body that is not a JSON object, a
 *              failure status without HotWax's error keys, 3xx, 405, 404 to
 *              a POST (a wrong base_url), or a body larger than the call's cap;
 * EX_UNAVAILABLE another transport failure that retrying cannot fix;
 * EX_IOERR     (hotwax_upload) the file cannot be read;
 * EX_CONFIG    configuration (no base_url, http refused, a bad proxy URL,
 *              no credentials, a secret file refused).
 * Each failure is also said on stderr, naming the URL.
 *
 * Environment: POSYNC_BACKOFF_MS, the first retry's delay in milliseconds
 * (default 500, doubled per retry up to 30 s; the tests use a few ms).
 */
#ifndef POSYNC_HOTWAX_H
#define POSYNC_HOTWAX_H

#include <stdint.h>

#include <cjson/cJSON.h>

struct config;
struct hotwax;

int hotwax_open(const struct config *c, struct hotwax **out);
void hotwax_close(struct hotwax *h);

/*
 * A time limit for the calls that follow: at is a time of mono_ms()
 * (util.h), 0 for none (the default).  No request starts at or after it,
 * each request's timeout is cut to the time left, and no retry waits past
 * it.  A call that the limit ends before HotWax answered returns
 * HOTWAX_LATE, said only under -v: the caller keeps its work for later.
 * A transient failure with no time left for a retry is EX_TEMPFAIL, said,
 * as when the retries run out.
 */
#define HOTWAX_LATE	1
void hotwax_deadline(struct hotwax *h, int64_t at);

/* POST a JSON body to base_url + endpoint (e.g. "performFind"). */
int hotwax_post(struct hotwax *h, const char *endpoint, const cJSON *body,
    cJSON **resp, char **why);
/* GET base_url + endpoint (e.g. "dataManagerLogs/123"). */
int hotwax_get(struct hotwax *h, const char *endpoint, cJSON **resp, char **why);
/* POST multipart/form-data: the file at path as field file_field named
 * filename with content type application/json, plus the text fields
 * given as name, value pairs ending with NULL. */
int hotwax_upload(struct hotwax *h, const char *endpoint, const char *file_field,
    const char *path, const char *filename, const char *const *fields,
    cJSON **resp, char **why);

/* A reply, or part of one, as one bounded line for a message: compact
 * JSON cut at about 200 bytes (on a character boundary, with "..."),
 * control bytes shown as '?'.  Never NULL; the caller frees it. */
char *hotwax_excerpt(const cJSON *o);

/*
 * performFind (contracts.md section 3), page by page: every doc of every
 * page given to fn, until a page is short, the count is reached, or
 * HOTWAX_FIND_PAGES pages (the rest waits for the next run, said).  inputs
 * (inputFields) is consumed.  fn returning HOTWAX_FIND_STOP ends the walk
 * early (not an error); any other non-zero status stops it and is
 * returned.  0, fn's status, a hotwax_post status, or EX_PROTOCOL (no
 * "docs" list, a doc that is not an object).
 */
#define HOTWAX_FIND_STOP	1
typedef int hotwax_doc_fn(const cJSON *doc, void *arg);
int hotwax_find(struct hotwax *h, const char *entity, cJSON *inputs,
    const char *const *fields, const char *order_by, hotwax_doc_fn *fn,
    void *arg);
/* The same for field key "in" the n ids, HOTWAX_FIND_CHUNK ids a query;
 * also, when not NULL, holds more inputFields for every query. */
int hotwax_find_in(struct hotwax *h, const char *entity, const char *key,
    const char *const *ids, size_t n, const cJSON *also,
    const char *const *fields, const char *order_by, hotwax_doc_fn *fn,
    void *arg);

/*
 * HotWax's data-manager protocol, po-import's way in: a batch file is
 * uploaded to HOTWAX_UPLOAD (the file as field uploadedFile, with the
 * configId that maps it); HotWax takes it only when it answers with a
 * logId, and the log is then read at dataManagerLogs/ID until its
 * statusId says it is over.  The names are here alone.
 *
 * hotwax_good_id: a HotWax id that is safe in a URL path and a file --
 *   1 to HOTWAX_ID_MAX bytes of letters, digits and ._:-, not starting
 *   with '.'.
 * hotwax_upload_batch: as hotwax_upload; on 0, *log_id is HotWax's logId
 *   (malloc'd), or NULL when the answer held no good one: then *seen is
 *   an excerpt of the answer (hotwax_excerpt) for the message.
 * hotwax_log: GET the log; as hotwax_get (EX_DATAERR: HotWax does not
 *   know it).
 * hotwax_log_status: the log's statusId, classified once; *raw is it as
 *   HotWax wrote it (NULL when none).  hotwax_log_status_name: the
 *   statusId of an over log, for what po-import writes and says.
 */
#define HOTWAX_UPLOAD	"uploadJsonFile"
#define HOTWAX_ID_MAX	128
enum hotwax_log_status {
	HOTWAX_LOG_RUNNING,	/* SERVICE_PENDING, SERVICE_RUNNING */
	HOTWAX_LOG_FINISHED,	/* SERVICE_FINISHED */
	HOTWAX_LOG_FAILED,	/* SERVICE_FAILED: as a whole */
	HOTWAX_LOG_UNKNOWN	/* none, or one posync does not know */
};
/*
 * A log's content, for what the log says about the batch's rows:
 * hotwax_log_errors: its errors array (or NULL); of one error,
 *   hotwax_log_message its message (or NULL) and hotwax_log_row the row
 *   of the batch it names (its rowIndex: a whole number below nrows), or
 *   -1 when it names none.
 * hotwax_log_count: one of the log's counts (HOTWAX_LOG_FAILED_ROWS,
 *   HOTWAX_LOG_ALL_ROWS), or -1 when it gives none: missing, a string
 *   ("2" is not HotWax's modelled form, contracts.md section 2),
 *   negative, not a whole number or past any batch.
 */
#define HOTWAX_LOG_FAILED_ROWS	"failedRecordCount"
#define HOTWAX_LOG_ALL_ROWS	"totalRecordCount"
const cJSON *hotwax_log_errors(const cJSON *lg);
const char *hotwax_log_message(const cJSON *e);
long hotwax_log_row(const cJSON *e, size_t nrows);
double hotwax_log_count(const cJSON *lg, const char *key);
int hotwax_good_id(const char *s);
int hotwax_upload_batch(struct hotwax *h, const char *config_id,
    const char *path, const char *name, char **log_id, char **seen,
    char **why);
int hotwax_log(struct hotwax *h, const char *id, cJSON **lg, char **why);
enum hotwax_log_status hotwax_log_status(const cJSON *lg, const char **raw);
const char *hotwax_log_status_name(enum hotwax_log_status s);

#endif
