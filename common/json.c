/*
 * json -- see json.h.
 */
#include <cjson/cJSON.h>

#include "json.h"
#include "msg.h"
#include "util.h"

void
json_str(struct buf *out, const char *s)
{
	cJSON *j = cJSON_CreateString(s);
	char *t = j ? cJSON_PrintUnformatted(j) : NULL;

	if (!t)
		msg_die(EX_OSERR, "out of memory");
	buf_adds(out, t);
	cJSON_free(t);
	cJSON_Delete(j);
}
