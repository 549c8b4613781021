/*
 * hotwax_json -- how common/hotwax.c reads a HotWax answer body: cJSON
 * parses it and error_text() takes HotWax's own words out of an error
 * body (_ERROR_MESSAGE_, _ERROR_MESSAGE_LIST_, error), for messages and
 * .err files.  error_text is static, so this harness includes hotwax.c.
 *
 * Invariants: error_text finds words exactly when one of the three keys
 * holds a JavaScript-truthy value (checked here on its own); the words
 * are one line (no control byte) of at most WHY_MAX bytes, never empty.
 *
 * Not reached here: receipt-export's reading of performFind pages
 * (common/receipt_fetch.c: take_receipt, take_order, rx_take_item) and
 * po-import's reading of data-manager logs (log_over).
 */
#include "../../common/hotwax.c"

#include "fuzz.h"

static int
js_truthy(const cJSON *v)
{
	if (!v)
		return 0;
	switch (v->type & 0xff) {
	case cJSON_NULL:
	case cJSON_False:
		return 0;
	case cJSON_String:
		return v->valuestring[0] != 0;
	case cJSON_Number:
		return v->valuedouble != 0;	/* NaN cannot come from JSON text */
	default:
		return 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "_ERROR_MESSAGE_", "_ERROR_MESSAGE_LIST_", "error" };
	cJSON *o = cJSON_ParseWithLength((const char *)data, size);
	char *w = error_text(o);
	size_t i;
	int any = 0;

	if (cJSON_IsObject(o))
		for (i = 0; i < sizeof keys / sizeof *keys; i++)
			any |= js_truthy(cJSON_GetObjectItemCaseSensitive(o, keys[i]));
	FUZZ_CHECK(!w == !any, "error_text %s, but the body %s an error key",
	    w ? "found words" : "found none", any ? "has" : "has no");
	if (w) {
		FUZZ_CHECK(*w, "empty words");
		FUZZ_CHECK(strlen(w) <= WHY_MAX, "%zu bytes of words", strlen(w));
		for (i = 0; w[i]; i++)
			FUZZ_CHECK((unsigned char)w[i] >= 0x20 && w[i] != 0x7f,
			    "control byte %02X in the words", (unsigned char)w[i]);
	}
	free(w);
	cJSON_Delete(o);
	return 0;
}
