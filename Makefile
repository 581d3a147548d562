# Developer commands; see README.md. The harness lives in dev/, the app in wangge_app/.
ARGS ?=

.PHONY: test test-quick demo setup clean benchmark

test:
	bash dev/test.sh $(ARGS)

# While working: the unit tests of the modules changed against HEAD (and main, on a branch) and a smoke
# test of the served site, on the test site an earlier run left; see dev/quick_tests.py.
test-quick:
	bash dev/test.sh --quick $(ARGS)

demo:
	bash dev/demo.sh

# Points balance benchmark on its own site (recreated each run); see dev/bench_points.py. Then the
# district: community scale against district scale, on its own site; see dev/bench_district.py. Then a
# workflow transition with 5 and with 1,200 holders of the next role; see dev/bench_workflow.py. Then the
# two role pages' figures against their 1.5 s budget; see dev/bench_home_pages.py.
benchmark:
	bash dev/setup.sh
	bash -c 'source dev/common.sh && new_site bench_points.localhost >"$$BENCH_DIR/logs/new-site-bench_points.log" 2>&1 \
		&& cd "$$BENCH_DIR/sites" && "$$PYTHON" "$$ROOT_DIR/dev/bench_points.py" bench_points.localhost $(ARGS)'
	bash -c 'source dev/common.sh && new_site bench_district.localhost >"$$BENCH_DIR/logs/new-site-bench_district.log" 2>&1 \
		&& cd "$$BENCH_DIR/sites" && "$$PYTHON" "$$ROOT_DIR/dev/bench_district.py" bench_district.localhost'
	bash -c 'source dev/common.sh && new_site bench_workflow.localhost >"$$BENCH_DIR/logs/new-site-bench_workflow.log" 2>&1 \
		&& cd "$$BENCH_DIR/sites" && "$$PYTHON" "$$ROOT_DIR/dev/bench_workflow.py" bench_workflow.localhost'
	bash -c 'source dev/common.sh && new_site bench_home_pages.localhost >"$$BENCH_DIR/logs/new-site-bench_home_pages.log" 2>&1 \
		&& cd "$$BENCH_DIR/sites" && "$$PYTHON" "$$ROOT_DIR/dev/bench_home_pages.py" bench_home_pages.localhost'

setup:
	bash dev/setup.sh

# The bench (its sites included) and what was built to make it.
clean:
	rm -rf dev/bench dev/build
