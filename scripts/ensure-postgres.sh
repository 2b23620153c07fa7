#!/usr/bin/env bash
# ensure-postgres.sh makes sure a PostgreSQL server answers at DATABASE_URL, so that `make dev`
# and `make test` work on a fresh machine. It checks the server, not the database: the
# application creates its own database (and the tests create one each).
#
# If nothing answers and the address is local, on Debian/Ubuntu (as root or with sudo) it
# installs the `postgresql` package if missing, starts (or creates) the cluster for the port,
# and lets the `postgres` user connect over 127.0.0.1 without a password. Anywhere else it says
# what to start and exits 1. Running it again when all is well only checks.
set -euo pipefail

DEFAULT_URL="postgres://postgres@127.0.0.1:5432/subsidyflow?sslmode=disable"
URL="${DATABASE_URL:-$DEFAULT_URL}"
WAIT_SECONDS="${ENSURE_POSTGRES_WAIT:-30}"

say() { echo "ensure-postgres: $*"; }
die() { echo "ensure-postgres: $*" >&2; exit 1; }

# parse_url sets HOST, PORT and ADMIN_URL (the same server and credentials, database
# `postgres`) from a libpq URL (postgres:// or postgresql://, user/password optional,
# [ipv6] hosts, host/port given as query parameters for sockets) or a key=value string.
parse_url() {
	local url="$1" rest authority hostport query=""
	HOST="" PORT=""
	case "$url" in
	postgres://* | postgresql://*)
		rest="${url#*://}"
		if [[ "$rest" == *\?* ]]; then query="${rest#*\?}"; rest="${rest%%\?*}"; fi
		authority="${rest%%/*}"
		hostport="${authority##*@}" # user:password@ comes before the last @
		if [[ "$hostport" == \[* ]]; then
			HOST="${hostport#\[}"
			HOST="${HOST%%\]*}"
			[[ "$hostport" == *\]:* ]] && PORT="${hostport##*\]:}"
		elif [[ "$hostport" == *:* ]]; then
			HOST="${hostport%%:*}"
			PORT="${hostport##*:}"
		else
			HOST="$hostport"
		fi
		local kv kvs
		IFS='&' read -r -a kvs <<<"$query"
		for kv in "${kvs[@]}"; do
			case "$kv" in
			host=*) HOST="${kv#host=}" ;;
			port=*) PORT="${kv#port=}" ;;
			esac
		done
		HOST="${HOST//%2F//}" # a socket directory may be percent-encoded
		HOST="${HOST//%2f//}"
		# Same server, same credentials and parameters, database `postgres`.
		ADMIN_URL="${url%%://*}://${authority}/postgres"
		if [[ -n "$query" ]]; then ADMIN_URL="$ADMIN_URL?$query"; fi
		;;
	*=*)
		local word
		for word in $url; do
			case "$word" in
			host=*) HOST="${word#host=}" ;;
			port=*) PORT="${word#port=}" ;;
			esac
		done
		ADMIN_URL="$url dbname=postgres" # libpq takes the last value of a repeated key
		;;
	*)
		die "DATABASE_URL is neither a postgres:// URL nor key=value settings: $url"
		;;
	esac
	HOST="${HOST:-127.0.0.1}"
	PORT="${PORT:-5432}"
	[[ "$PORT" =~ ^[0-9]+$ ]] || die "cannot read a port number from DATABASE_URL ($PORT)"
}

