#!/bin/sh
# Screenshot test of the desktop window under Xvfb (a ctest test; also refreshes docs/screenshots/).
#   scripts/gui-screenshots.sh BUILD_DIR OUT_DIR
# Builds two client data directories with demo-like data (tests/gui_fixture.cpp), renders the
# district view, the warning pop-up and the provincial view in Thai and English with
# `lwc-client gui --screenshot`, and fails when a frame is blank or broken: lwc-client itself fails
# when a visible character has no glyph or the data did not load; `lwc_gui_fixture check` fails on
# too few colours, an almost empty frame or no status-coloured tiles/cells/bars.
# Exit 77 (ctest: skipped) when xvfb-run is missing.
set -eu
build=$(cd "$1" && pwd)
out=$2
command -v xvfb-run >/dev/null 2>&1 || { echo "xvfb-run missing: apt-get install xvfb xauth"; exit 77; }
fixture=$build/tests/lwc_gui_fixture
client=$build/client/lwc-client
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
"$fixture" make "$work/district" --role district
"$fixture" make "$work/province" --role province

shot() {  # data-dir view lang name
  xvfb-run -a -s "-screen 0 1400x900x24" \
    "$client" --data "$1" gui --screenshot "$out/$4.png" --view "$2" --lang "$3" --frames 4 \
    --size 1280x800
  "$fixture" check "$out/$4.png"
}
shot "$work/district" district th district-th
shot "$work/district" district en district-en
shot "$work/district" popup th popup-th
shot "$work/province" province th province-th
shot "$work/province" province en province-en
shot "$work/province" charts th charts-th
echo "screenshots in $out"
