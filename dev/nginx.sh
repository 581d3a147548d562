#!/usr/bin/env bash
# The nginx process of dev/Procfile, run by `bench start` in the bench's folder: writes dev/nginx.conf
# out for this bench and these ports into config/nginx/PORT/nginx.conf (its pid file and temporary
# files beside it, its logs logs/nginx-PORT.*.log), and runs nginx in the foreground with it, so that
# honcho stops it with the other processes.
#   WANGGE_WEB_PORT        the port nginx listens on, on 127.0.0.1 (8000)
#   WANGGE_GUNICORN_PORT   gunicorn's, behind it (WANGGE_WEB_PORT + 1), as in dev/Procfile
#   FRAPPE_SOCKETIO_PORT   the realtime server's (common_site_config.json's socketio_port), which
#                          socketio.js reads too
set -euo pipefail

DEV_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
BENCH_DIR=$(pwd -P)
SITES_DIR=$BENCH_DIR/sites
[ -f "$SITES_DIR/common_site_config.json" ] || { echo "nginx.sh: run it in the bench's folder (bench start does)" >&2; exit 2; }

WEB_PORT=${WANGGE_WEB_PORT:-8000}
GUNICORN_PORT=${WANGGE_GUNICORN_PORT:-$((WEB_PORT + 1))}
SOCKETIO_PORT=${FRAPPE_SOCKETIO_PORT:-$("$BENCH_DIR/env/bin/python" -c \
	'import json, sys; print(json.load(open(sys.argv[1])).get("socketio_port", 9000))' "$SITES_DIR/common_site_config.json")}
RUN_DIR=$BENCH_DIR/config/nginx/$WEB_PORT
LOGS_DIR=$BENCH_DIR/logs
mkdir -p "$RUN_DIR" "$LOGS_DIR"

# Started as root, nginx's workers would run as nobody, who may not read the bench; they run as the
# bench's user instead. (Another user's nginx ignores `user`.)
USER_DIRECTIVE="# workers run as the user who starts nginx"
[ "$(id -u)" -ne 0 ] || USER_DIRECTIVE="user $(id -un) $(id -gn);"

sed -e "s|@USER@|$USER_DIRECTIVE|" -e "s|@RUN_DIR@|$RUN_DIR|g" -e "s|@LOGS_DIR@|$LOGS_DIR|g" \
	-e "s|@SITES_DIR@|$SITES_DIR|g" -e "s|@WEB_PORT@|$WEB_PORT|g" -e "s|@GUNICORN_PORT@|$GUNICORN_PORT|g" \
	-e "s|@SOCKETIO_PORT@|$SOCKETIO_PORT|g" "$DEV_DIR/nginx.conf" >"$RUN_DIR/nginx.conf"

NGINX=$(command -v nginx || echo /usr/sbin/nginx)
echo "nginx.sh: nginx on http://127.0.0.1:$WEB_PORT (config $RUN_DIR/nginx.conf): /assets and /files from $SITES_DIR," \
	"/socket.io to 127.0.0.1:$SOCKETIO_PORT, the rest to gunicorn at 127.0.0.1:$GUNICORN_PORT"
# -e: the log of nginx's start, before it reads the configuration (Debian's default is /var/log/nginx).
exec "$NGINX" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$LOGS_DIR/nginx-$WEB_PORT.error.log" -g 'daemon off;'
