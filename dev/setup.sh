#!/usr/bin/env bash
# Prepare everything the app's tests and demo need, on a fresh Debian machine or
# an already prepared one: system packages, MariaDB and Redis running, a
# virtualenv with pinned dependencies, the Frappe engine, and a bench layout in
# dev/bench. Every step checks first and does nothing when already done.
set -euo pipefail

DEV_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$DEV_DIR/common.sh"

step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }

apt_install() {
	local missing=()
	for package in "$@"; do
		dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	command -v apt-get >/dev/null || fail "missing ${missing[*]} and no apt-get to install them"
	step "Installing ${missing[*]}"
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	if [ ! -f "$BENCH_DIR/.apt-updated" ]; then
		$sudo apt-get update -qq
		mkdir -p "$BENCH_DIR" && touch "$BENCH_DIR/.apt-updated"
	fi
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_system_packages() {
	# wkhtmltopdf and CJK fonts for PDFs in Chinese; pango for WeasyPrint.
	local packages=(wkhtmltopdf fonts-noto-cjk fonts-wqy-zenhei libpango-1.0-0 libpangoft2-1.0-0)
	# Debian's Chromium and its driver for the browser tests: nothing downloads a browser.
	packages+=(chromium chromium-driver)
	packages+=(fonts-tibetan-machine fonts-unifont)  # Tibetan in PDFs (templates/print/tibetan_font.html)
	[ -x /usr/sbin/mariadbd ] || packages+=(mariadb-server mariadb-client)
	command -v redis-server >/dev/null || packages+=(redis-server)
	# Debian's own python3 needs python3-venv for `python3 -m venv`.
	python3 -c 'import ensurepip' 2>/dev/null || packages+=(python3-venv)
	apt_install "${packages[@]}"
}

ensure_redis() {
	if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then return 0; fi
	step "Starting Redis on 127.0.0.1:$REDIS_PORT"
	mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
	redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
		--dir "${TMPDIR:-/tmp}" --logfile "$BENCH_DIR/redis.log"
	for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.2; done
	fail "Redis did not start (see $BENCH_DIR/redis.log)"
}

mariadb_as_root() {
	# Socket access as the system root, or root's password when one is set.
	if [ -n "${MARIADB_ROOT_PASSWORD:-}" ]; then
		mariadb -uroot -p"$MARIADB_ROOT_PASSWORD" "$@"
	else
		mariadb -uroot "$@"
	fi
}

ensure_mariadb() {
	if ! mariadb-admin ping >/dev/null 2>&1; then
		step "Starting MariaDB"
		mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
		if [ ! -d /var/lib/mysql/mysql ]; then
			mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
		fi
		start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
		for _ in $(seq 100); do mariadb-admin ping >/dev/null 2>&1 && break; sleep 0.3; done
		mariadb-admin ping >/dev/null 2>&1 || fail "MariaDB did not start"
	fi

	# Frappe refuses to create a site unless the server defaults to utf8mb4.
	local conf=/etc/mysql/mariadb.conf.d/99-wangge-app.cnf
	if [ -d /etc/mysql/mariadb.conf.d ] && [ ! -f "$conf" ]; then
		printf '[mysqld]\ncharacter-set-server = utf8mb4\ncollation-server = utf8mb4_unicode_ci\n\n[mysql]\ndefault-character-set = utf8mb4\n' >"$conf"
	fi
	mariadb_as_root -e "SET GLOBAL character_set_server = 'utf8mb4'; SET GLOBAL collation_server = 'utf8mb4_unicode_ci';" \
		|| fail "cannot reach MariaDB as root: run as root (socket access) or set MARIADB_ROOT_PASSWORD"

	# Frappe logs in as a database admin with a password; root may only have socket access.
	mariadb_as_root <<-SQL
		CREATE USER IF NOT EXISTS '$DB_ADMIN_USER'@'localhost' IDENTIFIED BY '$DB_ADMIN_PASSWORD';
		CREATE USER IF NOT EXISTS '$DB_ADMIN_USER'@'127.0.0.1' IDENTIFIED BY '$DB_ADMIN_PASSWORD';
		GRANT ALL PRIVILEGES ON *.* TO '$DB_ADMIN_USER'@'localhost' WITH GRANT OPTION;
		GRANT ALL PRIVILEGES ON *.* TO '$DB_ADMIN_USER'@'127.0.0.1' WITH GRANT OPTION;
		FLUSH PRIVILEGES;
	SQL
}

ensure_virtualenv() {
	local stamp="$BENCH_DIR/env/.requirements-sha256"
	local wanted
	wanted=$(sha256sum "$DEV_DIR/requirements.txt" "$ROOT_DIR/pyproject.toml" | sha256sum | cut -d' ' -f1)
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then return 0; fi
	step "Creating the virtualenv in $BENCH_DIR/env"
	[ -x "$BENCH_DIR/env/bin/python" ] || python3 -m venv "$BENCH_DIR/env"
	"$PYTHON" -m pip install -q --disable-pip-version-check -r "$DEV_DIR/requirements.txt"
	# The app installs as bench installs it: an editable pip install of its pyproject.
	"$PYTHON" -m pip install -q --disable-pip-version-check --no-deps -e "$BENCH_DIR/apps/wangge_app"
	# The engine has no packaging metadata of its own: import it from apps/frappe.
	local site_packages
	site_packages=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
	echo "$BENCH_DIR/apps/frappe" >"$site_packages/frappe-engine.pth"
	echo "$wanted" >"$stamp"
}

ensure_bench_layout() {
	mkdir -p "$BENCH_DIR/apps" "$BENCH_DIR/sites/assets" "$BENCH_DIR/logs" "$BENCH_DIR/config/pids"
	ln -sfn "$ROOT_DIR" "$BENCH_DIR/apps/wangge_app"
	"${PYTHON_BOOTSTRAP:-python3}" "$DEV_DIR/build_engine.py" "$BENCH_DIR"
	printf 'frappe\nwangge_app\n' >"$BENCH_DIR/sites/apps.txt"
	[ -f "$BENCH_DIR/sites/assets/assets.json" ] || echo '{}' >"$BENCH_DIR/sites/assets/assets.json"
	[ -f "$BENCH_DIR/sites/assets/assets-rtl.json" ] || echo '{}' >"$BENCH_DIR/sites/assets/assets-rtl.json"
	# Static files of each app. Until the desk assets are built, sites/assets/<app> is a
	# symlink to the app's public/; dev/assets/build.sh turns it into a real folder with
	# the built dist/ and a symlink per entry of public/, which is left alone here.
	local app public
	for app in frappe wangge_app; do
		public="$BENCH_DIR/apps/$app/$app/public"
		if [ -d "$BENCH_DIR/sites/assets/$app" ] && [ ! -L "$BENCH_DIR/sites/assets/$app" ]; then continue; fi
		ln -sfn "$public" "$BENCH_DIR/sites/assets/$app"
	done
	cat >"$BENCH_DIR/sites/common_site_config.json" <<-JSON
		{
		 "db_host": "127.0.0.1",
		 "redis_cache": "redis://127.0.0.1:$REDIS_PORT",
		 "redis_queue": "redis://127.0.0.1:$REDIS_PORT",
		 "redis_socketio": "redis://127.0.0.1:$REDIS_PORT",
		 "webserver_port": $WEB_PORT,
		 "serve_default_site": true,
		 "developer_mode": 0
		}
	JSON
}

mkdir -p "$BENCH_DIR"
step "System packages and services"
ensure_system_packages
ensure_redis
ensure_mariadb
ensure_bench_layout
ensure_virtualenv
bash "$DEV_DIR/assets/build.sh"
echo "setup: ready ($BENCH_DIR)"
