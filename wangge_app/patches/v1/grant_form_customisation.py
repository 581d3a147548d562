from wangge_app.install import grant_form_customisation


def execute():
	grant_form_customisation()
