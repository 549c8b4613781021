#!/bin/sh
# 6052-kubernetes -- contrib/kubernetes/ cannot run here (no cluster), so
# its manifests are checked on paper: each parses as YAML, the CronJobs
# have what README.md there promises (concurrencyPolicy: Forbid, the
# spool on the PVC, the Secret mounted read-only, the config from the
# ConfigMap, crontab.example's schedule and pipelines under pipefail,
# the Containerfile's user), the two differ only in name, schedule and
# command, the configuration names only keys posync.conf(5) documents
# and is one po-import loads, and the Containerfile installs the .deb on
# Debian 12 slim.
. "${0%/*}/lib.sh"

K=$TOP/contrib/kubernetes
python3 -c 'import yaml' 2>/dev/null || t_bail "python3-yaml is missing: make deps"

# Each check is a line "DESC<TAB>GOT<TAB>WANT" from the Python below.
python3 - "$K" "$TOP" >"$SCRATCH/checks" 2>"$SCRATCH/py.err" <<'PY'
import os, re, sys, yaml

k, top = sys.argv[1], sys.argv[2]
def check(desc, got, want):
    print("%s\t%s\t%s" % (desc, str(got).replace("\t", " ").replace("\n", " "),
                          str(want).replace("\t", " ").replace("\n", " ")))

docs = {}
for f in sorted(os.listdir(k)):
    if not f.endswith(".yaml"):
        continue
    try:
        ds = [d for d in yaml.safe_load_all(open(os.path.join(k, f))) if d]
        check("%s parses as YAML" % f, "yes", "yes")
    except yaml.YAMLError as e:
        check("%s parses as YAML" % f, e, "yes")
        continue
    for d in ds:
        docs.setdefault(d.get("kind"), []).append((f, d))
check("kinds", " ".join(sorted("%s:%d" % (kd, len(v)) for kd, v in docs.items())),
      "ConfigMap:1 CronJob:2 PersistentVolumeClaim:1")
cm = docs["ConfigMap"][0][1]
pvc = docs["PersistentVolumeClaim"][0][1]
jobs = {f: d for f, d in docs["CronJob"]}

# the man page's keys: ".Ss The [x] section" then ".It Cm key"
man, sec = set(), None
for line in open(os.path.join(top, "man", "posync.conf.5")):
    m = re.match(r'\.Ss The \[(\w+)\] section', line)
    if m:
        sec = m.group(1)
    m = re.match(r'\.It Cm (\w+)', line)
    if m and sec:
        man.add(sec + "." + m.group(1))
check("posync.conf.5 documents keys", len(man) > 30, True)

# the ConfigMap's posync.conf, as posync reads INI: [section], key = value ; comment
conf, sec = {}, None
for line in cm["data"]["posync.conf"].splitlines():
    line = re.sub(r'(^|\s);.*', '', line).strip()
    if not line or line.startswith("#"):
        continue
    m = re.match(r'\[(\w+)\]$', line)
    if m:
        sec = m.group(1)
        continue
    key, _, val = line.partition("=")
    conf["%s.%s" % (sec, key.strip())] = val.strip()
check("the ConfigMap's posync.conf names only keys of posync.conf(5)",
      " ".join(sorted(set(conf) - man)), "")
readme = open(os.path.join(k, "README.md")).read()
named = set("%s.%s" % m for m in re.findall(r'\[(\w+)\] (\w+)', readme))
check("README.md names some [section] key", len(named) > 0, True)
check("README.md names only keys of posync.conf(5)", " ".join(sorted(named - man)), "")
check("metrics go to a Pushgateway: [metrics] push_url", bool(conf.get("metrics.push_url")), True)
check("the tenant is the [metrics] instance", conf.get("metrics.instance"), "acme")
check("the PVC is ReadWriteOnce", pvc["spec"]["accessModes"], ["ReadWriteOnce"])

# the Containerfile
cf = open(os.path.join(k, "Containerfile")).read()
check("Containerfile: FROM debian:12-slim", re.search(r'^FROM debian:12-slim$', cf, re.M) is not None, True)
check("Containerfile: copies the .deb make deb builds",
      re.search(r'^COPY build/deb/posync_\*\.deb ', cf, re.M) is not None, True)
check("Containerfile: installs it", re.search(r'apt-get install .*/tmp/posync_\*\.deb', cf) is not None, True)
uid = re.search(r'^ARG POSYNC_UID=(\d+)$', cf, re.M)
uid = int(uid.group(1)) if uid else None
check("Containerfile: runs as the user it makes",
      re.search(r'^USER \$POSYNC_UID:\$POSYNC_UID$', cf, re.M) is not None, True)

# crontab.example's two job lines: five fields and the command
cron = [l.split(None, 5) for l in open(os.path.join(top, "crontab.example"))
        if re.match(r'[^#A-Z\s]', l)]
want = {"cronjob-inbound.yaml": cron[0], "cronjob-outbound.yaml": cron[1]}

def bare(d):
    """the CronJob without what may differ between the two"""
    d = yaml.safe_load(yaml.safe_dump(d))
    d["metadata"]["name"] = None
    d["metadata"]["labels"].pop("posync.example.com/direction")
    d["spec"]["schedule"] = None
    t = d["spec"]["jobTemplate"]["spec"]["template"]
    t["metadata"]["labels"].pop("posync.example.com/direction")
    t["spec"]["containers"][0]["command"] = None
    return d

