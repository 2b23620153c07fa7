#!/usr/bin/env bash
# ensure-chromium.sh gives `make test` a headless Chromium for the console's browser
# journeys (browsertest). If none is on PATH (or at $CHROMIUM), on Debian/Ubuntu as root or
# with sudo it installs Debian's `chromium` package. Anywhere else it says so and carries on:
# the journeys then skip with a message that says how to get a browser, and the rest of the
# tests run. It never fails the build.
set -uo pipefail

say() { echo "ensure-chromium: $*"; }

have_browser() {
	[[ -n "${CHROMIUM:-}" && -x "${CHROMIUM}" ]] && return 0
	for name in chromium chromium-browser google-chrome chrome; do
		command -v "$name" >/dev/null 2>&1 && return 0
	done
	return 1
}
# Chinese pages need a CJK font, or the screenshots show boxes.
have_font() { ! command -v fc-list >/dev/null 2>&1 || fc-list :lang=zh 2>/dev/null | grep -q .; }
if have_browser && have_font; then exit 0; fi

if ! command -v apt-get >/dev/null 2>&1; then
	say "no Chromium and no apt-get: the browser journeys will be skipped (install Chromium or set CHROMIUM)"
	exit 0
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
	if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
		say "no Chromium, and installing it needs root: the browser journeys will be skipped (apt-get install chromium)"
		exit 0
	fi
fi
say "installing Debian's chromium and fonts-noto-cjk for the browser journeys (a minute or two, once)"
if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-noto-cjk >/tmp/ensure-chromium.log 2>&1; then
	$SUDO apt-get update >/dev/null 2>&1 || true
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-noto-cjk >/tmp/ensure-chromium.log 2>&1 ||
		say "could not install chromium (see /tmp/ensure-chromium.log): the browser journeys will be skipped"
fi
exit 0
