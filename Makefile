# resqa: every set-up step lives here; `make run` and `make test` work on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# One stamp per install level: each is done once, and again when pyproject.toml changes.
RUNTIME_STAMP := $(VENV)/.installed-runtime
FULL_STAMP := $(VENV)/.installed-full
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export ANONYMIZED_TELEMETRY := False
export NO_PROXY := localhost,127.0.0.1,::1


.PHONY: train
.PHONY: install install-runtime browser run index test lint typecheck eval readme docs bench bench-http clean

# The runtime only (what `make run` needs: no torch, no test or lint tools).
install-runtime: $(RUNTIME_STAMP)

# The runtime plus the `st` (sentence-transformers, torch) and `dev` (pytest, playwright, ruff, mypy) extras.
install: $(FULL_STAMP)

$(RUNTIME_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(RUNTIME_STAMP)

$(FULL_STAMP): $(RUNTIME_STAMP)
	# torch==2.13.0 (extra `st`) resolves to the CPU build on local disk.
	$(BIN)/pip install --quiet -e ".[st,dev]"
	touch $(FULL_STAMP)

# Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; it never downloads one).
browser:
	@dpkg -s chromium fonts-wqy-microhei >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; }

index: install-runtime
	$(BIN)/resqa index

# `make run PORT=8080` picks the port (RESQA_PORT works too; the default is 7860).
PORT ?=
run: index
	$(BIN)/resqa ui$(if $(PORT), --port $(PORT))

test: install browser
	$(BIN)/ruff check rag index ui evals tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check rag index ui evals tests
	$(BIN)/mypy

eval: install
	$(BIN)/resqa eval --dataset evals/datasets/public-v2.jsonl --output-json .resqa/eval/public.json --report-dir .resqa/eval --baseline

# Regenerates the generated figures of the docs from a fresh eval run (never typed by hand): the eval tables in
# docs/evaluation.md, the Benchmarks block in docs/benchmarks.md, the fault matrix in docs/faults.md.
# The held-out sets after v2, each with its kept first run (v2's blocks predate the numbered names).
HOLDOUTS := 3 4 5 6 7 8
EVAL_DOC := docs/evaluation.md
# The reader's learned models from the labeled questions (evals/labels/, evals/datasets/): the kind model
# (rag/read/kinds.npz, with its leave-one-set-out accuracy) and the answerability model (rag/answerability.npz).
# Deterministic: tests/test_learned.py retrains both and compares with the committed files.
train: install
	$(BIN)/python -m evals.train --loso evals/results/loso-kinds.json
	$(BIN)/python -m evals.train_answer

readme: install
	# Leave-one-set-out over every labeled set: the reader's honest figures (the first run is kept as measured).
	$(BIN)/python -m evals.loso --output-json evals/results/loso.json --update $(EVAL_DOC) --block loso
	$(BIN)/python -m evals.loso --output-json evals/results/loso-first-run.json --from-json --update $(EVAL_DOC) --block loso-first
	$(BIN)/python -m evals.rule_counts || true
	$(BIN)/resqa eval --dataset evals/datasets/public-v2.jsonl --output-json .resqa/eval/public.json --report-dir .resqa/eval --baseline --update-readme $(EVAL_DOC) --readme-block public
	$(BIN)/resqa eval --dataset evals/datasets/holdout-v2.jsonl --output-json .resqa/eval/holdout.json --report-dir .resqa/eval/holdout --update-readme $(EVAL_DOC) --readme-block holdout
	$(BIN)/python -m evals.readme $(EVAL_DOC) --first-run evals/results/holdout-v2-first-run.json --block holdout-first
	set -e; for n in $(HOLDOUTS); do \
	  $(BIN)/resqa eval --dataset evals/datasets/holdout-v$$n.jsonl --output-json .resqa/eval/holdout$$n.json --report-dir .resqa/eval/holdout$$n --update-readme $(EVAL_DOC) --readme-block holdout$$n; \
	  $(BIN)/python -m evals.readme $(EVAL_DOC) --first-run evals/results/holdout-v$$n-first-run.json --block holdout$$n-first; \
	done
	$(BIN)/resqa eval --dataset evals/datasets/themes-v1.jsonl --output-json .resqa/eval/themes.json --report-dir .resqa/eval/themes --update-readme $(EVAL_DOC) --readme-block themes
	$(BIN)/python -m evals.readme $(EVAL_DOC) --first-run evals/results/themes-v1-first-run.json --block themes-first
	$(BIN)/resqa eval --dataset evals/datasets/overview-v1.jsonl --output-json .resqa/eval/overview.json --report-dir .resqa/eval/overview --update-readme $(EVAL_DOC) --readme-block overview
	$(BIN)/python -m evals.readme $(EVAL_DOC) --first-run evals/results/overview-v1-first-run.json --block overview-first
	$(BIN)/resqa eval --corpus evals/corpora/A_RES_71_222_zh.txt --dataset evals/datasets/second-v1.jsonl --output-json .resqa/eval/second.json --update-readme $(EVAL_DOC) --readme-block second
	$(BIN)/python -m evals.premise --output-json .resqa/eval/premise.json --update-readme $(EVAL_DOC) --block premise
	$(BIN)/python -m evals.premise --first-run evals/results/premise-v1-first-run.json --update-readme $(EVAL_DOC) --block premise-first
	# The Benchmarks block: timings measured now, kept in evals/results/ (tests check the block renders them).
	$(BIN)/python -m evals.bench --json evals/results/bench.json
	set -o pipefail; $(BIN)/python -m evals.bench_http | tee evals/results/bench-http.txt
	$(BIN)/python -m evals.readme docs/benchmarks.md --bench evals/results/bench.json --bench-http evals/results/bench-http.txt
	# The fault matrix, from the last run of tests/test_faults.py and tests/test_faults_store.py (make test writes test-artifacts/faults.json).
	test -f test-artifacts/faults.json && $(BIN)/python tests/fault_matrix.py docs/faults.md || echo "run make test first for the fault matrix"

# The documentation site (docs/*.md → site/), built offline: MkDocs' own theme, no CDN, no web fonts.
docs: install
	$(BIN)/mkdocs build --strict --site-dir site

# REF=<commit or tag> (e.g. make bench REF=9ff6c1b) runs that commit's benchmark side by side and prints ratios.
bench: install-runtime
	$(BIN)/python -m evals.bench $(if $(REF),--vs $(REF))

bench-http: install-runtime
	$(BIN)/python -m evals.bench_http $(if $(REF),--vs $(REF))

clean:
	rm -rf .resqa .pytest_cache .mypy_cache .ruff_cache test-artifacts site
