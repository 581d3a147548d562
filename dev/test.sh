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

PORT=${WANGGE_BROWSER_PORT:-8009}
# WANGGE_REUSE_SITE=1 keeps a test site made by an earlier run (a quicker `make test ARGS=…`).
if [ "${WANGGE_REUSE_SITE:-0}" = 1 ] && [ -f "$BENCH_DIR/sites/$SITE/site_config.json" ]; then
	echo "==> Reusing the test site $SITE"
else
	echo "==> Creating the test site $SITE"
	new_site "$SITE" >"$BENCH_DIR/logs/new-site-$SITE.log" 2>&1 \
		|| { tail -40 "$BENCH_DIR/logs/new-site-$SITE.log"; echo "test.sh: creating $SITE failed" >&2; exit 1; }
	bench_in --site "$SITE" set-config allow_tests true >/dev/null
	# Frappe refuses a new user once 60 were created in the last hour (a guard against mass sign-ups);
	# the suite's fixtures create more than that.
	bench_in --site "$SITE" set-config --parse throttle_user_limit 10000 >/dev/null
	# The site's own address, as a production site has it: prints turned into PDFs load their
	# stylesheets from it (wkhtmltopdf runs with --quiet in Frappe 15, and a page it cannot load is fatal).
	bench_in --site "$SITE" set-config host_name "http://127.0.0.1:$PORT" >/dev/null
fi

# The site is served for the whole run (Frappe's server, on PORT), so that the unit tests' PDFs find
# their stylesheets and the HTTP and browser tests (tests/conftest.py) have it to talk to.
echo "==> Serving $SITE at http://127.0.0.1:$PORT (log: $BENCH_DIR/logs/browser-server.log)"
(cd "$BENCH_DIR/sites" && exec "$PYTHON" -m frappe.utils.bench_helper frappe --site "$SITE" serve --port "$PORT" --noreload) \
	>"$BENCH_DIR/logs/browser-server.log" 2>&1 &
SERVER_PID=$!
trap 'status=$?; kill $SERVER_PID 2>/dev/null || true; wait $SERVER_PID 2>/dev/null || true; exit $status' EXIT
for _ in $(seq 150); do
	curl -sf "http://127.0.0.1:$PORT/api/method/ping" >/dev/null 2>&1 && break
	kill -0 $SERVER_PID 2>/dev/null || { tail -20 "$BENCH_DIR/logs/browser-server.log"; echo "test.sh: the site server exited" >&2; exit 1; }
	sleep 0.4
done
export WANGGE_BROWSER_PORT=$PORT WANGGE_SITE_SERVED=1

export WANGGE_TEST_SITE=$SITE WANGGE_SITES_PATH=$BENCH_DIR/sites PYTHONPATH=$DEV_DIR
run_pytest() {
	(cd "$ROOT_DIR" && "$PYTHON" -m pytest -c "$DEV_DIR/pytest.ini" --rootdir "$ROOT_DIR" "$@")
}

if [ "${1:-}" = "--unit-only" ]; then
	echo "==> Unit tests: bench --site $SITE run-tests --app wangge_app"
	CI=1 bench_in --site "$SITE" run-tests --app wangge_app
	exit
fi
if [ $# -gt 0 ]; then
	echo "==> Running pytest $*"
	run_pytest "$@" && exit 0 || exit $?
fi

status=0
echo "==> Unit tests: bench --site $SITE run-tests --app wangge_app"
# Without CI set, run-tests reports failures and still exits 0.
CI=1 bench_in --site "$SITE" run-tests --app wangge_app || status=$?
echo "==> Tests of the served site and of the bench: pytest tests/http tests/browser tests/bench"
# The bench's tests last: they start the site's worker and scheduler.
run_pytest tests/http tests/browser tests/bench || status=$?
exit $status
