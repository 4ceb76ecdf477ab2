# Shared by scripts/run and scripts/test: a virtual environment with the locked dependencies.
# shellcheck shell=bash

kepu_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "kepu needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)." >&2
  return 1
}

# Creates .venv if needed and installs requirements/dev.txt when it changed since last time.
kepu_venv() {
  local python stamp want
  python="$(kepu_python)"
  if [ ! -x .venv/bin/python ]; then
    echo "==> creating virtual environment .venv"
    "$python" -m venv .venv
  fi
  stamp=.venv/.kepu-requirements
  want="$(sha256sum requirements/dev.txt | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    echo "==> installing locked dependencies (requirements/dev.txt)"
    # (The filter drops pip's notes about optional local package mirrors some machines list.)
    .venv/bin/python -m pip install --quiet --upgrade pip 2> >(grep -v "WARNING: Location" >&2)
    .venv/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements/dev.txt \
      2> >(grep -v "WARNING: Location" >&2)
    echo "$want" >"$stamp"
  fi
}
