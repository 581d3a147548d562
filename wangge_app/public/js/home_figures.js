// The figures of the indicators' number cards (wangge_app/overview) in one request per page.
// Frappe's card widget makes two requests per card (its Number Card, then its figure): some forty
// on the overview, which queue behind each other on the server's few workers. Here the cards drawn
// together ask once (wangge_app.overview.get_figures, cached per scope on the server); a card it does
// not answer (not an indicator's, changed by someone, or refused) is drawn the usual way.
frappe.provide("wangge_app.home_figures");

(() => {
	const NumberCardWidget = frappe.widget?.widget_factory?.number_card;
	if (!NumberCardWidget) return;
	const METHOD = "wangge_app.overview.get_figures";
	// The cards of one page are made one after the other within a few milliseconds.
	const GATHER_MS = 15;
	let batch = null;

	wangge_app.home_figures.figure_of = (name) => {
		if (!batch) {
			const gathering = { names: new Set() };
			gathering.answer = new Promise((resolve) => {
				gathering.send = () => {
					batch = null;
					frappe
						.xcall(METHOD, { cards: [...gathering.names] })
						.then(resolve)
						.catch(() => resolve({}));
				};
			});
			batch = gathering;
		}
		const gathering = batch;
		gathering.names.add(name);
		clearTimeout(gathering.timer);
		gathering.timer = setTimeout(gathering.send, GATHER_MS);
		return gathering.answer.then((figures) => (figures || {})[name]);
	};

	const make_card = NumberCardWidget.prototype.make_card;
	NumberCardWidget.prototype.make_card = function () {
		const name = this.number_card_name || this.name;
		if (!name) return make_card.call(this);
		this.set_loading_state();
		wangge_app.home_figures.figure_of(name).then((figure) => {
			if (!figure) return make_card.call(this);
			this.card_doc = figure.card;
			this.prepare_actions();
			this.set_title();
			this.number = figure.value;
			this.set_formatted_number({ fieldtype: figure.fieldtype, precision: figure.precision });
			this.render_number();
			// A manager may have turned on the change since last period (asked for separately, as before).
			this.filters = this.get_filters();
			this.render_stats();
			this.set_events();
		});
	};
})();
