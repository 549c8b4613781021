/*
 * push -- see push.h.  curl.h gives the types; the functions come from
 * dlsym, so that nothing here is resolved by the linker.
 */
#include <curl/curl.h>
#include <dlfcn.h>
#include <stddef.h>

#include "push.h"

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

int
push_put(const char *url, const char *type, const char *body, size_t len,
    long timeout, const char **why)
{
	const struct lib *l = lib();
	struct curl_slist *hdr;
	CURLcode rc;
	long code = 0;
	CURL *c;

	if (!l || (c = l->init()) == NULL) {
		*why = "libcurl (libcurl.so.4) cannot be loaded";
		return -1;
	}
	hdr = l->slist_append(NULL, type);
	l->setopt(c, CURLOPT_URL, url);
	l->setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
	l->setopt(c, CURLOPT_POSTFIELDS, body);
	l->setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	l->setopt(c, CURLOPT_HTTPHEADER, hdr);
	l->setopt(c, CURLOPT_TIMEOUT, timeout);
	l->setopt(c, CURLOPT_NOSIGNAL, 1L);
	l->setopt(c, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1");
	l->setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	rc = l->perform(c);
	l->getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	l->cleanup(c);
	l->slist_free_all(hdr);
	if (rc != CURLE_OK)
		*why = l->strerror(rc);
	else if (code / 100 != 2)
		*why = "the server refused them";
	return rc == CURLE_OK && code / 100 == 2 ? 0 : -1;
}
