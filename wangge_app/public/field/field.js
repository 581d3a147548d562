// The grid worker's field app (/field): Today list, household search, three quick forms, and an
// offline queue in IndexedDB. Plain JavaScript, no build step (README: "The field app").
// The app speaks Chinese only, so its few messages are written here in Chinese.
(function () {
	"use strict";

	const API = "/api/method/wangge_app.field.api.";
	const DB_NAME = "wangge-field";
	const MAX_PHOTO_BYTES = 300 * 1024;
	const MAX_PHOTO_SIDE = 1600;
	// How long the phone keeps what it was told (SECURITY.md, "The field app on a lost phone"): the Today
	// list for three days, answered records in the outbox for seven; what waits stays until it is sent.
	const KEEP_TODAY_MS = 3 * 24 * 3600 * 1000;
	const KEEP_ANSWERED_MS = 7 * 24 * 3600 * 1000;
	const LOGIN_AGAIN = "登录已过期，请重新登录后再发送（记录仍保存在手机上）。";
	const DOCTYPES = { visit: "Household Visit", request: "Resident Request", hazard: "Safety Hazard" };
	// What the worker wrote, shown again when a record is refused.
	const TEXT_FIELDS = ["subject", "hazard_title", "findings", "description", "follow_up_note"];
	const KIND_LABELS = { visit: "入户走访", request: "登记诉求", hazard: "上报隐患" };
	const options = JSON.parse(document.getElementById("field-options").textContent);
	const state = { photos: { visit: [], request: [], hazard: [] }, location: {}, sending: false };

	// IndexedDB: "queue" holds what waits to be sent and what was answered (key: client_key);
	// "meta" the session's CSRF token, the user and the last Today list.
	function openDb() {
		return new Promise((resolve, reject) => {
			const request = indexedDB.open(DB_NAME, 1);
			request.onupgradeneeded = () => {
				const db = request.result;
				db.createObjectStore("queue", { keyPath: "client_key" });
				db.createObjectStore("meta");
			};
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
	}
	async function store(name, mode, action) {
		const db = await openDb();
		return new Promise((resolve, reject) => {
			const transaction = db.transaction(name, mode);
			const request = action(transaction.objectStore(name));
			transaction.oncomplete = () => {
				db.close();
				resolve(request && request.result);
			};
			transaction.onerror = () => reject(transaction.error);
		});
	}
	const getMeta = (key) => store("meta", "readonly", (s) => s.get(key));
	const setMeta = (key, value) => store("meta", "readwrite", (s) => s.put(value, key));
	const putItem = (item) => store("queue", "readwrite", (s) => s.put(item));
	async function allItems() {
		const items = (await store("queue", "readonly", (s) => s.getAll())) || [];
		return items.sort((a, b) => a.created - b.created);
	}

	// The server
	async function call(method, args, post) {
		const headers = { Accept: "application/json" };
		let url = API + method;
		const init = { credentials: "same-origin", headers };
		if (post) {
			init.method = "POST";
			headers["Content-Type"] = "application/json";
			headers["X-Frappe-CSRF-Token"] = (await getMeta("csrf_token")) || "";
			init.body = JSON.stringify(args);
		} else if (args) {
			url += "?" + new URLSearchParams(args).toString();
		}
		const response = await fetch(url, init);
		let body = {};
		try {
			body = await response.json();
		} catch (e) {
			body = {};
		}
		return { status: response.status, body };
	}
	function serverMessage(body) {
		// Frappe puts a thrown message in _server_messages (JSON of JSON) or exception.
		try {
			const messages = JSON.parse(body._server_messages || "[]").map((m) => JSON.parse(m).message);
			if (messages.length) return stripTags(messages.join(" "));
		} catch (e) {
			/* fall through */
		}
		return stripTags(body.exception || body.message || "") || "服务器未能处理这条记录。";
	}
	// A message may carry what someone typed: parsed as an inert document (no image loads, no handlers
	// run, unlike innerHTML on an element of this page) and only its text is kept.
	function stripTags(text) {
		const parsed = new DOMParser().parseFromString(String(text), "text/html");
		return (parsed.body.textContent || "").trim();
	}

	// Network state and notices
	const online = () => navigator.onLine;
	function showNetwork() {
		const pill = document.getElementById("network-state");
		pill.textContent = online() ? "在线" : "离线";
		pill.className = "pill " + (online() ? "ok" : "off");
	}
	function notice(text, kind, withLogin) {
		const element = document.getElementById("notice");
		element.textContent = text;
		element.className = "notice " + (kind || "");
		element.hidden = !text;
		if (withLogin) {
			const link = document.createElement("a");
			link.href = "/login?redirect-to=%2Ffield";
			link.textContent = "重新登录";
			element.append(" ", link);
		}
	}

	// Today
	async function loadToday() {
		if (online()) {
			try {
				const { status, body } = await call("today");
				if (status === 200 && body.message) {
					await rememberSession(body.message);
					await setMeta("today", { data: body.message, at: Date.now() });
				} else if (status === 401 || status === 403) {
					notice(LOGIN_AGAIN, "error", true);
				}
			} catch (e) {
				/* offline after all: the kept copy below */
			}
		}
		let kept = await getMeta("today");
		if (kept && Date.now() - kept.at > KEEP_TODAY_MS) {
			await store("meta", "readwrite", (s) => s.delete("today"));
			kept = null;
		}
		renderToday(kept);
	}
	async function rememberSession(data) {
		// Another user on this phone: the earlier user's copy goes (it is theirs, not this user's).
		const earlierUser = await getMeta("user");
		if (earlierUser && earlierUser !== data.user) await clearPhoneCopy(false);
		await setMeta("user", data.user);
		await setMeta("csrf_token", data.csrf_token);
	}
	function renderToday(kept) {
		const updated = document.getElementById("today-updated");
		if (!kept) {
			updated.textContent = online() ? "正在加载……" : "离线：尚无保存的今日任务。";
			return;
		}
		const data = kept.data;
		updated.textContent = (online() ? "更新于 " : "离线，显示保存于 ") + new Date(kept.at).toLocaleString("zh-CN");
		fillList("today-requests", data.requests, (row) => [
			row.subject,
			(options.states[row.workflow_state] || row.workflow_state) + " · " + dueText(row.next_due_by, data.server_time),
			row.is_overdue || isPast(row.next_due_by, data.server_time),
		]);
		fillList("today-hazards", data.hazards, (row) => [
			row.hazard_title,
			(row.place_name || "") + " · 整改期限 " + (row.rectification_deadline || "未定"),
			row.is_overdue,
		]);
		fillList("today-households", data.households, (row) => [
			row.address,
			(row.head_of_household_name || "") +
				(row.elderly_living_alone ? " · 独居老人" : "") +
				" · " +
				(row.last_visit ? "上次走访 " + row.last_visit : "从未走访"),
			false,
			row,
		]);
	}
	function fillList(id, rows, describe) {
		const list = document.getElementById(id);
		list.innerHTML = "";
		if (!rows || !rows.length) {
			const empty = document.createElement("li");
			empty.className = "muted";
			empty.textContent = "暂无";
			list.appendChild(empty);
			return;
		}
		for (const row of rows) {
			const [title, detail, urgent, household] = describe(row);
			const item = document.createElement("li");
			if (urgent) item.className = "urgent";
			const strong = document.createElement("strong");
			strong.textContent = title || row.name;
			const small = document.createElement("div");
			small.className = "muted";
			small.textContent = detail;
			item.append(strong, small);
			if (household) {
				const actions = document.createElement("div");
				actions.className = "actions";
				for (const form of ["visit", "request", "hazard"]) {
					const button = document.createElement("button");
					button.type = "button";
					button.textContent = KIND_LABELS[form];
					button.addEventListener("click", () => {
						chooseHousehold(form, household);
						showTab(form);
					});
					actions.appendChild(button);
				}
				item.appendChild(actions);
			}
			list.appendChild(item);
		}
	}
	function isPast(when, serverTime) {
		return when && new Date(when.replace(" ", "T")) < new Date((serverTime || "").replace(" ", "T"));
	}
	function dueText(when, serverTime) {
		if (!when) return "无期限";
		const hours = (new Date(when.replace(" ", "T")) - new Date(serverTime.replace(" ", "T"))) / 3600000;
		if (hours < 0) return "已超时 " + Math.ceil(-hours) + " 小时";
		if (hours < 48) return "还剩 " + Math.floor(hours) + " 小时";
		return "还剩 " + Math.floor(hours / 24) + " 天";
	}

	// Households
	function chooseHousehold(form, household) {
		const element = document.getElementById("form-" + form);
		element.elements.household.value = household.name;
		element.querySelector(".household-chosen").textContent =
			"已选：" + household.address + (household.head_of_household_name ? "（" + household.head_of_household_name + "）" : "");
		element.querySelector(".household-results").innerHTML = "";
		element.querySelector(".household-search").value = "";
	}
	function knownHouseholds(text) {
		// Offline: the households of the kept Today list.
		return getMeta("today").then((kept) =>
			((kept && kept.data.households) || []).filter(
				(row) => (row.address || "").includes(text) || (row.head_of_household_name || "").includes(text)
			)
		);
	}
	let searchTimer = null;
	function searchHouseholds(form, input) {
		clearTimeout(searchTimer);
		searchTimer = setTimeout(async () => {
			const text = input.value.trim();
			const list = document.getElementById("form-" + form).querySelector(".household-results");
			list.innerHTML = "";
			if (!text) return;
			let rows = [];
			if (online()) {
				try {
					const { status, body } = await call("search_households", { text });
					rows = status === 200 ? body.message || [] : [];
				} catch (e) {
					rows = await knownHouseholds(text);
				}
			} else {
				rows = await knownHouseholds(text);
			}
			for (const row of rows) {
				const item = document.createElement("li");
				item.className = "choice";
				item.textContent = row.address + (row.head_of_household_name ? "（" + row.head_of_household_name + "）" : "");
				item.addEventListener("click", () => chooseHousehold(form, row));
				list.appendChild(item);
			}
			if (!rows.length) {
				const empty = document.createElement("li");
				empty.className = "muted";
				empty.textContent = "没有找到住户";
				list.appendChild(empty);
			}
		}, 300);
	}

	// Photos: shrunk on the phone to at most 300 KB each, turned upright (createImageBitmap reads the
	// orientation), kept as blobs in the queue.
	async function shrink(file) {
		const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
		let scale = Math.min(1, MAX_PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
		for (let attempt = 0; attempt < 8; attempt++) {
			const canvas = document.createElement("canvas");
			canvas.width = Math.max(1, Math.round(bitmap.width * scale));
			canvas.height = Math.max(1, Math.round(bitmap.height * scale));
			canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
			const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.8));
			if (blob.size <= MAX_PHOTO_BYTES) return blob;
			scale *= 0.75;
		}
		throw new Error("照片无法压缩到 300 KB 以内。");
	}
	async function addPhotos(form, input) {
		for (const file of input.files) {
			try {
				state.photos[form].push(await shrink(file));
			} catch (e) {
				notice("有一张照片无法读取：" + e.message, "error");
			}
		}
		input.value = "";
		showPhotos(form);
	}
	function showPhotos(form) {
		const box = document.getElementById("form-" + form).querySelector(".photos");
		box.innerHTML = "";
		state.photos[form].forEach((blob, index) => {
			const image = document.createElement("img");
			image.src = URL.createObjectURL(blob);
			image.alt = "照片 " + (index + 1);
			image.title = "点按删除";
			image.addEventListener("click", () => {
				state.photos[form].splice(index, 1);
				showPhotos(form);
			});
			box.appendChild(image);
		});
	}
	function blobToDataUrl(blob) {
		return new Promise((resolve, reject) => {
			const reader = new FileReader();
			reader.onload = () => resolve(reader.result);
			reader.onerror = () => reject(reader.error);
			reader.readAsDataURL(blob);
		});
	}

	// Location: asked when a form opens, optional; the form is saved without it when refused.
	function locate(form) {
		const element = document.getElementById("form-" + form);
		const line = element.querySelector(".location");
		state.location[form] = null;
		if (!element.querySelector(".use-location").checked || !navigator.geolocation) {
			line.textContent = "";
			return;
		}
		line.textContent = "正在获取位置……";
		navigator.geolocation.getCurrentPosition(
			(position) => {
				state.location[form] = {
					latitude: Number(position.coords.latitude.toFixed(6)),
					longitude: Number(position.coords.longitude.toFixed(6)),
					location_accuracy: Math.round(position.coords.accuracy * 10) / 10,
				};
				line.textContent = "位置已记录（精度约 " + Math.round(position.coords.accuracy) + " 米）";
			},
			() => {
				line.textContent = "未能获取位置，记录将不带位置保存。";
			},
			{ enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
		);
	}

	// Recording: every record goes through the queue, online or not.
	function newKey() {
		if (crypto.randomUUID) return crypto.randomUUID();
		const bytes = crypto.getRandomValues(new Uint8Array(16));
		return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("").replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-");
	}
	async function record(form, element) {
		const values = {};
		for (const field of element.elements) {
			if (field.name && field.value.trim() !== "") values[field.name] = field.value.trim();
		}
		if (!values.household) {
			notice("请先选择住户。", "error");
			return;
		}
		const missing = Array.from(element.querySelectorAll("[required]")).filter((field) => !field.value.trim());
		if (missing.length) {
			notice("请填写：" + missing.map((field) => field.parentElement.firstChild.textContent.trim()).join("、"), "error");
			return;
		}
		Object.assign(values, state.location[form] || {});
		const item = {
			client_key: newKey(),
			doctype: DOCTYPES[form],
			kind: form,
			values,
			photos: state.photos[form].slice(),
			summary: KIND_LABELS[form] + "：" + (values.subject || values.hazard_title || values.findings || "").slice(0, 30),
			household: element.querySelector(".household-chosen").textContent.replace("已选：", ""),
			created: Date.now(),
			status: "waiting",
			user: await getMeta("user"),
		};
		await putItem(item);
		element.reset();
		element.elements.household.value = "";
		element.querySelector(".household-chosen").textContent = "";
		state.photos[form] = [];
		showPhotos(form);
		setDates();
		notice(online() ? "已保存，正在发送。" : "已保存在手机上，联网后自动发送。", "ok");
		window.scrollTo(0, 0);
		await showQueue();
		sync();
	}

	// Sending the queue, in order; each key is recorded once on the server, so sending again is safe.
	async function sync() {
		if (state.sending || !online()) return;
		state.sending = true;
		try {
			if (!(await getMeta("csrf_token"))) await loadToday();
			const user = await getMeta("user");
			for (const item of await allItems()) {
				// Only the user's own records, sent in the user's own session.
				if (item.status !== "waiting" || (item.user && item.user !== user)) continue;
				let answer;
				try {
					const photos = await Promise.all(item.photos.map(blobToDataUrl));
					answer = await call("submit", { client_key: item.client_key, doctype: item.doctype, values: item.values, photos }, true);
				} catch (e) {
					break; // the network went: the rest waits, in order
				}
				if (answer.status === 200 && answer.body.message) {
					const result = answer.body.message;
					item.status = result.status === "Recorded" ? "sent" : "refused";
					item.result = result;
				} else if (answer.status === 401 || (answer.status === 403 && !(await loggedIn()))) {
					notice(LOGIN_AGAIN, "error", true);
					break;
				} else if (answer.body.exc_type === "CSRFTokenError") {
					await loadToday(); // a new session's token; the item is sent on the next round
					break;
				} else if (answer.status >= 500 || answer.status === 0 || answer.status === 429) {
					break; // the server is not ready: try again later
				} else {
					item.status = "refused";
					item.result = { message: serverMessage(answer.body) };
				}
				item.sent_at = Date.now();
				await putItem(item);
			}
		} finally {
			state.sending = false;
			await showQueue();
		}
	}
	async function loggedIn() {
		try {
			const response = await fetch("/api/method/frappe.auth.get_logged_user", { credentials: "same-origin", headers: { Accept: "application/json" } });
			return response.status === 200;
		} catch (e) {
			return true; // no network: not a question of the login
		}
	}
	async function forgetOldAnswers() {
		const old = (await allItems()).filter((item) => item.status !== "waiting" && Date.now() - (item.sent_at || item.created) > KEEP_ANSWERED_MS);
		for (const item of old) await store("queue", "readwrite", (s) => s.delete(item.client_key));
	}
	const STATUS_LABELS = { waiting: "待发送", sent: "已发送", refused: "被退回" };
	async function showQueue() {
		const items = await allItems();
		const waiting = items.filter((item) => item.status === "waiting").length;
		const refused = items.filter((item) => item.status === "refused").length;
		document.getElementById("queue-count").textContent = waiting || refused ? String(waiting + refused) : "";
		const list = document.getElementById("queue-items");
		list.innerHTML = "";
		for (const item of items.slice().reverse()) {
			const row = document.createElement("li");
			row.className = "queue-item " + item.status;
			row.dataset.key = item.client_key;
			const title = document.createElement("strong");
			title.textContent = item.summary;
			const status = document.createElement("div");
			status.className = "status";
			status.textContent =
				STATUS_LABELS[item.status] +
				(item.status === "sent" && item.result ? " · 编号 " + item.result.name : "") +
				(item.photos.length ? " · 照片 " + item.photos.length + " 张" : "");
			const detail = document.createElement("div");
			detail.className = "muted";
			detail.textContent = item.household + " · " + new Date(item.created).toLocaleString("zh-CN");
			row.append(title, status, detail);
			if (item.status === "refused") {
				const reason = document.createElement("div");
				reason.className = "reason";
				reason.textContent = "原因：" + ((item.result && item.result.message) || "未知");
				const kept = document.createElement("div");
				kept.className = "kept";
				kept.textContent =
					"您填写的内容：" +
					TEXT_FIELDS.map((field) => item.values[field])
						.filter(Boolean)
						.join(" / ");
				row.append(reason, kept);
			}
			list.appendChild(row);
		}
	}

	// Logging out clears the phone's copy: the queue, the kept Today list and the cached shell.
	async function clearPhoneCopy(withCaches) {
		await new Promise((resolve) => {
			const request = indexedDB.deleteDatabase(DB_NAME);
			request.onsuccess = request.onerror = request.onblocked = () => resolve();
		});
		if (withCaches && window.caches) {
			for (const name of await caches.keys()) if (name.startsWith("wangge-field")) await caches.delete(name);
		}
	}
	async function logOut() {
		const waiting = (await allItems()).filter((item) => item.status === "waiting").length;
		if (waiting && !confirm("还有 " + waiting + " 条记录没有发送，退出登录会把它们从手机上删除。确定退出？")) return;
		await clearPhoneCopy(true);
		if (navigator.serviceWorker) {
			for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
		}
		try {
			await fetch("/api/method/logout", { credentials: "same-origin" });
		} finally {
			location.href = "/login";
		}
	}

	// Screens
	function showTab(name) {
		for (const section of document.querySelectorAll(".tab")) section.hidden = section.id !== "tab-" + name;
		for (const button of document.querySelectorAll(".tabs button")) button.classList.toggle("active", button.dataset.tab === name);
		if (DOCTYPES[name]) locate(name);
		if (name === "queue") showQueue();
		notice("");
		window.scrollTo(0, 0);
	}
	function setDates() {
		const today = new Date();
		const local = new Date(today.getTime() - today.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
		for (const input of document.querySelectorAll('input[type="date"]')) {
			if (!input.value) input.value = local;
			input.max = local;
		}
	}

	function start() {
		for (const button of document.querySelectorAll(".tabs button")) button.addEventListener("click", () => showTab(button.dataset.tab));
		for (const form of Object.keys(DOCTYPES)) {
			const element = document.getElementById("form-" + form);
			element.addEventListener("submit", (event) => {
				event.preventDefault();
				record(form, element);
			});
			element.querySelector(".household-search").addEventListener("input", (event) => searchHouseholds(form, event.target));
			element.querySelector(".photo-input").addEventListener("change", (event) => addPhotos(form, event.target));
			element.querySelector(".use-location").addEventListener("change", () => locate(form));
		}
		document.getElementById("send-now").addEventListener("click", sync);
		document.getElementById("logout").addEventListener("click", logOut);
		window.addEventListener("online", () => {
			showNetwork();
			loadToday().then(sync);
		});
		window.addEventListener("offline", showNetwork);
		// A send stopped half-way (the server busy, a new session's token) is tried again now and then.
		setInterval(() => online() && sync(), 60000);
		setDates();
		showNetwork();
		// The session's user first (an earlier user's copy goes), then the outbox, then sending.
		loadToday().then(forgetOldAnswers).then(showQueue).then(sync);
		if (navigator.serviceWorker) {
			navigator.serviceWorker.register("/field-sw.js", { scope: "/field" }).catch(() => {
				/* no offline shell: the page still works online */
			});
		}
	}

	// For the browser tests and for looking into a phone's queue from the console.
	window.fieldApp = { sync, allItems, putItem, loadToday };
	start();
})();
