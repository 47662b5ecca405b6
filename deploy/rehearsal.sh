#!/usr/bin/env bash
# Rehearse the multi-instance deployment on loopback (deploy/rehearsal.py says what it checks).
# Needs nginx, PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379; exits non-zero on any
# failed check. Usage: bash deploy/rehearsal.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { echo "nginx is not installed"; exit 1; }
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis is not answering on 127.0.0.1:6379"; exit 1; }
pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not answering on 127.0.0.1:5432"; exit 1; }
PATH="$PATH:/usr/sbin" exec timeout 170 "$PYTHON" deploy/rehearsal.py
