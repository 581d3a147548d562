#!/usr/bin/env bash
# `make test`: set up, create a fresh test site with the app installed, and run
# the whole test suite with pytest. Arguments are passed on to pytest.
set -euo pipefail

DEV_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$DEV_DIR/common.sh"

bash "$DEV_DIR/setup.sh"

SITE=${WANGGE_TEST_SITE:-test_wangge}
case "$SITE" in test_*) ;; *) echo "test.sh: the test site's name must start with test_" >&2; exit 2 ;; esac

echo "==> Creating the test site $SITE"
new_site "$SITE" >"$BENCH_DIR/logs/new-site-$SITE.log" 2>&1 \
	|| { tail -40 "$BENCH_DIR/logs/new-site-$SITE.log"; echo "test.sh: creating $SITE failed" >&2; exit 1; }
frappe_cli --site "$SITE" set-config allow_tests true >/dev/null

echo "==> Running the tests"
cd "$ROOT_DIR"
export WANGGE_TEST_SITE=$SITE WANGGE_SITES_PATH=$BENCH_DIR/sites PYTHONPATH=$DEV_DIR
exec "$PYTHON" -m pytest -c "$DEV_DIR/pytest.ini" --rootdir "$ROOT_DIR" "$@"