answers() {
	if command -v pg_isready >/dev/null; then
		pg_isready -q -h "$HOST" -p "$PORT" -t 2
	elif [[ "$HOST" == /* ]]; then
		[[ -S "$HOST/.s.PGSQL.$PORT" ]]
	else
		timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$PORT" 2>/dev/null
	fi
}

wait_until_answers() {
	local i
	for ((i = 0; i < WAIT_SECONDS; i++)); do
		answers && return 0
		sleep 1
	done
	return 1
}

# can_login tries the URL's own credentials against the `postgres` database.
can_login() {
	PGCONNECT_TIMEOUT=5 psql "$ADMIN_URL" -w -X -q -t -c 'select 1' >/dev/null 2>"$LOGIN_ERR"
}

is_local() {
	case "$HOST" in
	127.0.0.1 | localhost | ::1 | /*) return 0 ;;
	*) return 1 ;;
	esac
}

# as_root runs a command as root directly or through password-less sudo.
as_root() {
	if [[ "$(id -u)" == 0 ]]; then
		"$@"
	else
		sudo -n "$@"
	fi
}

can_be_root() { [[ "$(id -u)" == 0 ]] || sudo -n true 2>/dev/null; }

start_elsewhere_hint() {
	cat >&2 <<EOF
ensure-postgres: nothing answers at $HOST:$PORT and this script can only set PostgreSQL up
ensure-postgres: on Debian/Ubuntu as root or with password-less sudo, for a local address.
ensure-postgres: Start PostgreSQL 15+ yourself, for example one of:
ensure-postgres:   docker run -d --name subsidyflow-pg -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:15
ensure-postgres:   brew install postgresql@15 && brew services start postgresql@15
ensure-postgres: then point DATABASE_URL at it (the database itself need not exist), e.g.
ensure-postgres:   export DATABASE_URL='postgres://postgres@127.0.0.1:5432/subsidyflow?sslmode=disable'
EOF
	exit 1
}

install_postgres() {
	if command -v pg_ctlcluster >/dev/null && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
		return 0
	fi
	say "installing the postgresql package with apt-get (this takes a minute)"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
}

# cluster_for_port prints "version name" of the Debian cluster configured for PORT, if any.
cluster_for_port() {
	pg_lsclusters -h 2>/dev/null | awk -v port="$PORT" '$3 == port { print $1, $2; exit }'
}

start_cluster() {
	local cluster version name
	cluster="$(cluster_for_port)"
	if [[ -z "$cluster" ]]; then
		if [[ -n "$(pg_lsclusters -h 2>/dev/null)" ]]; then
			say "existing clusters use other ports; none is configured for port $PORT:" >&2
			pg_lsclusters >&2
			die "set DATABASE_URL to one of those ports, or create a cluster on $PORT (pg_createcluster --port $PORT ...)"
		fi
		version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -1)"
		say "creating PostgreSQL $version cluster 'main' on port $PORT"
		as_root pg_createcluster --port "$PORT" "$version" main >/dev/null
		cluster="$version main"
	fi
	read -r version name <<<"$cluster"
	say "starting PostgreSQL $version cluster '$name' on port $PORT"
	# --skip-systemctl-redirect: containers and CI images often have no running systemd.
	as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start ||
		say "pg_ctlcluster start reported an error (see /var/log/postgresql/postgresql-$version-$name.log); waiting anyway"
	CLUSTER="$cluster"
}

# allow_trust puts loopback trust rules for the postgres user, and for the login roles the app
# and the simulated bank connect as (created by `subsidyflow migrate`, passwordless in
# development), first in pg_hba.conf (the first matching line wins), then reloads. Only called
# after a login has actually failed.
allow_trust() {
	local version name hba
	read -r version name <<<"$CLUSTER"
	hba="/etc/postgresql/$version/$name/pg_hba.conf"
	[[ -f "$hba" ]] || die "cannot log in ($(head -c 300 "$LOGIN_ERR")) and $hba is missing"
	say "login as postgres over TCP was refused; adding loopback trust rules to $hba (local development only)"
	as_root sed -i '1i # Added by subsidyflow scripts/ensure-postgres.sh: passwordless postgres and subsidyflow login roles on loopback, for local development only.\nhost all postgres,subsidyflow_app_login,subsidyflow_bank_login 127.0.0.1/32 trust\nhost all postgres,subsidyflow_app_login,subsidyflow_bank_login ::1/128 trust' "$hba"
	as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" reload
}

main() {
	parse_url "$URL"
	LOGIN_ERR="$(mktemp)"
	trap 'rm -f "$LOGIN_ERR"' EXIT
	CLUSTER=""

	if ! answers; then
		is_local || die "nothing answers at $HOST:$PORT (from DATABASE_URL); start that server or point DATABASE_URL elsewhere"
		if ! { command -v apt-get >/dev/null && can_be_root; }; then
			start_elsewhere_hint
		fi
		say "nothing answers at $HOST:$PORT; setting up a local PostgreSQL"
		install_postgres
		start_cluster
		wait_until_answers || die "PostgreSQL did not answer at $HOST:$PORT within ${WAIT_SECONDS}s; see /var/log/postgresql/"
	fi

	if ! command -v psql >/dev/null; then
		say "PostgreSQL answers at $HOST:$PORT (psql not installed, login not checked)"
		return 0
	fi
	if ! can_login; then
		# Only a cluster this machine manages (and we may administer) is changed.
		if [[ -z "$CLUSTER" ]] && is_local && command -v pg_lsclusters >/dev/null; then
			CLUSTER="$(cluster_for_port)"
		fi
		if [[ -n "$CLUSTER" ]] && can_be_root && grep -qiE 'password|authentication|pg_hba' "$LOGIN_ERR"; then
			allow_trust
			sleep 1
			can_login || die "still cannot log in: $(cat "$LOGIN_ERR")"
		else
			die "PostgreSQL answers at $HOST:$PORT but login failed: $(cat "$LOGIN_ERR")"
		fi
	fi
	say "PostgreSQL is ready at $HOST:$PORT"
}

# Run unless sourced (sourcing lets one try parse_url by hand).
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
	main "$@"
fi
