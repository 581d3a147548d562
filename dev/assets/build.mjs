#!/usr/bin/env node
// Build the desk bundles of every app in dev/bench, as Frappe's `bench build` does
// with its esbuild setup (which the engine does not ship):
//
//   <app>/public/**/*.bundle.{js,ts,vue}       -> sites/assets/<app>/dist/js/<name>.bundle.<hash>.js
//   <app>/public/**/*.bundle.{css,scss,sass}   -> sites/assets/<app>/dist/css/<name>.bundle.<hash>.css
//                                                 sites/assets/<app>/dist/css-rtl/<name>.bundle.<hash>.css (rtlcss)
//   sites/assets/assets.json      {"desk.bundle.js": "/assets/frappe/dist/js/desk.bundle.<hash>.js", ...}
//   sites/assets/assets-rtl.json  {"rtl_desk.bundle.css": "/assets/frappe/dist/css-rtl/desk.bundle.<hash>.css", ...}
//
// sites/assets/<app> is a real directory: `dist/` plus one symlink per top-level entry
// of the app's public/ folder (and `node_modules` -> dev/assets/node_modules for frappe,
// whose code loads /assets/frappe/node_modules/... at run time).
//
// Everything is built into a staging folder first; the files are copied into place,
// then assets.json is replaced atomically, then files of older builds are removed.
// A failed build leaves the previous build (and its assets.json) untouched.
//
// Usage: node build.mjs            (WANGGE_BENCH_DIR: bench folder, default ../bench)
//        WANGGE_ASSETS_MODE=development node build.mjs   (no minification)
//        WANGGE_ASSETS_VERBOSE=1 node build.mjs          (print esbuild and Sass warnings)

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

process.env.BROWSERSLIST_IGNORE_OLD_DATA = "1";

const DEV_ASSETS = path.dirname(fileURLToPath(import.meta.url));
const BENCH = path.resolve(process.env.WANGGE_BENCH_DIR || path.join(DEV_ASSETS, "..", "bench"));
const APPS_DIR = path.join(BENCH, "apps");
const SITES = path.join(BENCH, "sites");
const ASSETS = path.join(SITES, "assets");
const NODE_MODULES = path.join(DEV_ASSETS, "node_modules");
const PRODUCTION = (process.env.WANGGE_ASSETS_MODE || "production") !== "development";
const VERBOSE = Boolean(process.env.WANGGE_ASSETS_VERBOSE);
const SCRIPT_ENTRY = /\.bundle\.(js|ts|vue)$/;
const STYLE_ENTRY = /\.bundle\.(css|scss|sass)$/;
const SKIP_DIRS = new Set(["node_modules", "dist"]);

let step = "starting";
function fail(message) {
	console.error(`build.mjs: ${step} failed: ${message}`);
	process.exit(1);
}
process.on("uncaughtException", (error) => fail(error?.stack || String(error)));
process.on("unhandledRejection", (error) => fail(error?.stack || String(error)));

step = "loading the build tools (run `npm ci` in dev/assets)";
const esbuild = await import("esbuild");
const sass = await import("sass");
const postcss = (await import("postcss")).default;
const autoprefixer = (await import("autoprefixer")).default;
const rtlcss = (await import("rtlcss")).default;
const sfc = await import("@vue/compiler-sfc");

const started = Date.now();
const warnings = { esbuild: 0, sass: 0 };

// ---------------------------------------------------------------------------- apps

step = "reading sites/apps.txt";
const apps = fs
	.readFileSync(path.join(SITES, "apps.txt"), "utf8")
	.split("\n")
	.map((line) => line.trim())
	.filter(Boolean);
if (!apps.length) fail("no apps listed");
const appRoots = apps.map((app) => path.join(APPS_DIR, app)); // importable as "<app>/public/..."
const publicDir = (app) => path.join(APPS_DIR, app, app, "public");
for (const app of apps) {
	if (!fs.existsSync(path.join(APPS_DIR, app, app))) fail(`app ${app} not found in ${APPS_DIR}`);
}

