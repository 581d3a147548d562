# Shared settings of the dev harness scripts (sourced, not run).
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The Frappe bench that `bench init` makes (sites, apps, env); rebuilt only when its inputs change.
BENCH_DIR=${WANGGE_BENCH_DIR:-$ROOT_DIR/dev/bench}
# What the harness builds to make that bench: the `bench` command's virtualenv, the engine's git
# repository, downloads.
BUILD_DIR=${WANGGE_BUILD_DIR:-$ROOT_DIR/dev/build}
BENCH_CLI_DIR=$BUILD_DIR/bench-cli
ENGINE_REPO=$BUILD_DIR/engine
ENGINE_BRANCH=version-15 # dev/build_engine.py ENGINE_BRANCH
# The release the harness runs: Frappe's tag, and where its sources lie on a machine without GitHub.
ENGINE_TAG=v15.41.0
ENGINE_SOURCES=${WANGGE_ENGINE_SOURCES:-$ROOT_DIR/../shared/engines}
# yarn (classic), which bench runs to install and build Frappe's front end, installed from npm.
NODE_TOOLS_DIR=$BUILD_DIR/node-tools
PYTHON=$BENCH_DIR/env/bin/python
REDIS_PORT=${WANGGE_REDIS_PORT:-6379}
# The demo's address: nginx listens on WEB_PORT, gunicorn behind it on GUNICORN_PORT (dev/Procfile),
# the realtime server on SOCKETIO_PORT (common_site_config.json's socketio_port).
WEB_PORT=${WANGGE_WEB_PORT:-8000}
GUNICORN_PORT=${WANGGE_GUNICORN_PORT:-$((WEB_PORT + 1))}
SOCKETIO_PORT=${WANGGE_SOCKETIO_PORT:-9000}
# A local database admin for creating sites; the password only guards a dev database.
DB_ADMIN_USER=${WANGGE_DB_ADMIN_USER:-wangge_admin}
DB_ADMIN_PASSWORD=${WANGGE_DB_ADMIN_PASSWORD:-wangge_admin}
ADMIN_PASSWORD=${WANGGE_ADMIN_PASSWORD:-admin}

# `bench` and the uv it installs apps with come from frappe-bench's virtualenv; yarn from NODE_TOOLS_DIR.
export PATH="$BENCH_CLI_DIR/bin:$NODE_TOOLS_DIR/node_modules/.bin:$PATH"

# Run a bench command in the bench, as an admin does: `bench --site SITE migrate`, `bench start`, …
bench_in() {
	(cd "$BENCH_DIR" && bench "$@")
}

# Create (or recreate) a site with the app installed.
new_site() {
	bench_in new-site "$1" --force --db-root-username "$DB_ADMIN_USER" --db-root-password "$DB_ADMIN_PASSWORD" \
		--admin-password "$ADMIN_PASSWORD" --install-app wangge_app
}
