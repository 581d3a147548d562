#!/usr/bin/env bash
# `make test`: set up, create a fresh test site with the app installed, and run the whole test
# suite: the app's FrappeTestCase tests with `bench run-tests --app wangge_app`, then the tests of
# the served site and of the bench (tests/http, tests/browser, tests/bench) with pytest.
#
# With arguments, pytest alone runs with them (the FrappeTestCase tests too, through the plugin
# frappe_pytest.py): `make test ARGS="wangge_app/grid -x -q"`.
set -euo pipefail

DEV_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$DEV_DIR/common.sh"

bash "$DEV_DIR/setup.sh"

SITE=${WANGGE_TEST_SITE:-test_wangge}
case "$SITE" in test_*) ;; *) echo "test.sh: the test site's name must start with test_" >&2; exit 2 ;; esac

echo "==> Creating the test site $SITE"
new_site "$SITE" >"$BENCH_DIR/logs/new-site-$SITE.log" 2>&1 \
	|| { tail -40 "$BENCH_DIR/logs/new-site-$SITE.log"; echo "test.sh: creating $SITE failed" >&2; exit 1; }
bench_in --site "$SITE" set-config allow_tests true >/dev/null
# Frappe refuses a new user once 60 were created in the last hour (a guard against mass sign-ups);
# the suite's fixtures create more than that.
bench_in --site "$SITE" set-config --parse throttle_user_limit 10000 >/dev/null

export WANGGE_TEST_SITE=$SITE WANGGE_SITES_PATH=$BENCH_DIR/sites PYTHONPATH=$DEV_DIR
run_pytest() {
	(cd "$ROOT_DIR" && "$PYTHON" -m pytest -c "$DEV_DIR/pytest.ini" --rootdir "$ROOT_DIR" "$@")
}

if [ $# -gt 0 ]; then
	echo "==> Running pytest $*"
	run_pytest "$@"
	exit
fi

status=0
echo "==> Unit tests: bench --site $SITE run-tests --app wangge_app"
# Without CI set, run-tests reports failures and still exits 0.
CI=1 bench_in --site "$SITE" run-tests --app wangge_app || status=$?
echo "==> Tests of the served site and of the bench: pytest tests/http tests/browser tests/bench"
# The bench's tests last: they start the site's worker and scheduler.
run_pytest tests/http tests/browser tests/bench || status=$?
exit $status