for f, j in sorted(jobs.items()):
    s = j["spec"]
    pod = s["jobTemplate"]["spec"]["template"]["spec"]
    c = pod["containers"][0]
    check("%s: batch/v1 CronJob" % f, j["apiVersion"], "batch/v1")
    check("%s: concurrencyPolicy: Forbid" % f, s.get("concurrencyPolicy"), "Forbid")
    check("%s: crontab.example's schedule" % f, s.get("schedule"), " ".join(want[f][:5]))
    check("%s: its pipeline under pipefail" % f, c.get("command"),
          ["/bin/bash", "-o", "pipefail", "-c", want[f][5].strip()])
    check("%s: restartPolicy: Never" % f, pod.get("restartPolicy"), "Never")
    sc = pod.get("securityContext", {})
    check("%s: runs as non-root, the Containerfile's user" % f,
          (sc.get("runAsNonRoot"), sc.get("runAsUser"), sc.get("runAsGroup"), sc.get("fsGroup")),
          (True, uid, uid, uid))
    vols = {v["name"]: v for v in pod["volumes"]}
    mounts = [(ct["name"], m) for ct in pod.get("initContainers", []) + pod["containers"]
              for m in ct.get("volumeMounts", [])]
    def mounts_of(kind):
        names = [n for n, v in vols.items() if kind in v]
        return [(ct, m) for ct, m in mounts if m["name"] in names]
    pv = [v for v in vols.values() if "persistentVolumeClaim" in v]
    check("%s: the spool is the PVC" % f,
          [v["persistentVolumeClaim"]["claimName"] for v in pv], [pvc["metadata"]["name"]])
    check("%s: mounted at [spool] dir" % f,
          [m["mountPath"] for ct, m in mounts_of("persistentVolumeClaim")], [conf.get("spool.dir")])
    sv = [v["secret"] for v in vols.values() if "secret" in v]
    check("%s: one Secret volume" % f, len(sv), 1)
    check("%s: every mount of the Secret is read-only" % f,
          [m.get("readOnly") for ct, m in mounts_of("secret")], [True])
    cv = [v["configMap"]["name"] for v in vols.values() if "configMap" in v]
    check("%s: the config from the ConfigMap" % f, cv, [cm["metadata"]["name"]])
    env = {e["name"]: e.get("value") for e in c.get("env", [])}
    path = env.get("POSYNC_CONFIG", "")
    check("%s: POSYNC_CONFIG is the ConfigMap's file, read-only" % f,
          [(m["mountPath"], m.get("readOnly")) for ct, m in mounts_of("configMap")],
          [(os.path.dirname(path), True)])
    check("%s: ... whose key is in the ConfigMap" % f, os.path.basename(path) in cm["data"], True)
    # the secrets posync reads are the files the init container copied
    init = pod.get("initContainers", [{}])[0]
    cmd = init.get("command", [])
    copied = {os.path.basename(a) for a in cmd[3:-1]}
    dest = cmd[-1].rstrip("/") if cmd else None
    check("%s: the init container copies with install -m 0600" % f, cmd[:3], ["install", "-m", "0600"])
    for key in ("sftp.identity_file", "sftp.known_hosts", "hotwax.token_file"):
        v = conf.get(key, "")
        check("%s: %s is a file the init container copied" % (f, key),
              (os.path.dirname(v), os.path.basename(v) in copied), (dest, True))
    check("%s: posync mounts the copies read-only" % f,
          [(m["mountPath"], m.get("readOnly")) for m in c["volumeMounts"] if m["mountPath"] == dest],
          [(dest, True)])
    check("%s: the copies live in memory" % f,
          [v["emptyDir"].get("medium") for v in vols.values()
           if "emptyDir" in v and any(m["name"] == v["name"] and m["mountPath"] == dest
                                      for ct, m in mounts)], ["Memory"])
a, b = [bare(d) for f, d in sorted(jobs.items())]
check("the two CronJobs differ only in name, schedule and command",
      yaml.safe_dump(a) == yaml.safe_dump(b), True)
PY
t_is "the checks ran" "$(cat "$SCRATCH/py.err")" ""
while IFS='	' read -r desc got want; do
	t_is "$desc" "$got" "$want"
done <"$SCRATCH/checks"
t_true "at least 50 checks" "$(grep -c . "$SCRATCH/checks")" -ge 50

# The ConfigMap's configuration, loaded by po-import -n: its files and
# servers moved to this scratch folder and a closed port on 127.0.0.1
# (po-import -n with no batch contacts nobody).
P=$SCRATCH/private
mkdir -p "$P" "$SCRATCH/spool"
for f in id_ed25519 known_hosts hotwax.token; do
	echo placeholder >"$P/$f" && chmod 600 "$P/$f"
done
port=$(free_port)
python3 -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["data"]["posync.conf"])' \
	"$K/configmap.yaml" | sed -e "s#/run/posync/private/#$P/#" \
	-e "s#^dir = .*#dir = $SCRATCH/spool#" -e 's#^host = .*#host = 127.0.0.1#' \
	-e "s#^base_url = .*#base_url = https://127.0.0.1:$port/api/#" \
	-e "s#^push_url = .*#push_url = http://127.0.0.1:$port#" >"$SCRATCH/posync.conf"
t_is "  every server in it is now on 127.0.0.1" \
	"$(grep -E '^(host|base_url|push_url) ' "$SCRATCH/posync.conf" | grep -v '127\.0\.0\.1')" ""
t_exit "po-import -n loads the ConfigMap's posync.conf" 0 po-import -n -c "$SCRATCH/posync.conf"
printf 'no_such_key = 1\n' >>"$SCRATCH/posync.conf"
t_exit "  and refuses it with a key posync does not know (78)" 78 \
	po-import -n -c "$SCRATCH/posync.conf"

t_done
