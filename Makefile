# Cadre dashboard: developer and CI entry points (GNU make).
#
#   make venv         create .venv and install requirements-dev.txt (reruns when requirements change)
#   make fonts        install the Chinese fonts (screen, PDF: 黑体/宋体/楷体 stand-ins) from Debian
#   make system-deps  fonts + Chromium (browser tests) + poppler-utils (pdftotext/pdffonts)
#                     + libatomic1 (Playwright's bundled node driver needs it) + nginx
#   make demo         build data/demo.duckdb if missing
#   make bench        city-scale benchmark (builds data/city.duckdb, ~10M rows, if missing),
#                     then the 自助分析 page's five questions (scripts/bench_explore.py)
#   make run          serve the app at http://127.0.0.1:8501
#   make run-multi    the same from PROCESSES app processes (default: one per core) behind
#                     Debian's nginx, installed if missing (scripts/serve_multi.py)
#   make test         ruff check, ruff format --check, pytest on every core (browser tests
#                     included; TEST_WORKERS=0 for one process)
#   make lint         ruff check + ruff format --check
#   make format       ruff format + ruff check --fix
#   make clean        remove the generated databases in data/ (never one with imported data)
#
# Playwright never downloads a browser here: the browser tests drive Debian's /usr/bin/chromium.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8501

# apt-get as root: plain when we are root, through sudo otherwise.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_GET := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -qq -o=Dpkg::Use-Pty=0

CJK_FONT_PKGS := fontconfig fonts-noto-cjk fonts-wqy-microhei

# The briefing's PDF and chart images embed TrueType fonts only (reportlab cannot embed Noto
# CJK's OTF/CFF), so those exact files are checked, not just "some Chinese font":
#   正文 仿宋 → AR PL UMing (明体/宋体-style serif, fonts-arphic-uming)
#   标题 黑体 → WenQuanYi Micro Hei (fonts-wqy-microhei)
#   二级标题 楷体 → AR PL UKai (fonts-arphic-ukai)
WQY_MICROHEI := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
AR_PL_UMING := /usr/share/fonts/truetype/arphic/uming.ttc
AR_PL_UKAI := /usr/share/fonts/truetype/arphic/ukai.ttc
define missing_fonts
{ [ -n "$$(fc-list :lang=zh 2>/dev/null)" ] || pkgs="$$pkgs $(CJK_FONT_PKGS)"; }; \
{ [ -e $(WQY_MICROHEI) ] || case " $$pkgs " in *" fonts-wqy-microhei "*) ;; \
  *) pkgs="$$pkgs fonts-wqy-microhei";; esac; }; \
{ [ -e $(AR_PL_UMING) ] || pkgs="$$pkgs fonts-arphic-uming"; }; \
{ [ -e $(AR_PL_UKAI) ] || pkgs="$$pkgs fonts-arphic-ukai"; }
endef
define missing_browser_and_pdf_tools
{ command -v chromium >/dev/null 2>&1 || pkgs="$$pkgs chromium"; }; \
{ [ -n "$$(/sbin/ldconfig -p 2>/dev/null | grep 'libatomic\.so\.1')" ] || pkgs="$$pkgs libatomic1"; }; \
{ command -v pdftotext >/dev/null 2>&1 && command -v pdffonts >/dev/null 2>&1 \
  || pkgs="$$pkgs poppler-utils"; }; \
$(missing_nginx)
endef
define missing_nginx
{ [ -x /usr/sbin/nginx ] || pkgs="$$pkgs nginx"; }
endef
define apt_install
if [ -n "$${pkgs// /}" ]; then \
  echo "apt-get install:$$pkgs"; \
  $(APT_GET) update; \
  $(APT_GET) install -y --no-install-recommends $$pkgs >/dev/null; \
else \
  echo "$@: nothing to install"; \
fi
endef

.PHONY: help venv fonts nginx system-deps demo bench run run-multi test lint format clean

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

venv: $(VENV)/.stamp

$(VENV)/.stamp: requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || { echo "creating $(VENV)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@

fonts:
	@pkgs=""; $(missing_fonts); $(apt_install)

nginx:
	@pkgs=""; $(missing_nginx); $(apt_install)

system-deps:
	@pkgs=""; $(missing_fonts); $(missing_browser_and_pdf_tools); $(apt_install)

demo: venv
	$(BIN)/python -m analytics.generators.demo

CITY_DB ?= data/city.duckdb

bench: venv
	@test -f $(CITY_DB) || $(BIN)/python -m analytics.generators.citygen --db $(CITY_DB)
	$(BIN)/python scripts/bench.py --db $(CITY_DB)
	$(BIN)/python scripts/bench_explore.py --db $(CITY_DB)

run: venv fonts demo
	$(BIN)/streamlit run serve.py --server.address $(HOST) --server.port $(PORT) \
		--browser.gatherUsageStats false --server.headless true

PROCESSES ?= $(shell nproc)
run-multi: venv fonts nginx demo
	$(BIN)/python scripts/serve_multi.py --processes $(PROCESSES) --host $(HOST) --port $(PORT)

# lint (ruff check + format --check) is a prerequisite, so it has passed before pytest starts.
# The tests run in TEST_WORKERS processes (pytest-xdist; each builds its own session fixtures:
# demo database, app server, Chromium); TEST_WORKERS=0 runs them in this one.
TEST_WORKERS ?= auto
test: venv system-deps lint
	$(BIN)/python -m pytest --numprocesses=$(TEST_WORKERS) --maxprocesses=4 --dist=worksteal

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Only what a generator wrote is deleted (analytics.generators.clean): a file in data/ that
# holds imported records or accounts is kept, whatever its name. Without the venv nothing can
# tell the two apart, so nothing is deleted.
clean:
	@if [ -x $(BIN)/python ]; then $(BIN)/python -m analytics.generators.clean data/*.duckdb; \
	else echo "clean: no $(VENV) to check data/*.duckdb with; nothing removed"; fi
