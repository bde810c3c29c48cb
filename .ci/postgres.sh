#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the PostgreSQL tests.
#
#   eval "$(bash .ci/postgres.sh start)"   # installs if needed, starts, exports SAHELWATCH_TEST_POSTGRES
#   bash .ci/postgres.sh stop              # stops the cluster and deletes its files
#
# The cluster listens on 127.0.0.1 only, on a free port, with a random
# password, in a temporary directory; its location is kept in $STATE so
# stop finds it. PostgreSQL refuses to run as root, so as root the server
# runs as the "postgres" system user (created by the Debian package).
# Everything but the final export line goes to stderr.
set -euo pipefail

STATE=${SAHELWATCH_PG_STATE:-${TMPDIR:-/tmp}/sahelwatch-pg.state}

log() { printf 'postgres.sh: %s\n' "$*" >&2; }

bindir() {
	local d
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && { echo "$d"; return 0; }
	done
	command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
	return 1
}

install() {
	bindir >/dev/null 2>&1 && return 0
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		log "no PostgreSQL server found and cannot install one (need root and apt-get)"
		exit 1
	fi
	log "installing postgresql (and postgis when available)"
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
	local v
	v=$(basename "$(dirname "$(bindir)")")
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$v-postgis-3" >&2 ||
		log "postgis not installed: spatial queries use the latitude/longitude fallback"
}

# as runs a command as the cluster's owner.
as() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

start() {
	if [ -f "$STATE" ]; then
		log "a cluster is already recorded in $STATE; run stop first"
		exit 1
	fi
	install
	local bin dir pw port ok=
	bin=$(bindir)
	dir=$(mktemp -d "${TMPDIR:-/tmp}/sahelwatch-pg.XXXXXX")
	chmod 755 "$dir"
	pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
	printf '%s\n' "$pw" >"$dir/pwfile"
	[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir"
	as "$bin/initdb" -D "$dir/data" -U sahelwatch --pwfile="$dir/pwfile" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	rm -f "$dir/pwfile"
	# A random port; retry when it turns out to be taken.
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		port=$((20000 + RANDOM % 40000))
		if as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
			-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >&2; then
			ok=1
			break
		fi
	done
	if [ -z "$ok" ]; then
		tail -20 "$dir/server.log" >&2 || true
		exit 1
	fi
	printf 'dir=%q\nbin=%q\n' "$dir" "$bin" >"$STATE"
	PGPASSWORD=$pw "$bin/createdb" -h 127.0.0.1 -p "$port" -U sahelwatch sahelwatch
	log "cluster in $dir on 127.0.0.1:$port"
	printf 'export SAHELWATCH_TEST_POSTGRES=%q\n' "postgres://sahelwatch:$pw@127.0.0.1:$port/sahelwatch?sslmode=disable"
}

stop() {
	if [ ! -f "$STATE" ]; then
		log "no cluster recorded in $STATE"
		return 0
	fi
	local dir bin
	# shellcheck disable=SC1090
	. "$STATE"
	as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || log "pg_ctl stop failed"
	rm -rf "$dir" "$STATE"
	log "stopped and removed $dir"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
*)
	echo "usage: $0 start|stop" >&2
	exit 2
	;;
esac
