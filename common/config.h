/*
 * config -- the one configuration file all four programs share.
 *
 * INI (parsed with inih): sections [sftp], [netsuite], [hotwax], [spool],
 * [metrics], [status].
 * The file is -c FILE, else $POSYNC_CONFIG, else /etc/posync/posync.conf.
 * Every key has a default (see posync.conf(5)); an unknown section or key,
 * a number out of range or a malformed line is an error "file:line: message"
 * and config_load returns EX_CONFIG.  Secrets never live in the file: it
 * names files that hold them, read by config_secret(), which refuses a file
 * that group or others can read, as ssh does with keys.  The file itself
 * and every secret or CA file it names must be a regular file: a FIFO,
 * device or directory is refused at load (EX_CONFIG), never waited on.
 */
#ifndef POSYNC_CONFIG_H
#define POSYNC_CONFIG_H

#define CONFIG_DEFAULT_PATH "/etc/posync/posync.conf"

struct config {
	char *path;			/* the file that was read */
	struct {
		char *host;		/* required for SFTP */
		int port;		/* 22 */
		char *user;		/* "hotwax" */
		char *identity_file;	/* NULL: ssh-agent */
		char *known_hosts;	/* required */
		char *password_file;	/* only when no key is used */
		int timeout;		/* 30 s: connect, handshake, each operation */
		int run_timeout;	/* 3600 s: the whole SFTP session of a run */
		int channels;		/* 8: SFTP channels a batch may use at once */
	} sftp;
	struct {
		char *po_dir, *po_archive_dir, *po_error_dir;
		char *po_pattern;		/* "*.csv" (fnmatch) */
		int po_min_age;			/* 60 s */
		long long po_max_size;		/* 104857600 bytes */
		char *arrival_date_format;	/* "MM/DD/YYYY" */
		char *receipt_dir, *receipt_archive_dir, *receipt_error_dir;
		char *receipt_staging_dir;
		int receipt_stale_after;	/* 7200 s */
		char *receipt_prefix;		/* "posync": <prefix>_PurchaseOrderReceiptFeed_<time>.json */
	} netsuite;
	struct {
		char *base_url;		/* required for HotWax; ends in '/' */
		char *token_file;	/* or username + password_file */
		char *username;
		char *password_file;
		char *ca_file;		/* NULL: system CAs */
		char *config_id;	/* "IMP_PO" */
		int batch_size;		/* 1000 PO lines per batch */
		int timeout;		/* 60 s per request */
		int retries;		/* 5 */
		int receipt_overlap;	/* 900 s */
		int log_wait;		/* 60 s po-import follows upload logs */
		int allow_http;		/* 0: plain http refused (1 allows it for loopback only) */
		char *proxy;		/* NULL: the environment's; never for loopback */
	} hotwax;
	struct {
		char *dir;		/* "/var/spool/posync" */
		int keep_days;		/* 30 */
		int polines_keep_days;	/* 365; 0: never */
		int syslog;		/* 0: also log messages to syslog when 1 */
	} spool;
	struct {
		char *textfile_dir;	/* NULL: no .prom file (metrics.h) */
		char *instance;		/* "default": the instance label */
		char *push_url;		/* NULL: no Pushgateway */
	} metrics;
	struct {			/* posync-status's thresholds, s */
		int inbound_warn;	/* 3600: po-export-parse, po-import */
		int inbound_crit;	/* 14400 */
		int outbound_warn;	/* 3600: receipt-export, receipt-push */
		int outbound_crit;	/* 14400 */
		int queue_warn;		/* 3600: oldest in po/new, receipt/new */
		int queue_crit;		/* 14400 */
		int unread_warn;	/* 3600; critical: receipt_stale_after */
		int cursor_warn;	/* 172800: the receipt cursor's age */
		int cursor_crit;	/* 604800 */
	} status;
};

/* Fill c with defaults, then read the file (path may be NULL: see above).
 * Returns 0, or EX_CONFIG after printing "file:line: message"; on failure
 * c holds nothing to free (config_free is still harmless). */
int config_load(struct config *c, const char *path);
void config_free(struct config *c);

/* Checks of keys only some programs use, each called by its program
 * before the spool is touched (prog.h's check): 0, or EX_CONFIG said
 * with the file's path.  config_check_date_format: [netsuite]
 * arrival_date_format has one year, month and day (po-export-parse).
 * config_check_staging: [netsuite] receipt_staging_dir is a folder of
 * its own, none of the other remote folders however spelt
 * (receipt-push). */
int config_check_date_format(const struct config *c);
int config_check_staging(const struct config *c);
/* config_check_status: each of posync-status's warnings comes before
 * its critical (posync-status). */
int config_check_status(const struct config *c);

/* Read a secret (token, password) from path: its one line, without the
 * LF or CRLF that may end it.  Refuses (NULL, message naming the file and
 * key) a file that is missing, not a regular file (a FIFO is refused at
 * once, never waited on), empty, larger than 64 KiB, readable by group or
 * others, or holding a control byte (CR, NUL, a second line) in its line.
 * what names the config key for messages, e.g. "[hotwax] token_file". */
char *config_secret(const char *path, const char *what);

/* Check only the permissions (as above) of a file holding a secret, such
 * as an SSH private key: 0 ok, else EX_CONFIG after a message. */
int config_check_private(const char *path, const char *what);

#endif
