#!/usr/bin/env bash
# `make demo`: set up, recreate the demo site with the sample community 幸福社区
# (wangge_app.demo.make_demo), and run it as a production site runs, in the foreground until
# Ctrl-C: `bench start --no-dev --procfile dev/Procfile` (nginx in front of gunicorn and the realtime
# server, the background-job worker and the scheduler). The site's name comes from WANGGE_DEMO_SITE
# (default wangge.localhost), nginx's port from WANGGE_WEB_PORT (default 8000), gunicorn's from
# WANGGE_GUNICORN_PORT (the next one), the realtime server's from WANGGE_SOCKETIO_PORT (9000).
set -euo pipefail

DEV_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$DEV_DIR/common.sh"

SITE=${WANGGE_DEMO_SITE:-wangge.localhost}
# Test sites are recreated by `make test`; the demo keeps away from them.
case "$SITE" in test_*) echo "demo.sh: the demo site's name must not start with test_" >&2; exit 2 ;; esac
DEMO_PASSWORD=demo123  # wangge_app.demo.DEMO_PASSWORD

bash "$DEV_DIR/setup.sh"

for port_setting in "$WEB_PORT WANGGE_WEB_PORT" "$GUNICORN_PORT WANGGE_GUNICORN_PORT" "$SOCKETIO_PORT WANGGE_SOCKETIO_PORT"; do
	read -r port setting <<<"$port_setting"
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		echo "demo.sh: port $port is already in use; stop that server or set $setting" >&2
		exit 1
	fi
done
# The realtime server checks a browser's session by asking the site at the browser's address, and
# wkhtmltopdf loads a PDF's stylesheets from the site's host_name: both need the name to lead here,
# as *.localhost does (libnss-myhostname, dev/setup.sh). Another name needs an entry in /etc/hosts
# (`bench --site SITE add-to-hosts`) or in DNS.
getent hosts "$SITE" >/dev/null \
	|| echo "demo.sh: warning: $SITE does not resolve on this machine; realtime updates and PDFs need it to" >&2

echo "==> Creating the demo site $SITE"
new_site "$SITE" >"$BENCH_DIR/logs/new-site-$SITE.log" 2>&1 \
	|| { tail -40 "$BENCH_DIR/logs/new-site-$SITE.log"; echo "demo.sh: creating $SITE failed" >&2; exit 1; }
# Default site for CLI commands without --site.
bench_in use "$SITE" >/dev/null
# A new site's scheduler is off until an admin turns it on (the setup wizard would).
bench_in --site "$SITE" scheduler enable >/dev/null
# The site's own address, as a production site has it: the links Frappe writes outside a request
# (mails, notifications) and the stylesheets of PDFs, which wkhtmltopdf fetches through nginx (it
# runs with --quiet in Frappe 15, and a stylesheet it cannot load fails the PDF).
bench_in --site "$SITE" set-config host_name "http://$SITE:$WEB_PORT" >/dev/null

echo "==> Generating the sample community"
bench_in --site "$SITE" execute wangge_app.demo.make_demo >"$BENCH_DIR/logs/demo-data-$SITE.log" 2>&1 \
	|| { sed '/During handling of the above exception/,$d' "$BENCH_DIR/logs/demo-data-$SITE.log" | tail -40; echo "demo.sh: generating the demo data failed" >&2; exit 1; }

cat <<-EOF

	==> Running $SITE at http://$SITE:$WEB_PORT  (Ctrl-C stops everything)
	    with bench start --no-dev --procfile dev/Procfile, as a production bench runs it:
	      nginx      http://$SITE:$WEB_PORT, on 127.0.0.1 (dev/nginx.conf, written out to
	                 $BENCH_DIR/config/nginx/$WEB_PORT/): /assets from sites/assets, /files from the
	                 site's public folder, private files after Frappe's check (X-Accel-Redirect),
	                 /socket.io to the realtime server, the rest to gunicorn. The site is found by the
	                 name asked for: *.localhost names this machine; http://127.0.0.1:$WEB_PORT names no
	                 site and answers 404
	      web        gunicorn (frappe.app:application, 2 workers) on 127.0.0.1:$GUNICORN_PORT, behind nginx
	      socketio   the realtime server (node apps/frappe/socketio.js) on 127.0.0.1:$SOCKETIO_PORT, behind
	                 nginx: the desk's live updates (new notifications, list refreshes, progress)
	      worker     bench worker: background jobs (notifications, mail, enqueued work)
	      schedule   bench schedule: every minute, enqueues the due scheduled jobs of the sites
	                 (overdue mediation targets every 10 minutes, voucher expiry and the points
	                 balance check daily). A new site counts as dormant to the scheduler until it
	                 has activity: its jobs start running once someone logs in.
	    Their output follows, each line named by its process; Frappe also logs to $BENCH_DIR/logs/,
	    nginx to $BENCH_DIR/logs/nginx-$WEB_PORT.access.log and nginx-$WEB_PORT.error.log.

	    Logins (Administrator's password is WANGGE_ADMIN_PASSWORD, the others' $DEMO_PASSWORD):
	      Administrator                  $ADMIN_PASSWORD    System Manager
	      admin@xingfu.example           $DEMO_PASSWORD  System Manager (the site's administrator)
	      manager@xingfu.example         $DEMO_PASSWORD  Community Manager (customises forms and workflows)
	      gridworker1@xingfu.example     $DEMO_PASSWORD  Grid Worker, full-time, 第一网格 (… gridworker5)
	      gridworker1-1@xingfu.example   $DEMO_PASSWORD  Grid Worker, part-time, one micro-grid of 第一网格
	      partysecretary@xingfu.example  $DEMO_PASSWORD  Grid Party Branch Secretary
	      partycommittee@xingfu.example  $DEMO_PASSWORD  Community Party Committee
	      mediator@xingfu.example        $DEMO_PASSWORD  Community Mediator
	      merchant@xingfu.example        $DEMO_PASSWORD  Partner Merchant of 拉萨康宁健康体检中心 (portal /merchant, no desk;
	                                                     merchant02@ … merchant25@ for the other merchants)

	    The grid workers' field app, for a phone: http://$SITE:$WEB_PORT/field (log in as gridworker1@xingfu.example;
	    README, "The field app")

EOF

cd "$BENCH_DIR"
# dev/Procfile and dev/nginx.sh read the ports from these (the realtime server's from
# common_site_config.json, which setup.sh sets).
export WANGGE_WEB_PORT=$WEB_PORT WANGGE_GUNICORN_PORT=$GUNICORN_PORT
exec bench start --no-dev --procfile "$DEV_DIR/Procfile"
