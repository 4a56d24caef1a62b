# Two commands do everything on a fresh machine with Python 3.11:
#   make demo   create .venv, install, audit the example reports (text, Word, PDF), write gap reports
#               and the draft with review comments (批注) to out/demo
#   make test   create .venv, install, run the test suite
#   make serve  the local self-review page for report authors, http://127.0.0.1:8765/
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: install demo test fuzz serve bench eval clean

install: $(STAMP)

# pkuseg 0.0.25 ships Cython sources and its default model; it must be compiled against the
# numpy/Cython installed first, so everything is installed without build isolation.
$(STAMP): requirements-build.txt requirements.txt requirements-dev.txt setup.cfg
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements-build.txt
	$(PIP) install --no-build-isolation -r requirements.txt -r requirements-dev.txt
	$(PIP) install --no-build-isolation --no-deps -e .
	# convert pkuseg's model once into the memory-mapped cache (docs/nlp.md); a failure here
	# only means the first run converts it
	$(BIN)/python -c "from auditor import nlp; nlp.warm()" || true
	touch $(STAMP)

# Exit status 1 only means "gaps found", which is the point of the demo; 2 is a real error.
demo: $(STAMP)
	rm -rf out/demo && mkdir -p out/demo
	$(BIN)/auditor check examples/draft-township-2024.txt | head -n 4; true
	$(BIN)/auditor check examples/*.txt examples/*.docx examples/*.pdf --format html --output out/demo/ || [ $$? -eq 1 ]
	$(BIN)/auditor check examples/*.txt examples/*.docx examples/*.pdf --format md --output out/demo/ || [ $$? -eq 1 ]
	$(BIN)/auditor memo examples/draft-township-2024.docx --format docx --output out/demo/memo-draft-township-2024.docx || [ $$? -eq 1 ]
	$(BIN)/auditor review examples/draft-township-2024.txt --format html --output out/demo/review-draft-township-2024.html || [ $$? -eq 1 ]
	$(BIN)/auditor review examples/draft-township-2024.docx --format docx --output out/demo/draft-township-2024-审核.docx || [ $$? -eq 1 ]
	$(BIN)/auditor batch examples --output out/demo/batch --memos docx --quiet || [ $$? -eq 1 ]
	@echo "差距报告（含 PDF 示例）、审核意见、自查结果、带批注的 Word 文稿和汇总已写入 out/demo/ (gap reports incl. the PDF example, memo, self-review, commented draft and corpus summary in out/demo/)"

# The suite runs on every core (pytest-xdist); a test file stays on one worker, so its module
# fixtures (LibreOffice conversions, dev-corpus audits, servers) are built once.
test: $(STAMP)
	$(BIN)/ruff check auditor tests benchmarks templates examples
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n auto --dist loadfile

# Longer runs of the fuzz targets (a bounded run of the same targets is part of `make test`).
fuzz: $(STAMP)
	AUDITOR_FUZZ=long $(BIN)/python -m pytest -q tests/test_properties.py -p no:cacheprovider

# The local self-review page for report authors: http://127.0.0.1:8765/
serve: $(STAMP)
	$(BIN)/auditor serve

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/bench_serve.py
	$(BIN)/python benchmarks/bench_scale.py
	$(BIN)/python benchmarks/bench_compare.py

# Figures against the hand labels in ../shared: the dev corpus (whole set, the tuning part and
# the held-apart third of tests/data/devcorpus-split.yaml, plus statement kinds), then the seeds;
# then the project's own labelled openings (tests/fixtures/openings, no ../shared needed).
eval: $(STAMP)
	$(BIN)/auditor eval --gold ../shared/devcorpus/gold ../shared/devcorpus/pages \
		--split tests/data/devcorpus-split.yaml --statements tests/data/statements.tsv | sed -n '/^报告 /,$$p'
	$(BIN)/auditor eval --gold ../shared/gold ../shared/seeds | sed -n '/^报告 /,$$p'
	$(BIN)/auditor eval --gold tests/fixtures/openings tests/fixtures/openings \
		--split tests/data/openings-split.yaml | sed -n '/^报告 /,$$p'

clean:
	rm -rf $(VENV) out build *.egg-info
