# The production stack on this machine, shared by scripts/bench and scripts/multihost: the
# Debian packages, the benchmark's Python extras, PostgreSQL and Redis in a temporary
# directory, and the production settings' environment for a run without a public address.
# shellcheck shell=bash
# Needs scripts/_env.sh sourced first.

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# stack_packages [extra Debian package …]: installs what is missing (as root), or says what to install.
stack_packages() {
  local missing=() package
  [ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v ffmpeg >/dev/null || missing+=(ffmpeg)
  for package in "$@"; do
    command -v "${package%%:*}" >/dev/null || missing+=("${package#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "==> installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# stack_python: the locked dependencies plus the bench extra (locust, py-spy); sets PY.
stack_python() {
  kepu_venv
  PY=.venv/bin/python
  local stamp=.venv/.kepu-bench-requirements want
  want="$(sha256sum requirements/bench.txt | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    echo "==> installing the benchmark's dependencies (requirements/bench.txt)"
    $PY -m pip install --quiet --require-hashes --no-deps -r requirements/bench.txt \
      2> >(grep -v "WARNING: Location" >&2)
    echo "$want" >"$stamp"
  fi
}

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# stack_start [extra listen address …]: PostgreSQL and Redis in a new RUN_DIR, listening on
# 127.0.0.1 (and the given addresses, for app hosts in other network namespaces). Sets RUN_DIR,
# PG_BIN, PG_PORT, REDIS_PORT; stack_stop stops them and removes RUN_DIR.
stack_start() {
  local listen="127.0.0.1" address
  for address in "$@"; do listen="$listen,$address"; done
  RUN_DIR="$(mktemp -d /tmp/kepu-bench.XXXXXX)"
  chmod 755 "$RUN_DIR"
  PG_PORT="$(free_port)"
  REDIS_PORT="$(free_port)"
  PG_BIN="$(pg_bin)"
  echo "==> starting PostgreSQL on $listen:$PG_PORT and Redis on $listen:$REDIS_PORT"
  [ "$(id -u)" -eq 0 ] && chown postgres "$RUN_DIR"
  as_pg "$PG_BIN/initdb" -D "$RUN_DIR/pg" -U kepu --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  # The app hosts' networks (each address's /24) may connect, as a private network would.
  for address in "$@"; do
    echo "host all all ${address%.*}.0/24 trust" | as_pg tee -a "$RUN_DIR/pg/pg_hba.conf" >/dev/null
  done
  # Durable settings as in production (fsync on); sized for this 24 GiB machine.
  as_pg "$PG_BIN/pg_ctl" -D "$RUN_DIR/pg" -l "$RUN_DIR/pg.log" -w -o \
    "-p $PG_PORT -k $RUN_DIR -c listen_addresses=$listen -c max_connections=200 -c shared_buffers=1GB -c work_mem=16MB -c maintenance_work_mem=512MB -c max_wal_size=4GB" \
    start >/dev/null
  # Redis refuses other addresses than loopback in protected mode; those networks are private.
  redis-server --port "$REDIS_PORT" --bind "${listen//,/ }" --save "" --appendonly no \
    --protected-mode "$([ $# -gt 0 ] && echo no || echo yes)" \
    --daemonize yes --pidfile "$RUN_DIR/redis.pid" --dir "$RUN_DIR" --logfile "$RUN_DIR/redis.log"
  as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U kepu kepu
}

stack_stop() {
  [ -n "${RUN_DIR:-}" ] || return 0
  [ -f "$RUN_DIR/pg/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$RUN_DIR/pg" -m fast stop >/dev/null 2>&1
  [ -f "$RUN_DIR/redis.pid" ] && kill "$(cat "$RUN_DIR/redis.pid")" 2>/dev/null
  rm -rf "$RUN_DIR"
}

# stack_production_env HOSTS BASE_URL: the production settings, configured for a run on this
# machine (no TLS terminator in front of gunicorn, a fresh secret, files under RUN_DIR).
stack_production_env() {
  export DJANGO_SETTINGS_MODULE=kepu.settings.production
  DJANGO_SECRET_KEY="bench-$($PY -c 'import secrets; print(secrets.token_urlsafe(40))')"
  export DJANGO_SECRET_KEY
  export DJANGO_ALLOWED_HOSTS="$1"
  export KEPU_BASE_URL="$2"
  export DATABASE_URL="postgres://kepu@127.0.0.1:$PG_PORT/kepu"
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  export KEPU_VAR_DIR="$RUN_DIR/var"
  export DJANGO_MEDIA_ROOT="$RUN_DIR/media" KEPU_PRIVATE_MEDIA_ROOT="$RUN_DIR/private"
  export DJANGO_STATIC_ROOT="$RUN_DIR/static"
  export KEPU_LOG_LEVEL=WARNING
}