function walk(dir, found = []) {
	if (!fs.existsSync(dir)) return found;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		if (entry.name.startsWith(".")) continue;
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			if (!SKIP_DIRS.has(entry.name)) walk(full, found);
		} else {
			found.push(full);
		}
	}
	return found;
}

// ---------------------------------------------------------------------------- helpers

const bundleName = (file) => path.basename(file).replace(/\.(js|ts|vue|css|scss|sass)$/, ""); // "desk.bundle"

/** Resolve a bare import ("pkg/file.css", "frappe/public/...") the way the bundles do. */
function resolveBare(request) {
	for (const base of [NODE_MODULES, ...appRoots]) {
		const candidate = path.join(base, request);
		if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
	}
	return null;
}

/** Compile Sass the way Frappe's build does: `~` means node_modules; app folders are load paths. */
function compileSass({ file, data, indented }) {
	const result = sass.renderSync({
		file: data === undefined ? file : undefined,
		data,
		indentedSyntax: Boolean(indented),
		includePaths: [path.dirname(file), NODE_MODULES, ...appRoots],
		importer(url) {
			if (!url.startsWith("~")) return null;
			return { file: path.join(NODE_MODULES, url.slice(1)) };
		},
		quietDeps: true,
		outputStyle: "expanded",
		logger: {
			warn(message, options) {
				warnings.sass++;
				if (VERBOSE) console.warn(`sass warning (${file}): ${message}\n${options?.stack || ""}`);
			},
			debug() {},
		},
	});
	return { css: result.css.toString(), files: result.stats.includedFiles };
}

const autoprefix = (css, from) => postcss([autoprefixer]).process(css, { from }).then((out) => out.css);

