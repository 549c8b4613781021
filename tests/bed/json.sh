# tests/bed/json.sh -- JSON arrays in one canonical, comparable form.
#
# Source after lib.sh.  Each element of an array becomes one line of JSON
# with sorted keys, the lines sorted; numbers are kept as their text
# ("NUM:2.50", through json's parse_float/parse_int), so a quantity
# written as 2.50 is not seen as 2.5 and 3 is not seen as 3.0.
#
#   json_elements FILE...  -- the elements of the arrays in the FILEs
#   json_expect JSON       -- the same form for an array written in a test

json_elements() {
	python3 - "$@" <<'PY'
import json, sys
out = []
for f in sys.argv[1:]:
    with open(f, encoding="utf-8") as fp:
        a = json.load(fp, parse_float=lambda s: "NUM:" + s, parse_int=lambda s: "NUM:" + s)
    assert isinstance(a, list), f
    out += [json.dumps(e, sort_keys=True, ensure_ascii=False) for e in a]
print("\n".join(sorted(out)))
PY
}

json_expect() {
	python3 - "$1" <<'PY'
import json, sys
a = json.loads(sys.argv[1], parse_float=lambda s: "NUM:" + s, parse_int=lambda s: "NUM:" + s)
print("\n".join(sorted(json.dumps(e, sort_keys=True, ensure_ascii=False) for e in a)))
PY
}
