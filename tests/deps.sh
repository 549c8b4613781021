#!/bin/sh
# deps.sh PACKAGE... -- the Debian packages posync's build and tests need.
# As root it installs the missing ones with apt-get (make deps; make check
# and make demo run it first).  Anyone else is told which are missing and
# to run make deps as root, and the status is 1: only make deps needs root,
# and nothing here tries apt-get without it.
missing=
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "posync needs these Debian packages, missing here:$missing" >&2
	echo "run \`make deps\` as root to install them, which runs:" >&2
	echo "  apt-get update && apt-get install -y$missing" >&2
	exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq $missing >/dev/null
