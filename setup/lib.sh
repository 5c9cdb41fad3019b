# shellcheck shell=bash
# Shared helpers for the setup/ commands. Sourced, never executed.
set -euo pipefail

PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$PROJECT_ROOT/.venv"
LOCAL="$PROJECT_ROOT/.local"
ODOO_SRC="${ODOO_SRC:-${XDG_CACHE_HOME:-$HOME/.cache}/internal_sla/odoo-19.0}"
ODOO_SRC_URL="${ODOO_SRC_URL:-https://github.com/odoo/odoo/archive/refs/heads/19.0.tar.gz}"
ODOO_CONF="$LOCAL/odoo.conf"
PG_DATA="$LOCAL/pg/data"
PG_RUN="$LOCAL/pg/run"
PG_ENV_FILE="$LOCAL/pg/env"
PY="${PYTHON:-python3}"
# Bytecode is cached under .local (ignored), source trees stay clean: where the environment
# sets PYTHONDONTWRITEBYTECODE, every Odoo process (each test worker, each install step)
# compiled its ~900 modules from source again, about half a second to a second each.
export PYTHONPYCACHEPREFIX="${PYTHONPYCACHEPREFIX:-$LOCAL/pycache}"
unset PYTHONDONTWRITEBYTECODE

say() { printf '\033[1m[internal_sla]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[internal_sla] ERROR:\033[0m %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

# Odoo source: ODOO_SRC or the cache folder; downloaded when missing; 19.0 only.
ensure_odoo_source() {
    if [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
        say "Odoo 19.0 source not found in $ODOO_SRC; downloading $ODOO_SRC_URL"
        local tmp
        tmp="$(mktemp -d)"
        if ! curl -fsSL --connect-timeout 10 --max-time 900 -o "$tmp/odoo.tar.gz" "$ODOO_SRC_URL"; then
            rm -rf "$tmp"
            die "could not download the Odoo 19.0 source (offline?).
  Provide it yourself, then re-run this command:
    - put an Odoo 19.0 source tree (the folder holding odoo-bin, odoo/ and addons/) at
        $ODOO_SRC
    - or point ODOO_SRC at an existing one:  ODOO_SRC=/path/to/odoo-19.0 $0
    - or point ODOO_SRC_URL at a reachable .tar.gz of the 19.0 branch."
        fi
        mkdir -p "$ODOO_SRC"
        tar -xzf "$tmp/odoo.tar.gz" -C "$ODOO_SRC" --strip-components=1
        rm -rf "$tmp"
    fi
    local version
    version="$("$PY" - "$ODOO_SRC/odoo/release.py" <<'PYEOF'
import sys
scope = {}
exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), scope)
print(scope.get("serie", "?"))
PYEOF
)" || die "cannot read $ODOO_SRC/odoo/release.py"
    [ "$version" = "19.0" ] || die "$ODOO_SRC holds Odoo $version, not 19.0. Set ODOO_SRC to an Odoo 19.0 tree."
}

# Stamp helpers: skip slow steps when their inputs did not change.
stamp_ok() { [ -f "$LOCAL/stamps/$1" ] && [ "$(cat "$LOCAL/stamps/$1")" = "$2" ]; }
stamp_set() { mkdir -p "$LOCAL/stamps"; printf '%s' "$2" >"$LOCAL/stamps/$1"; }
hash_of() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

# The user that owns and runs the project-local PostgreSQL cluster (never root).
pg_os_user() {
    if is_root; then
        if ! id internal_sla_pg >/dev/null 2>&1; then
            useradd --system --no-create-home --shell /usr/sbin/nologin internal_sla_pg
        fi
        echo internal_sla_pg
    else
        id -un
    fi
}

as_pg_user() {
    local user
    user="$(pg_os_user)"
    if is_root; then
        runuser -u "$user" -- "$@"
    else
        "$@"
    fi
}

