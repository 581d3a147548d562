# Shared settings of the dev harness scripts (sourced, not run).
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=${WANGGE_BENCH_DIR:-$ROOT_DIR/dev/bench}
PYTHON=$BENCH_DIR/env/bin/python
REDIS_PORT=${WANGGE_REDIS_PORT:-6379}
WEB_PORT=${WANGGE_WEB_PORT:-8000}
# A local database admin for creating sites; the password only guards a dev database.
DB_ADMIN_USER=${WANGGE_DB_ADMIN_USER:-wangge_admin}
DB_ADMIN_PASSWORD=${WANGGE_DB_ADMIN_PASSWORD:-wangge_admin}
ADMIN_PASSWORD=${WANGGE_ADMIN_PASSWORD:-admin}

# Run a Frappe CLI command from the sites folder, as `bench` does.
frappe_cli() {
	(cd "$BENCH_DIR/sites" && "$PYTHON" -m frappe.utils.bench_helper frappe "$@")
}

# Create (or recreate) a site with the app installed.
new_site() {
	frappe_cli new-site "$1" --force --db-root-username "$DB_ADMIN_USER" --db-root-password "$DB_ADMIN_PASSWORD" \
		--admin-password "$ADMIN_PASSWORD" --install-app wangge_app
}
