// The field app's service worker (registered by /assets/wangge_app/field/field.js with the scope /field).
// Served by Frappe as a www page, from the site's root, so that its scope may cover /field; the cache's
// name follows the build, so that an update of the app replaces the kept shell.
const CACHE = "wangge-field-{{ build_version }}";
const SHELL = [
	"/field",
	"/assets/wangge_app/field/field.js",
	"/assets/wangge_app/field/field.css",
	"/assets/wangge_app/field/manifest.json",
	"/assets/wangge_app/field/icon-192.png",
];

self.addEventListener("install", (event) => {
	event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((names) => Promise.all(names.filter((name) => name.startsWith("wangge-field-") && name !== CACHE).map((name) => caches.delete(name))))
			.then(() => self.clients.claim())
	);
});

function keep(request, response) {
	// Only the page itself as the logged-in worker saw it: not a redirect to the login page or an error.
	if (response.ok && response.type === "basic" && !response.redirected) {
		const copy = response.clone();
		caches.open(CACHE).then((cache) => cache.put(request, copy));
	}
	return response;
}

self.addEventListener("fetch", (event) => {
	const request = event.request;
	const url = new URL(request.url);
	if (request.method !== "GET" || url.origin !== self.location.origin) return;
	if (url.pathname === "/field") {
		// The page: the kept shell at once (it opens in a stairwell, and it names no user or record),
		// refreshed from the network for the next time; from the network when none is kept yet.
		event.respondWith(
			caches.match("/field").then((kept) => {
				const fresh = fetch(request).then((response) => keep("/field", response));
				if (kept) {
					event.waitUntil(fresh.catch(() => null));
					return kept;
				}
				return fresh;
			})
		);
	} else if (SHELL.includes(url.pathname)) {
		event.respondWith(
			caches.match(url.pathname).then((kept) => kept || fetch(request).then((response) => keep(url.pathname, response)))
		);
	}
	// Everything else (the field app's API) goes to the network as it is: the queue handles no network.
});
