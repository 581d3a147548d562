from wangge_app.install import name_the_app


def execute():
	name_the_app()
