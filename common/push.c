/*
 * push -- see push.h.  curl.h gives the types; the functions come from
 * dlsym, so that nothing here is resolved by the linker.
 */
#include <curl/curl.h>
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "push.h"
#include "util.h"

struct lib {
	CURLcode (*global_init)(long);
	CURL *(*init)(void);
	CURLcode (*setopt)(CURL *, CURLoption, ...);
	CURLcode (*perform)(CURL *);
	CURLcode (*getinfo)(CURL *, CURLINFO, ...);
	void (*cleanup)(CURL *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	const char *(*strerror)(CURLcode);
};

/* libcurl's functions, once; NULL when it cannot be loaded. */
static const struct lib *
lib(void)
{
	static struct lib l;
	static int tried;
	void *h;

	if (tried)
		return l.init ? &l : NULL;
	tried = 1;
	if ((h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL)) == NULL)
		return NULL;
	*(void **)&l.global_init = dlsym(h, "curl_global_init");
	*(void **)&l.setopt = dlsym(h, "curl_easy_setopt");
	*(void **)&l.perform = dlsym(h, "curl_easy_perform");
	*(void **)&l.getinfo = dlsym(h, "curl_easy_getinfo");
	*(void **)&l.cleanup = dlsym(h, "curl_easy_cleanup");
	*(void **)&l.slist_append = dlsym(h, "curl_slist_append");
	*(void **)&l.slist_free_all = dlsym(h, "curl_slist_free_all");
	*(void **)&l.strerror = dlsym(h, "curl_easy_strerror");
	if (l.global_init && l.setopt && l.perform && l.getinfo &&
	    l.cleanup && l.slist_append && l.slist_free_all && l.strerror &&
	    l.global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK)
		*(void **)&l.init = dlsym(h, "curl_easy_init");
	return l.init ? &l : NULL;
}

/* The server's answer: its first 200 bytes kept for the warning, the
 * rest dropped (libcurl would fwrite it to stdout). */
static size_t
answer(char *p, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	size_t len = size * n;

	if (b->len < 200)
		buf_add(b, p, len < 200 - b->len ? len : 200 - b->len);
	return len;
}

/* The host of an http(s) URL config.c took (no user@, ? or #). */
static int
loopback_url(const char *url)
{
	const char *h = strstr(url, "://");
	char *host;
	size_t n;
	int r;

	if (!h)
		return 0;
	h += 3;
	n = *h == '[' ? strcspn(h, "]") + 1 : strcspn(h, ":/");
	host = xstrndup(h, n);
	r = host_is_loopback(host);
	free(host);
	return r;
}

static void
said(char *why, size_t whylen, long code, const struct buf *b)
{
	char *q = msg_quote(b->s ? b->s : "", b->s ? strcspn(b->s, "\r\n") : 0);

	bsnprintf(why, whylen, "HTTP %ld%s%s", code, b->len ? ": " : "",
	    b->len ? q : "");
	free(q);
}

int
push_put(const char *url, const char *type, const char *body, size_t len,
    long timeout, char *why, size_t whylen)
{
	const struct lib *l = lib();
	struct curl_slist *hdr;
	struct buf b = {0};
	CURLcode rc;
	long code = 0;
	CURL *c;

	if (!l || (c = l->init()) == NULL) {
		bsnprintf(why, whylen, "libcurl (libcurl.so.4) cannot be loaded");
		return -1;
	}
	hdr = l->slist_append(NULL, type);
	l->setopt(c, CURLOPT_URL, url);
	l->setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
	l->setopt(c, CURLOPT_POSTFIELDS, body);
	l->setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	l->setopt(c, CURLOPT_HTTPHEADER, hdr);
	l->setopt(c, CURLOPT_WRITEFUNCTION, answer);
	l->setopt(c, CURLOPT_WRITEDATA, &b);
	l->setopt(c, CURLOPT_TIMEOUT, timeout);
	l->setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (loopback_url(url))
		l->setopt(c, CURLOPT_PROXY, "");
	l->setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	rc = l->perform(c);
	l->getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	l->cleanup(c);
	l->slist_free_all(hdr);
	if (rc != CURLE_OK)
		bsnprintf(why, whylen, "%s", l->strerror(rc));
	else if (code / 100 != 2)
		said(why, whylen, code, &b);
	buf_free(&b);
	return rc == CURLE_OK && code / 100 == 2 ? 0 : -1;
}