/** Plugin: "/assets/..." URLs and imports stay as they are (served by Frappe). */
const externalAssets = {
	name: "external-assets",
	setup(build) {
		build.onResolve({ filter: /^\/assets\// }, (args) => ({ path: args.path, external: true }));
	},
};

/** Plugin: Frappe's `.html` templates become `frappe.templates["name"] = "...";`. */
const frappeHtml = {
	name: "frappe-html",
	setup(build) {
		build.onLoad({ filter: /\.html$/ }, async (args) => {
			const content = await fs.promises.readFile(args.path, "utf8");
			const key = path.basename(args.path).replace(/\.html$/, "");
			return {
				contents: `frappe.templates[${JSON.stringify(key)}] = ${JSON.stringify(content)};\n`,
				loader: "js",
			};
		});
	},
};

/**
 * Plugin: air-datepicker with seconds. Frappe's date-time fields format times as
 * "hh:ii:ss", which only Frappe's own fork of air-datepicker (not on the npm registry)
 * understands; 2.2.3 would write a literal "ss" into the field. This teaches its
 * formatDate the "ss" token, from the unminified source.
 */
const datepickerSeconds = {
	name: "air-datepicker-seconds",
	setup(build) {
		const source = path.join(NODE_MODULES, "air-datepicker", "dist", "js", "datepicker.js");
		build.onResolve({ filter: /^air-datepicker\/dist\/js\/datepicker(\.min)?\.js$/ }, () => ({
			path: source,
		}));
		build.onLoad({ filter: /air-datepicker[\\/]dist[\\/]js[\\/]datepicker\.js$/ }, async (args) => {
			const code = await fs.promises.readFile(args.path, "utf8");
			const marker = "                case /ii/.test(result):";
			if (!code.includes(marker)) {
				throw new Error("air-datepicker changed: cannot add the seconds token to formatDate");
			}
			const seconds =
				"                case /ss/.test(result):\n" +
				"                    result = replacer(result, boundary('ss'), leadingZero(date.getSeconds()));\n";
			return { contents: code.replace(marker, seconds + marker), loader: "js" };
		});
	},
};

/** Plugin: `vue` is the build with the template compiler (Frappe compiles templates at run time). */
const vueAlias = {
	name: "vue-alias",
	setup(build) {
		const target = path.join(NODE_MODULES, "vue", "dist", "vue.esm-bundler.js");
		build.onResolve({ filter: /^vue$/ }, () => ({ path: target }));
	},
};

/** Plugin: bare CSS @imports and url()s ("frappe/public/css/...", "pkg/dist/x.css"). */
const cssBareImports = {
	name: "css-bare-imports",
	setup(build) {
		build.onResolve({ filter: /^[^./]/ }, (args) => {
			if (args.kind !== "import-rule" && args.kind !== "url-token") return undefined;
			if (/^(data|https?):/.test(args.path)) return undefined;
			const request = args.path.replace(/^~/, "").replace(/[?#].*$/, "");
			// relative to the importing file first, as a browser would
			const relative = path.join(args.resolveDir, request);
			if (fs.existsSync(relative) && fs.statSync(relative).isFile()) return { path: relative };
			const found = resolveBare(request);
			return found ? { path: found } : undefined;
		});
	},
};

/** Plugin: Sass entries and imports, then autoprefixer. */
const sassPlugin = {
	name: "sass",
	setup(build) {
		build.onLoad({ filter: /\.(scss|sass)$/ }, async (args) => {
			try {
				const { css, files } = compileSass({ file: args.path, indented: args.path.endsWith(".sass") });
				return {
					contents: await autoprefix(css, args.path),
					loader: "css",
					resolveDir: path.dirname(args.path),
					watchFiles: files,
				};
			} catch (error) {
				return { errors: [{ text: error.formatted || error.message }] };
			}
		});
		build.onLoad({ filter: /\.css$/ }, async (args) => ({
			contents: await autoprefix(await fs.promises.readFile(args.path, "utf8"), args.path),
			loader: "css",
		}));
	},
};

/** Inline plain-CSS `@import`s of a compiled <style> block (they are library styles: kept unscoped). */
async function hoistCssImports(css, fromDir) {
	const root = postcss.parse(css);
	const imported = [];
	for (const node of [...root.nodes]) {
		if (node.type !== "atrule" || node.name !== "import") continue;
		const request = node.params.replace(/^url\((.*)\)$/, "$1").trim().replace(/^["']|["']$/g, "");
		if (/^(https?:|\/assets\/)/.test(request)) continue; // left to the browser
		const file = request.startsWith(".")
			? path.join(fromDir, request)
			: resolveBare(request.replace(/^~/, ""));
		if (!file) throw new Error(`cannot resolve @import "${request}"`);
		const result = await esbuild.build({
			entryPoints: [file],
			bundle: true,
			write: false,
			logLevel: "silent",
			plugins: [externalAssets, cssBareImports],
			loader: Object.fromEntries(
				[".png", ".jpg", ".gif", ".svg", ".woff", ".woff2", ".ttf", ".eot"].map((ext) => [ext, "dataurl"])
			),
		});
		imported.push(result.outputFiles[0].text);
		node.remove();
	}
	return { imported: imported.join("\n"), rest: root.toString() };
}

const injectStyleCode = (css, id) =>
	`\n;(function (css, id) {\n` +
	`\tif (typeof document === "undefined" || document.querySelector('style[data-vue-sfc="' + id + '"]')) return;\n` +
	`\tvar style = document.createElement("style");\n` +
	`\tstyle.setAttribute("data-vue-sfc", id);\n` +
	`\tstyle.textContent = css;\n` +
	`\tdocument.head.appendChild(style);\n` +
	`})(${JSON.stringify(css)}, ${JSON.stringify(id)});\n`;

/** Plugin: Vue 3 single-file components (script setup, scoped styles, lang="scss"). */
const vueSfc = {
	name: "vue-sfc",
	setup(build) {
		build.onLoad({ filter: /\.vue$/ }, async (args) => {
			const filename = args.path;
			const source = await fs.promises.readFile(filename, "utf8");
			const { descriptor, errors } = sfc.parse(source, { filename, sourceMap: false });
			if (errors.length) return { errors: errors.map((e) => ({ text: `${filename}: ${e.message || e}` })) };

			const id = createHash("sha256").update(path.relative(APPS_DIR, filename)).digest("hex").slice(0, 8);
			const scopeId = `data-v-${id}`;
			const scoped = descriptor.styles.some((style) => style.scoped);
			const compilerOptions = scoped ? { scopeId } : {};
			let code = "";
			let lang = "js";
			let bindings;

			try {
				if (descriptor.script || descriptor.scriptSetup) {
					const script = sfc.compileScript(descriptor, {
						id,
						isProd: PRODUCTION,
						inlineTemplate: Boolean(descriptor.scriptSetup),
						genDefaultAs: "__sfc__",
						templateOptions: { compilerOptions },
					});
					lang = (descriptor.scriptSetup || descriptor.script).lang || "js";
					bindings = script.bindings;
					code += script.content + "\n";
				} else {
					code += "const __sfc__ = {};\n";
				}
				if (descriptor.template && !descriptor.scriptSetup) {
					const template = sfc.compileTemplate({
						source: descriptor.template.content,
						filename,
						id,
						scoped,
						slotted: descriptor.slotted,
						isProd: PRODUCTION,
						compilerOptions: { ...compilerOptions, bindingMetadata: bindings },
					});
					if (template.errors.length) throw new Error(template.errors.map((e) => e.message || e).join("\n"));
					code += template.code.replace(/\nexport (function|const) render\b/, "\n$1 __render") + "\n";
					code += "__sfc__.render = __render;\n";
				}
			} catch (error) {
				return { errors: [{ text: `${filename}: ${error.message}` }] };
			}
			if (scoped) code += `__sfc__.__scopeId = ${JSON.stringify(scopeId)};\n`;

			let css = "";
			for (const style of descriptor.styles) {
				try {
					let content = style.content;
					if (style.lang === "scss" || style.lang === "sass") {
						content = compileSass({ file: filename, data: content, indented: style.lang === "sass" }).css;
					} else if (style.lang && style.lang !== "css") {
						throw new Error(`<style lang="${style.lang}"> is not supported`);
					}
					const { imported, rest } = await hoistCssImports(content, path.dirname(filename));
					const compiled = sfc.compileStyle({
						source: rest,
						filename,
						id: scopeId,
						scoped: Boolean(style.scoped),
						isProd: PRODUCTION,
					});
					if (compiled.errors.length) throw new Error(compiled.errors.map((e) => e.message || e).join("\n"));
					css += imported + "\n" + compiled.code + "\n";
				} catch (error) {
					return { errors: [{ text: `${filename} <style>: ${error.formatted || error.message}` }] };
				}
			}
			if (css.trim()) {
				css = (await esbuild.transform(await autoprefix(css, filename), { loader: "css", minify: PRODUCTION })).code;
				code += injectStyleCode(css, id);
			}
			code += "export default __sfc__;\n";
			return { contents: code, loader: lang === "ts" ? "ts" : "js", resolveDir: path.dirname(filename) };
		});
	},
};

const fileLoaders = Object.fromEntries(
	[".png", ".jpg", ".jpeg", ".gif", ".svg", ".woff", ".woff2", ".ttf", ".eot"].map((ext) => [ext, "file"])
);

function reportMessages(result) {
	warnings.esbuild += result.warnings.length;
	if (VERBOSE && result.warnings.length) {
		console.warn(esbuild.formatMessagesSync(result.warnings, { kind: "warning" }).join("\n"));
	}
}

async function runEsbuild(options) {
	try {
		const result = await esbuild.build({ ...options, logLevel: "silent" });
		reportMessages(result);
		return result;
	} catch (error) {
		const text = error.errors
			? esbuild.formatMessagesSync(error.errors.slice(0, 20), { kind: "error" }).join("\n")
			: error.stack || String(error);
		fail(`\n${text}`);
	}
}

// ---------------------------------------------------------------------------- build

const hash8 = (text) =>
	createHash("sha256").update(text).digest("base64url").replace(/[-_]/g, "").slice(0, 8).toUpperCase();

const staging = fs.mkdtempSync(path.join(ASSETS, ".build-"));
const cleanupStaging = () => fs.rmSync(staging, { recursive: true, force: true });
process.on("exit", cleanupStaging);

const assetsMap = {};
const rtlMap = {};
const producedFiles = new Map(); // app -> Set of paths relative to dist/

function addKey(map, key, url, app) {
	if (map[key] && map[key] !== url) console.warn(`build.mjs: ${key} of ${app} replaces ${map[key]}`);
	map[key] = url;
}

for (const app of apps) {
	const files = walk(publicDir(app));
	const scripts = files.filter((file) => SCRIPT_ENTRY.test(file));
	const styles = files.filter((file) => STYLE_ENTRY.test(file));
	const dist = path.join(staging, app, "dist");
	const produced = new Set();
	producedFiles.set(app, produced);
	const url = (file) => `/assets/${app}/dist/${path.relative(dist, file).split(path.sep).join("/")}`;
	const record = (file) => produced.add(path.relative(dist, file));

	if (scripts.length) {
		step = `bundling the scripts of ${app}`;
		const names = new Set();
		for (const file of scripts) {
			if (names.has(bundleName(file))) fail(`two entries named ${bundleName(file)} in ${app}`);
			names.add(bundleName(file));
		}
		const result = await runEsbuild({
			absWorkingDir: BENCH,
			entryPoints: scripts.map((file) => ({ in: file, out: bundleName(file) })),
			outdir: path.join(dist, "js"),
			entryNames: "[name].[hash]",
			assetNames: "[name].[hash]",
			bundle: true,
			format: "iife",
			target: ["es2017"],
			sourcemap: true,
			minify: PRODUCTION,
			metafile: true,
			nodePaths: [NODE_MODULES, ...appRoots],
			external: ["/assets/*"],
			loader: fileLoaders,
			define: {
				"process.env.NODE_ENV": JSON.stringify(PRODUCTION ? "production" : "development"),
				__VUE_OPTIONS_API__: "true",
				__VUE_PROD_DEVTOOLS__: "false",
				__VUE_PROD_HYDRATION_MISMATCH_DETAILS__: "false",
			},
			plugins: [externalAssets, datepickerSeconds, vueAlias, frappeHtml, vueSfc, sassPlugin, cssBareImports],
		});
		for (const [output, info] of Object.entries(result.metafile.outputs)) {
			const file = path.resolve(BENCH, output);
			record(file);
			if (!info.entryPoint) continue;
			const name = path.basename(output).replace(/\.[A-Z0-9]+\.(js|css)$/, "");
			const ext = path.extname(output);
			if (ext === ".js") addKey(assetsMap, `${name}.js`, url(file), app);
			else if (ext === ".css") {
				// a script bundle that imports CSS: frappe.require() of the .js would not load it
				console.warn(`build.mjs: ${name}.js of ${app} imports CSS; it is mapped as ${name}.css`);
				addKey(assetsMap, `${name}.css`, url(file), app);
			}
		}
	}

	if (styles.length) {
		step = `compiling the styles of ${app}`;
		const result = await runEsbuild({
			absWorkingDir: BENCH,
			entryPoints: styles.map((file) => ({ in: file, out: bundleName(file) })),
			outdir: path.join(dist, "css"),
			entryNames: "[name].[hash]",
			assetNames: "[name].[hash]",
			bundle: true,
			minify: PRODUCTION,
			metafile: true,
			nodePaths: [NODE_MODULES, ...appRoots],
			external: ["/assets/*"],
			loader: fileLoaders,
			plugins: [externalAssets, sassPlugin, cssBareImports],
		});
		step = `writing the right-to-left styles of ${app}`;
		fs.mkdirSync(path.join(dist, "css-rtl"), { recursive: true });
		for (const [output, info] of Object.entries(result.metafile.outputs)) {
			const file = path.resolve(BENCH, output);
			record(file);
			if (!info.entryPoint || !output.endsWith(".css")) continue;
			const name = path.basename(output).replace(/\.[A-Z0-9]+\.css$/, "");
			addKey(assetsMap, `${name}.css`, url(file), app);
			const rtl = (await postcss([rtlcss]).process(fs.readFileSync(file, "utf8"), { from: undefined })).css;
			const rtlFile = path.join(dist, "css-rtl", `${name}.${hash8(rtl)}.css`);
			fs.writeFileSync(rtlFile, rtl);
			record(rtlFile);
			addKey(rtlMap, `rtl_${name}.css`, url(rtlFile), app);
		}
	}
}

// ---------------------------------------------------------------------------- install

/** sites/assets/<app>: a real folder with dist/ and a symlink per entry of the app's public/. */
function linkAppAssets(app) {
	const target = path.join(ASSETS, app);
	const stat = fs.lstatSync(target, { throwIfNoEntry: false });
	if (stat && !stat.isDirectory()) fs.unlinkSync(target); // the old layout: a symlink to public/
	fs.mkdirSync(target, { recursive: true });
	const source = publicDir(app);
	const wanted = new Map();
	for (const entry of fs.existsSync(source) ? fs.readdirSync(source) : []) {
		if (entry.startsWith(".")) continue;
		if (entry === "dist") {
			console.warn(`build.mjs: ${source}/dist is hidden by the built dist/`);
			continue;
		}
		wanted.set(entry, path.join(source, entry));
	}
	if (app === "frappe") wanted.set("node_modules", NODE_MODULES);
	for (const entry of fs.readdirSync(target)) {
		const full = path.join(target, entry);
		if (fs.lstatSync(full).isSymbolicLink() && fs.readlinkSync(full) !== wanted.get(entry)) fs.unlinkSync(full);
	}
	for (const [entry, linkTarget] of wanted) {
		const full = path.join(target, entry);
		if (fs.lstatSync(full, { throwIfNoEntry: false })) continue; // linked already, or a real file
		fs.symlinkSync(linkTarget, full);
	}
}

step = "installing the built files";
for (const app of apps) {
	linkAppAssets(app);
	const from = path.join(staging, app, "dist");
	if (fs.existsSync(from)) fs.cpSync(from, path.join(ASSETS, app, "dist"), { recursive: true });
}

step = "writing assets.json";
function writeJsonAtomically(file, data) {
	const sorted = Object.fromEntries(Object.entries(data).sort(([a], [b]) => a.localeCompare(b)));
	const temporary = `${file}.tmp-${process.pid}`;
	fs.writeFileSync(temporary, JSON.stringify(sorted, null, 2) + "\n");
	fs.renameSync(temporary, file);
}
for (const [key, url] of Object.entries({ ...assetsMap, ...rtlMap })) {
	if (!fs.existsSync(path.join(SITES, url))) fail(`${key} -> ${url} does not exist`);
}
writeJsonAtomically(path.join(ASSETS, "assets-rtl.json"), rtlMap);
writeJsonAtomically(path.join(ASSETS, "assets.json"), assetsMap);

step = "removing the files of older builds";
for (const app of apps) {
	const dist = path.join(ASSETS, app, "dist");
	const produced = producedFiles.get(app);
	for (const file of walk(dist)) {
		if (!produced.has(path.relative(dist, file))) fs.rmSync(file);
	}
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
const size = (url) => `${(fs.statSync(path.join(SITES, url)).size / 1024).toFixed(0)} kB`;
console.log(
	`build.mjs: ${Object.keys(assetsMap).length} bundles and ${Object.keys(rtlMap).length} rtl styles of ` +
		`${apps.join(", ")} in ${seconds} s (${PRODUCTION ? "minified" : "not minified"}; ` +
		`desk.bundle.js ${assetsMap["desk.bundle.js"] ? size(assetsMap["desk.bundle.js"]) : "missing"}, ` +
		`desk.bundle.css ${assetsMap["desk.bundle.css"] ? size(assetsMap["desk.bundle.css"]) : "missing"}; ` +
		`${warnings.esbuild} esbuild and ${warnings.sass} Sass warnings` +
		`${VERBOSE ? "" : ", WANGGE_ASSETS_VERBOSE=1 shows them"})`
);
