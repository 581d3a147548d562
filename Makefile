# Developer commands; see README.md. The harness lives in dev/, the app in wangge_app/.
ARGS ?=

.PHONY: test demo setup clean

test:
	bash dev/test.sh $(ARGS)

demo:
	bash dev/demo.sh

setup:
	bash dev/setup.sh

clean:
	rm -rf dev/bench