pg_bindir() {
    local candidate
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir
        return
    fi
    for candidate in /usr/lib/postgresql/*/bin; do
        [ -x "$candidate/initdb" ] && { echo "$candidate"; return; }
    done
    command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return; }
    die "PostgreSQL server binaries (initdb, pg_ctl) not found. Install them: sudo apt-get install postgresql"
}

free_port() {
    "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Exports PGHOST/PGPORT/PGUSER(/PGPASSWORD): the caller's server when PGHOST is set, else the
# project-local cluster, created and started on demand.
ensure_postgres() {
    if [ -n "${PGHOST:-}" ]; then
        export PGHOST PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-$(id -un)}"
        return
    fi
    local bindir user
    bindir="$(pg_bindir)"
    user="$(pg_os_user)"
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        say "creating a project-local PostgreSQL cluster in $PG_DATA"
        mkdir -p "$PG_DATA" "$PG_RUN"
        is_root && chown -R "$user" "$LOCAL/pg"
        # The work tree may not be readable by the cluster's user: it only needs its own folder.
        is_root && chmod o+x "$PROJECT_ROOT" "$LOCAL" 2>/dev/null || true
        as_pg_user "$bindir/initdb" -D "$PG_DATA" -U odoo --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
        printf 'PGPORT=%s\n' "$(free_port)" >"$PG_ENV_FILE"
    fi
    # shellcheck disable=SC1090
    . "$PG_ENV_FILE"
    export PGHOST=127.0.0.1 PGPORT PGUSER=odoo
    if ! as_pg_user "$bindir/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        if "$PY" -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $PGPORT)) != 0)"; then
            PGPORT="$(free_port)"
            printf 'PGPORT=%s\n' "$PGPORT" >"$PG_ENV_FILE"
        fi
        say "starting PostgreSQL on 127.0.0.1:$PGPORT"
        as_pg_user "$bindir/pg_ctl" -D "$PG_DATA" -l "$LOCAL/pg/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PG_RUN -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null || die "PostgreSQL did not start; see $LOCAL/pg/server.log"
    fi
}

stop_postgres() {
    [ -f "$PG_DATA/PG_VERSION" ] || { say "no project-local PostgreSQL cluster"; return; }
    as_pg_user "$(pg_bindir)/pg_ctl" -D "$PG_DATA" -m fast stop || true
}

write_odoo_conf() {
    mkdir -p "$LOCAL/data"
    cat >"$ODOO_CONF" <<CONF
[options]
addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$PROJECT_ROOT
data_dir = $LOCAL/data
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
admin_passwd = admin
http_interface = 127.0.0.1
http_port = ${INTERNAL_SLA_HTTP_PORT:-8069}
list_db = True
CONF
    if [ -n "${PGPASSWORD:-}" ]; then printf 'db_password = %s\n' "$PGPASSWORD" >>"$ODOO_CONF"; fi
}

odoo_bin() { "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" "$@"; }

# Odoo as it installs internal_sla: under a clock started at INTERNAL_SLA_INSTALL_AT when set
# (setup/test-at: the demo history is dated back from that moment; setup/fake_clock.py).
odoo_bin_installing() {
    if [ -n "${INTERNAL_SLA_INSTALL_AT:-}" ]; then
        "$VENV/bin/python" "$PROJECT_ROOT/setup/fake_clock.py" "$INTERNAL_SLA_INSTALL_AT" \
            "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" "$@"
    else
        odoo_bin "$@"
    fi
}

db_exists() {
    [ "$("$VENV/bin/python" - "$1" <<'PYEOF'
import sys, psycopg2
conn = psycopg2.connect(dbname="postgres")
cur = conn.cursor()
cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (sys.argv[1],))
print("yes" if cur.fetchone() else "no")
PYEOF
)" = yes ]
}

# Whether a database has internal_sla installed (a half-built one does not count).
db_has_addon() {
    [ "$("$VENV/bin/python" - "$1" <<'PYEOF'
import sys, psycopg2
try:
    conn = psycopg2.connect(dbname=sys.argv[1])
    cur = conn.cursor()
    cur.execute("SELECT state FROM ir_module_module WHERE name = 'internal_sla'")
    row = cur.fetchone()
    print("yes" if row and row[0] == "installed" else "no")
except psycopg2.Error:
    print("no")
PYEOF
)" = yes ]
}

LOG_DIR="$LOCAL/log"

# Odoo warnings are defects: fail on any WARNING/ERROR line of a log.
check_log() {
    local bad
    bad="$(grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$1" || true)"
    if [ -n "$bad" ]; then
        printf '%s\n' "$bad" | head -30 >&2
        die "$2 logged the warnings above (full log: $1)"
    fi
}

# A template database with internal_sla's dependencies only (plain helpdesk_mgmt & co), built
# once per set of dependencies; prints its name.
ensure_base_db() {
    local base_db="internal_sla_base" depends_hash depends
    mkdir -p "$LOG_DIR"
    depends_hash="$(hash_of "$ODOO_SRC/odoo/release.py" "$PROJECT_ROOT/setup/requirements-dev.txt" \
        <(grep -A2 '"depends"' "$PROJECT_ROOT/internal_sla/__manifest__.py") \
        <("$VENV/bin/pip" list --format=freeze 2>/dev/null | grep '^odoo'))"
    if ! stamp_ok base-db "$depends_hash" || ! db_exists "$base_db"; then
        say "building template database $base_db with the dependencies (once)"
        dropdb --if-exists "$base_db" 2>/dev/null
        depends="$("$VENV/bin/python" -c "import ast,sys; print(','.join(ast.literal_eval(open(sys.argv[1]).read())['depends']))" "$PROJECT_ROOT/internal_sla/__manifest__.py")"
        odoo_bin -d "$base_db" -i "$depends" --with-demo --stop-after-init --no-http \
            --logfile "$LOG_DIR/base.log" --log-level=warn >&2 \
            || die "installing the dependencies failed; see $LOG_DIR/base.log"
        stamp_set base-db "$depends_hash"
    fi
    echo "$base_db"
}

# copy_db SOURCE TARGET: a fresh copy of a database and of its filestore.
copy_db() {
    dropdb --if-exists "$2" 2>/dev/null
    rm -rf "$LOCAL/data/filestore/$2"
    createdb -T "$1" "$2"
    if [ -d "$LOCAL/data/filestore/$1" ]; then
        mkdir -p "$LOCAL/data/filestore"
        cp -r "$LOCAL/data/filestore/$1" "$LOCAL/data/filestore/$2"
    fi
}

# What an installation of internal_sla is built from: the addon (its tests aside, which the
# installation does not read), these scripts, the dependencies' template and the day (the demo
# history is dated back from it), or setup/test-at's moment.
addon_install_key() {
    (cd "$PROJECT_ROOT" && find internal_sla -path internal_sla/tests -prune -o -type f \
        ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum) \
        | cat - "$PROJECT_ROOT/setup/lib.sh" "$PROJECT_ROOT/setup/pregenerate_assets.py" \
            "$LOCAL/stamps/base-db" <(date +%F) <(printf '%s' "${INTERNAL_SLA_INSTALL_AT:-}") \
        | sha256sum \
        | cut -c1-16
}

# build_addon_db NAME: a fresh database with internal_sla installed (and no warning logged),
# copied from NAME_installed; that installation is redone when anything it is built from
# changed, and it has the web client's assets generated, which the browser tours would
# otherwise each generate again inside their rolled-back transaction.
build_addon_db() {
    local base_db installed="$1_installed" key
    base_db="$(ensure_base_db)"
    key="$(addon_install_key)"
    if stamp_ok "installed-$1" "$key" && db_exists "$installed"; then
        say "creating fresh database $1 (internal_sla unchanged since its installation)"
    else
        say "creating fresh database $1 with internal_sla"
        rm -f "$LOCAL/stamps/installed-$1"
        copy_db "$base_db" "$installed"
        : >"$LOG_DIR/install-$1.log"
        odoo_bin_installing -d "$installed" -i internal_sla --stop-after-init --no-http \
            --logfile "$LOG_DIR/install-$1.log" --log-level=warn \
            || die "installing internal_sla failed; see $LOG_DIR/install-$1.log"
        "$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$ODOO_CONF" -d "$installed" \
            --no-http --logfile "$LOG_DIR/install-$1.log" --log-level=warn \
            <"$PROJECT_ROOT/setup/pregenerate_assets.py" >/dev/null \
            || die "generating the web assets failed; see $LOG_DIR/install-$1.log"
        check_log "$LOG_DIR/install-$1.log" "installing internal_sla"
        stamp_set "installed-$1" "$key"
    fi
    copy_db "$installed" "$1"
}

# serve_demo LOG: the run command on a free port ($DEMO_PORT) in the background, stopped when
# the calling script exits; returns once /web/login answers HTTP 200.
serve_demo() {
    DEMO_PORT="$(free_port)"
    INTERNAL_SLA_HTTP_PORT="$DEMO_PORT" setsid "$PROJECT_ROOT/setup/run" --log-level=warn \
        >"$1" 2>&1 &
    DEMO_PID=$!
    trap 'kill -- -$DEMO_PID 2>/dev/null || kill $DEMO_PID 2>/dev/null || true' EXIT
    "$VENV/bin/python" - "$DEMO_PORT" <<'PYEOF' || die "the demo server did not answer (see $1)"
import sys, time, urllib.request
deadline = time.time() + 900
while True:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/web/login", timeout=10) as r:
            assert r.status == 200, r.status
            break
    except Exception:
        if time.time() > deadline:
            raise
        time.sleep(2)
PYEOF
}
