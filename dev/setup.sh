#!/usr/bin/env bash
# Prepare everything the app's tests and demo need, on a fresh Debian machine or
# an already prepared one: system packages, MariaDB and Redis running, the `bench`
# command (frappe-bench, pinned), and a Frappe bench in dev/bench made by it
# (bench init with the engine, bench get-app with this app), with the desk assets.
# Every step checks first and does nothing when already done.
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
	if [ ! -f "$BUILD_DIR/.apt-updated" ]; then
		$sudo apt-get update -qq
		mkdir -p "$BUILD_DIR" && touch "$BUILD_DIR/.apt-updated"
	fi
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_system_packages() {
	# wkhtmltopdf and CJK fonts for PDFs in Chinese; pango for WeasyPrint.
	local packages=(curl wkhtmltopdf fonts-noto-cjk fonts-wqy-zenhei libpango-1.0-0 libpangoft2-1.0-0)
	# Debian's Chromium and its driver for the browser tests: nothing downloads a browser.
	packages+=(chromium chromium-driver)
	packages+=(fonts-tibetan-machine fonts-unifont)  # Tibetan in PDFs (templates/print/tibetan_font.html)
	# nginx in front of gunicorn and socketio, as on a production bench (dev/nginx.sh, dev/Procfile).
	packages+=(nginx)
	# *.localhost names this machine for every program, not only for browsers: the realtime server
	# checks a browser's session by asking the site at the address the browser used
	# (http://wangge.localhost:8000), and wkhtmltopdf fetches a PDF's stylesheets from there.
	# Debian's package adds `myhostname` to the hosts line of /etc/nsswitch.conf.
	packages+=(libnss-myhostname)
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
		--dir "${TMPDIR:-/tmp}" --logfile "$BUILD_DIR/redis.log"
	for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.2; done
	fail "Redis did not start (see $BUILD_DIR/redis.log)"
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

ensure_bench_cli() {
	# The `bench` command, pinned, in a virtualenv of its own (as `pip install frappe-bench`).
	local stamp="$BENCH_CLI_DIR/.requirements-sha256" wanted
	wanted=$(sha256sum "$DEV_DIR/bench-cli-requirements.txt" | cut -d' ' -f1)
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then return 0; fi
	step "Installing the bench command (frappe-bench) in $BENCH_CLI_DIR"
	[ -x "$BENCH_CLI_DIR/bin/python" ] || python3 -m venv "$BENCH_CLI_DIR"
	"$BENCH_CLI_DIR/bin/python" -m pip install -q --disable-pip-version-check -r "$DEV_DIR/bench-cli-requirements.txt"
	echo "$wanted" >"$stamp"
}

ensure_node_tools() {
	# Node.js (Debian's, when the machine has none) and yarn classic, which bench runs for Frappe's
	# front end: `bench setup requirements` runs `yarn install` in every app with a package.json,
	# --skip-assets or not, and `bench build` runs Frappe's esbuild through yarn.
	local missing=()
	command -v node >/dev/null || missing+=(nodejs)
	command -v npm >/dev/null || missing+=(npm)
	[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
	[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 18 ] || fail "node $(node -v) is too old: Frappe 15 needs Node.js >= 18"
	[ -x "$NODE_TOOLS_DIR/node_modules/.bin/yarn" ] && return 0
	step "Installing yarn in $NODE_TOOLS_DIR"
	npm install --silent --no-audit --no-fund --prefix "$NODE_TOOLS_DIR" yarn@1.22.22 >/dev/null || fail "npm install yarn failed"
}

ensure_bench() {
	# The engine is Frappe's release v15.41.0. Where its sources lie beside the project (GitHub is
	# out of reach on these machines), build_engine.py makes them a git repository that
	# `bench init --frappe-path` clones as it would clone Frappe's; elsewhere bench clones the tag.
	local frappe_source wanted stamp="$BENCH_DIR/.wangge-bench-inputs"
	if [ -f "$ENGINE_SOURCES/SHA256SUMS" ]; then
		"${PYTHON_BOOTSTRAP:-python3}" "$DEV_DIR/build_engine.py" "$ENGINE_SOURCES" "$ENGINE_REPO"
		frappe_source=(--frappe-path "$ENGINE_REPO" --frappe-branch "$ENGINE_BRANCH")
		wanted=$(cat "$ENGINE_REPO.stamp" "$DEV_DIR/bench-cli-requirements.txt" | sha256sum | cut -d' ' -f1)
	else
		frappe_source=(--frappe-branch "$ENGINE_TAG")
		wanted=$(echo "$ENGINE_TAG" | cat - "$DEV_DIR/bench-cli-requirements.txt" | sha256sum | cut -d' ' -f1)
	fi
	if [ -x "$PYTHON" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then return 0; fi
	step "bench init $BENCH_DIR (Frappe $ENGINE_TAG)"
	rm -rf "$BENCH_DIR"
	# As root, every bench command prints "You should not run this command as root" and stops
	# (with exit code 0) unless the bench's common_site_config.json names root as the frappe_user;
	# `bench init` reads it from sites/ under the folder it runs in, and copies it into the new
	# bench. (Another user is left alone by bench: naming them changes nothing.)
	mkdir -p "$BUILD_DIR/sites"
	printf '{"frappe_user": "%s"}\n' "$(id -un)" >"$BUILD_DIR/sites/common_site_config.json"
	# UV_CONSTRAINT: uv, which bench installs the apps with, takes the versions pinned in
	# requirements.txt (resolved from Frappe v15.41.0's own ranges) for the engine's dependencies.
	# --skip-redis-config-generation: the system's Redis serves the bench. Assets are built after
	# get-app, by `bench build`, for Frappe and the app together.
	(cd "$BUILD_DIR" && UV_CONSTRAINT="$DEV_DIR/requirements.txt" bench init "${frappe_source[@]}" \
		--python python3 --skip-assets --skip-redis-config-generation --no-backups "$BENCH_DIR") \
		>"$BUILD_DIR/bench-init.log" 2>&1 || { tail -30 "$BUILD_DIR/bench-init.log"; fail "bench init failed"; }
	[ -x "$PYTHON" ] || { tail -30 "$BUILD_DIR/bench-init.log"; fail "bench init made no virtualenv"; }
	echo "$wanted" >"$stamp"
}

ensure_app() {
	if [ ! -e "$BENCH_DIR/apps/wangge_app" ]; then
		step "bench get-app $ROOT_DIR"
		bench_in get-app "$ROOT_DIR" --skip-assets >"$BENCH_DIR/logs/get-app.log" 2>&1 \
			|| { tail -30 "$BENCH_DIR/logs/get-app.log"; fail "bench get-app failed"; }
	fi
	# get-app clones the repository, so the bench would run the last commit. The harness tests and
	# serves the working tree instead: the clone gives way to a symlink to this checkout, at the
	# same path, so get-app's editable install (which points at apps/wangge_app) imports it.
	if [ ! -L "$BENCH_DIR/apps/wangge_app" ]; then
		rm -rf "$BENCH_DIR/apps/wangge_app"
		ln -s "$ROOT_DIR" "$BENCH_DIR/apps/wangge_app"
	fi
}

ensure_python_requirements() {
	# The app's own dependencies as bench installs them, and the test tools (pytest, selenium),
	# pinned in requirements.txt with the engine's dependencies; again when either file changes.
	local stamp="$BENCH_DIR/env/.requirements-sha256" wanted
	wanted=$(sha256sum "$DEV_DIR/requirements.txt" "$ROOT_DIR/pyproject.toml" | sha256sum | cut -d' ' -f1)
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then return 0; fi
	step "Python requirements (bench setup requirements --python, dev/requirements.txt)"
	export UV_CONSTRAINT="$DEV_DIR/requirements.txt"
	bench_in setup requirements --python >"$BENCH_DIR/logs/setup-requirements.log" 2>&1 \
		|| { tail -30 "$BENCH_DIR/logs/setup-requirements.log"; fail "bench setup requirements failed"; }
	uv pip install --quiet --python "$PYTHON" -r "$DEV_DIR/requirements.txt" || fail "installing dev/requirements.txt failed"
	echo "$wanted" >"$stamp"
}

ensure_bench_config() {
	# The system's MariaDB and Redis; the port `bench serve` and the demo listen on (the demo's nginx;
	# gunicorn behind it takes the next port, dev/Procfile); the realtime server's port (socketio,
	# behind the same nginx). live_reload stays off: it serves `bench watch`, which the harness does
	# not run.
	local key value
	while read -r key value; do
		# set-config starts Python; skip the values already set.
		"$PYTHON" -c 'import ast,json,sys; c=json.load(open(sys.argv[1])); sys.exit(c.get(sys.argv[2]) != ast.literal_eval(sys.argv[3]))' \
			"$BENCH_DIR/sites/common_site_config.json" "$key" "$value" && continue
		bench_in set-config -g --parse "$key" "$value" >/dev/null || fail "bench set-config -g $key failed"
	done <<-EOF
		db_host "127.0.0.1"
		redis_cache "redis://127.0.0.1:$REDIS_PORT"
		redis_queue "redis://127.0.0.1:$REDIS_PORT"
		redis_socketio "redis://127.0.0.1:$REDIS_PORT"
		webserver_port $WEB_PORT
		socketio_port $SOCKETIO_PORT
		serve_default_site True
		live_reload False
	EOF
}

ensure_assets() {
	# `bench build`: Frappe's and the app's bundles into sites/assets (esbuild through yarn, as on any
	# bench), again when the engine or a file under the app's public/ changed.
	local stamp="$BENCH_DIR/sites/assets/.wangge-build-inputs" wanted
	wanted=$( (cat "$BENCH_DIR/.wangge-bench-inputs"; cd "$ROOT_DIR" && find wangge_app/public -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -d' ' -f1)
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && [ -f "$BENCH_DIR/sites/assets/assets.json" ]; then return 0; fi
	step "bench build (Frappe and wangge_app assets)"
	bench_in build >"$BENCH_DIR/logs/build.log" 2>&1 || { tail -30 "$BENCH_DIR/logs/build.log"; fail "bench build failed"; }
	echo "$wanted" >"$stamp"
}

mkdir -p "$BUILD_DIR"
step "System packages and services"
ensure_system_packages
ensure_redis
ensure_mariadb
ensure_bench_cli
ensure_node_tools
ensure_bench
ensure_app
ensure_python_requirements
ensure_bench_config
ensure_assets
echo "setup: ready ($BENCH_DIR)"
