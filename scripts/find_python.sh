#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter, or explains what to install.
# Rasa Open Source 3.6 supports Python 3.8-3.10 only; HipGuide pins 3.10.
set -euo pipefail

is_310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; }

if [ -n "${HIPGUIDE_PYTHON:-}" ]; then
  if is_310 "$HIPGUIDE_PYTHON"; then echo "$HIPGUIDE_PYTHON"; exit 0; fi
  echo "error: HIPGUIDE_PYTHON=$HIPGUIDE_PYTHON is not a working Python 3.10" >&2; exit 1
fi

# 1. A python3.10 on PATH that really runs (a pyenv shim refuses unless 3.10 is selected).
for candidate in python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
  if command -v "$candidate" >/dev/null 2>&1 && is_310 "$candidate"; then
    command -v "$candidate"; exit 0
  fi
done

# 2. pyenv: any installed 3.10.x, without changing the user's selected version.
if command -v pyenv >/dev/null 2>&1; then
  prefix=$(pyenv prefix 3.10 2>/dev/null || true)
  if [ -z "$prefix" ]; then
    latest=$(pyenv versions --bare 2>/dev/null | grep -E '^3\.10\.[0-9]+$' | sort -t. -k3 -n | tail -n1 || true)
    [ -n "$latest" ] && prefix="$(pyenv root)/versions/$latest"
  fi
  if [ -n "$prefix" ] && is_310 "$prefix/bin/python"; then echo "$prefix/bin/python"; exit 0; fi
fi

# 3. A generic python3 that happens to be 3.10.
if command -v python3 >/dev/null 2>&1 && is_310 python3; then command -v python3; exit 0; fi

cat >&2 <<'MSG'
error: HipGuide needs Python 3.10 (Rasa Open Source 3.6 supports Python 3.8-3.10 only).
Install it with one of:
  pyenv install 3.10        (then run make again; no need to select it)
  sudo apt-get install python3.10 python3.10-venv   (Debian/Ubuntu with 3.10 packages)
  or point HIPGUIDE_PYTHON at a Python 3.10 interpreter: make run HIPGUIDE_PYTHON=/path/to/python3.10
MSG
exit 1
