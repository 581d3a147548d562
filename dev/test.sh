#!/usr/bin/env bash
# `make test`: set up, create a fresh test site with the app installed, and run the whole test
# suite: the app's FrappeTestCase tests with `bench run-tests --app wangge_app`, then the tests of
# the served site and of the bench (tests/http, tests/browser, tests/bench) with pytest.
#
# With arguments, pytest alone runs with them (the FrappeTestCase tests too, through the plugin
# frappe_pytest.py): `make test ARGS="wangge_app/grid -x -q"`.
#
# `--quick` (`make test-quick`): the unit tests of what changed and a smoke test of the served site
# (dev/quick_tests.py chooses them), on the test site an earlier run left (migrated when a DocType
# changed), or a new one.
set -euo pipefail

DEV_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$DEV_DIR/common.sh"

# How long each phase took, printed as it ends (the suite's time is mostly a few of them).
PHASE_START=$SECONDS
phase_done() {
	echo "==> $1 took $((SECONDS - PHASE_START)) s"
	PHASE_START=$SECONDS
}

QUICK=0
if [ "${1:-}" = "--quick" ]; then
	QUICK=1
	shift
	WANGGE_REUSE_SITE=${WANGGE_REUSE_SITE:-1}
fi

bash "$DEV_DIR/setup.sh"
phase_done "Setup"

SITE=${WANGGE_TEST_SITE:-test_wangge}
case "$SITE" in test_*) ;; *) echo "test.sh: the test site's name must start with test_" >&2; exit 2 ;; esac

PORT=${WANGGE_BROWSER_PORT:-8009}
# WANGGE_REUSE_SITE=1 keeps a test site made by an earlier run (a quicker `make test ARGS=…`).
if [ "${WANGGE_REUSE_SITE:-0}" = 1 ] && [ -f "$BENCH_DIR/sites/$SITE/site_config.json" ]; then
	echo "==> Reusing the test site $SITE"
	if [ $QUICK = 1 ] && (cd "$ROOT_DIR" && "$PYTHON" "$DEV_DIR/quick_tests.py" --needs-migrate); then
		echo "==> A DocType, patch or hook changed: bench --site $SITE migrate"
		bench_in --site "$SITE" migrate >"$BENCH_DIR/logs/migrate-$SITE.log" 2>&1 \
			|| { tail -40 "$BENCH_DIR/logs/migrate-$SITE.log"; echo "test.sh: migrating $SITE failed" >&2; exit 1; }
	fi
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
phase_done "The test site"

# The site is served for the whole run (Frappe's server, on PORT), so that the unit tests' PDFs find
# their stylesheets and the HTTP and browser tests (tests/conftest.py) have it to talk to.
echo "==> Serving $SITE at http://127.0.0.1:$PORT (log: $BENCH_DIR/logs/browser-server.log)"
(cd "$BENCH_DIR/sites" && exec "$PYTHON" -m frappe.utils.bench_helper frappe --site "$SITE" serve --port "$PORT" --noreload) \
	>"$BENCH_DIR/logs/browser-server.log" 2>&1 &
SERVER_PID=$!
DRILLS_PID=
stop_background() {
	[ -z "$DRILLS_PID" ] || kill "$DRILLS_PID" 2>/dev/null || true
	kill $SERVER_PID 2>/dev/null || true
	wait $SERVER_PID 2>/dev/null || true
}
trap 'status=$?; stop_background; exit $status' EXIT
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
if [ $QUICK = 1 ]; then
	mapfile -t QUICK_TESTS < <(cd "$ROOT_DIR" && "$PYTHON" "$DEV_DIR/quick_tests.py")
	echo "==> Quick: pytest ${QUICK_TESTS[*]}"
	status=0
	run_pytest -q "${QUICK_TESTS[@]}" "$@" || status=$?
	phase_done "The quick tests"
	exit $status
fi
if [ $# -gt 0 ]; then
	echo "==> Running pytest $*"
	run_pytest "$@" && exit 0 || exit $?
fi

status=0
# The drills of tests/bench that start no worker (the backup drill, on the demo it builds, and the
# upgrade drill) work on sites of their own: they run beside the unit tests and the tests of the
# served site, each of which keeps about one core busy. Once this pytest has connected to the test
# site (and run its before_tests hooks, as run-tests does next), the unit tests start.
DRILLS=(tests/bench/test_backup_restore.py tests/bench/test_upgrade.py)
DRILLS_LOG=$BENCH_DIR/logs/drills.log
DRILLS_READY=$BENCH_DIR/logs/drills.ready
rm -f "$DRILLS_READY"
echo "==> Beside them, the drills: pytest ${DRILLS[*]} (log: $DRILLS_LOG)"
# exec: DRILLS_PID is pytest's own, for stop_background.
(cd "$ROOT_DIR" && WANGGE_DRILLS_READY_FILE=$DRILLS_READY exec "$PYTHON" -m pytest -c "$DEV_DIR/pytest.ini" \
	--rootdir "$ROOT_DIR" --durations=10 "${DRILLS[@]}") >"$DRILLS_LOG" 2>&1 &
DRILLS_PID=$!
for _ in $(seq 600); do
	[ -e "$DRILLS_READY" ] || ! kill -0 $DRILLS_PID 2>/dev/null && break
	sleep 0.2
done

echo "==> Unit tests: bench --site $SITE run-tests --app wangge_app"
# Without CI set, run-tests reports failures and still exits 0.
CI=1 bench_in --site "$SITE" run-tests --app wangge_app || status=$?
phase_done "The unit tests"
echo "==> Tests of the served site: pytest tests/http tests/browser"
run_pytest --durations=25 tests/http tests/browser || status=$?
phase_done "The tests of the served site"

echo "==> The drills (backup, upgrade): waiting for them"
drills_status=0
wait $DRILLS_PID || drills_status=$?
DRILLS_PID=
tail -30 "$DRILLS_LOG"
[ $drills_status = 0 ] || status=$drills_status
phase_done "Waiting for the drills"
# The bench's tests last: they start the site's worker and scheduler. The journeys use the demo the
# backup drill built in this run (or build it, when the drill did not get that far).
echo "==> Tests of the bench: pytest tests/bench (the drills aside)"
# Absolute: dev/frappe_pytest.py changes the directory before pytest reads --ignore.
WANGGE_REUSE_DEMO=1 run_pytest --durations=15 tests/bench \
	"${DRILLS[@]/#/--ignore=$ROOT_DIR/}" || status=$?
phase_done "The tests of the bench"
exit $status
