#!/usr/bin/env bash
# Build the desk's JS/CSS bundles of every app in dev/bench (see build.mjs), only
# when something they are built from changed:
#   - `npm ci` (registry packages pinned in package-lock.json) runs when the lock file changed;
#   - the build runs when the lock file, build.mjs, sites/apps.txt or any file under an
#     app's public/ folder changed (or assets.json does not point at a built desk.bundle.js);
#   - then Frappe's cached assets map is dropped from Redis.
# Usage: bash dev/assets/build.sh [--force]
set -euo pipefail

ASSETS_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$ASSETS_SRC/../common.sh"

SITES_DIR=$BENCH_DIR/sites
STAMP=$SITES_DIR/assets/.build-stamp
NPM_STAMP=$ASSETS_SRC/node_modules/.package-lock.sha256
FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1

fail() { printf 'assets: %s\n' "$*" >&2; exit 1; }

ensure_node() {
	local missing=()
	command -v node >/dev/null || missing+=(nodejs)
	command -v npm >/dev/null || missing+=(npm)
	if [ ${#missing[@]} -gt 0 ]; then
		command -v apt-get >/dev/null \
			|| fail "${missing[*]/nodejs/node} not found: install Node.js (>= 18) and npm"
		echo "==> Installing ${missing[*]}"
		local sudo=""
		[ "$(id -u)" -eq 0 ] || sudo="sudo"
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
			|| fail "installing ${missing[*]} with apt-get failed"
		command -v node >/dev/null || fail "node not found after installing nodejs"
		command -v npm >/dev/null || fail "npm not found after installing npm"
	fi
	local major
	major=$(node -p 'process.versions.node.split(".")[0]')
	[ "$major" -ge 18 ] || fail "node $(node -v) is too old: the build needs Node.js >= 18"
}

ensure_node_modules() {
	local wanted
	wanted=$(sha256sum "$ASSETS_SRC/package-lock.json" | cut -d' ' -f1)
	if [ -f "$NPM_STAMP" ] && [ "$(cat "$NPM_STAMP")" = "$wanted" ]; then return 0; fi
	echo "==> Installing the build's npm packages (npm ci)"
	# Install scripts are not needed (esbuild finds its platform package without them).
	(cd "$ASSETS_SRC" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) \
		|| fail "npm ci in $ASSETS_SRC failed"
	echo "$wanted" >"$NPM_STAMP"
}

inputs_hash() {
	{
		sha256sum "$ASSETS_SRC/package-lock.json" "$ASSETS_SRC/build.mjs" "$SITES_DIR/apps.txt"
		echo "mode=${WANGGE_ASSETS_MODE:-production}"
		local app
		while read -r app; do
			[ -n "$app" ] || continue
			[ -d "$BENCH_DIR/apps/$app/$app/public" ] || continue
			(cd "$BENCH_DIR/apps" && find "$app/$app/public/" -type f -not -path '*/node_modules/*' -print0 \
				| LC_ALL=C sort -z | xargs -0 -r sha256sum)
		done <"$SITES_DIR/apps.txt"
	} | sha256sum | cut -d' ' -f1
}

built_desk_exists() {
	# assets.json maps desk.bundle.js to a file that exists
	"$PYTHON_FOR_CHECK" - "$SITES_DIR" <<-'PY' 2>/dev/null
		import json, os, sys
		sites = sys.argv[1]
		url = json.load(open(os.path.join(sites, "assets", "assets.json"))).get("desk.bundle.js", "")
		sys.exit(0 if url and os.path.isfile(os.path.join(sites, url.lstrip("/"))) else 1)
	PY
}

clear_frappe_cache() {
	if ! command -v redis-cli >/dev/null; then
		echo "assets: redis-cli not found; run \`bench clear-cache\` if a server is running" >&2
		return 0
	fi
	if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
		return 0 # Redis is not running: nothing is cached
	fi
	local key count=0
	while IFS= read -r key; do
		[ -n "$key" ] || continue
		redis-cli -h 127.0.0.1 -p "$REDIS_PORT" del "$key" >/dev/null
		count=$((count + 1))
	done < <(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" --scan --pattern '*assets_json*')
	echo "assets: cleared $count cached assets map(s) in Redis on 127.0.0.1:$REDIS_PORT"
}

[ -f "$SITES_DIR/apps.txt" ] || fail "$SITES_DIR/apps.txt not found: run dev/setup.sh first"
[ -d "$BENCH_DIR/apps/frappe/frappe/public" ] || fail "the Frappe engine is not built: run dev/setup.sh first"
PYTHON_FOR_CHECK=python3
[ -x "$PYTHON" ] && PYTHON_FOR_CHECK=$PYTHON

ensure_node
ensure_node_modules

wanted=$(inputs_hash)
if [ "$FORCE" -eq 0 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$wanted" ] && built_desk_exists; then
	echo "assets up to date"
	exit 0
fi

echo "==> Building the desk assets (dev/assets/build.mjs)"
rm -f "$STAMP"
node "$ASSETS_SRC/build.mjs" || fail "the build failed (see above); the previous assets are left in place"
clear_frappe_cache
echo "$wanted" >"$STAMP"
