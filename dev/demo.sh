#!/usr/bin/env bash
# `make demo`: set up, recreate the demo site with the sample community 幸福社区
# (wangge_app.demo.make_demo), and run it as a production site runs, in the foreground until
# Ctrl-C: `bench start --no-dev --procfile dev/Procfile` (gunicorn, the background-job worker and
# the scheduler). The site's name comes from WANGGE_DEMO_SITE (default wangge.localhost), the
# port from WANGGE_WEB_PORT (default 8000).
set -euo pipefail

DEV_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$DEV_DIR/common.sh"

SITE=${WANGGE_DEMO_SITE:-wangge.localhost}
# Test sites are recreated by `make test`; the demo keeps away from them.
case "$SITE" in test_*) echo "demo.sh: the demo site's name must not start with test_" >&2; exit 2 ;; esac
DEMO_PASSWORD=demo123  # wangge_app.demo.DEMO_PASSWORD

bash "$DEV_DIR/setup.sh"

if (exec 3<>"/dev/tcp/127.0.0.1/$WEB_PORT") 2>/dev/null; then
	echo "demo.sh: port $WEB_PORT is already in use; stop that server or set WANGGE_WEB_PORT" >&2
	exit 1
fi

echo "==> Creating the demo site $SITE"
new_site "$SITE" >"$BENCH_DIR/logs/new-site-$SITE.log" 2>&1 \
	|| { tail -40 "$BENCH_DIR/logs/new-site-$SITE.log"; echo "demo.sh: creating $SITE failed" >&2; exit 1; }
# Default site for CLI commands without --site.
bench_in use "$SITE" >/dev/null
# A new site's scheduler is off until an admin turns it on (the setup wizard would).
bench_in --site "$SITE" scheduler enable >/dev/null

echo "==> Generating the sample community"
bench_in --site "$SITE" execute wangge_app.demo.make_demo >"$BENCH_DIR/logs/demo-data-$SITE.log" 2>&1 \
	|| { sed '/During handling of the above exception/,$d' "$BENCH_DIR/logs/demo-data-$SITE.log" | tail -40; echo "demo.sh: generating the demo data failed" >&2; exit 1; }

cat <<-EOF

	==> Running $SITE (Ctrl-C stops everything), with bench start --no-dev --procfile dev/Procfile:
	      web        gunicorn (frappe.app:application, 2 workers) at http://$SITE:$WEB_PORT
	                 (gunicorn finds the site by the name asked for: *.localhost names this machine
	                 in browsers and curl; http://127.0.0.1:$WEB_PORT names no site and answers 404)
	      worker     bench worker: background jobs (notifications, mail, enqueued work)
	      schedule   bench schedule: every minute, enqueues the due scheduled jobs of the sites
	                 (overdue mediation targets every 10 minutes, voucher expiry and the points
	                 balance check daily). A new site counts as dormant to the scheduler until it
	                 has activity: its jobs start running once someone logs in.
	    Their output follows, each line named by its process; Frappe also logs to $BENCH_DIR/logs/.

	    Logins (Administrator's password is WANGGE_ADMIN_PASSWORD, the others' $DEMO_PASSWORD):
	      Administrator                  $ADMIN_PASSWORD    System Manager
	      manager@xingfu.example         $DEMO_PASSWORD  Community Manager, System Manager
	      gridworker1@xingfu.example     $DEMO_PASSWORD  Grid Worker, full-time, 第一网格 (… gridworker5)
	      gridworker1-1@xingfu.example   $DEMO_PASSWORD  Grid Worker, part-time, one micro-grid of 第一网格
	      partysecretary@xingfu.example  $DEMO_PASSWORD  Grid Party Branch Secretary
	      partycommittee@xingfu.example  $DEMO_PASSWORD  Community Party Committee
	      mediator@xingfu.example        $DEMO_PASSWORD  Community Mediator
	      merchant@xingfu.example        $DEMO_PASSWORD  Partner Merchant of 拉萨康宁健康体检中心 (portal /merchant, no desk;
	                                                     merchant02@ … merchant25@ for the other merchants)

EOF

cd "$BENCH_DIR"
export WANGGE_WEB_PORT=$WEB_PORT
exec bench start --no-dev --procfile "$DEV_DIR/Procfile"
