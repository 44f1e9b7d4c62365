#!/bin/sh
# Screenshot test of the desktop window under Xvfb (a ctest test; also refreshes docs/screenshots/).
#   scripts/gui-screenshots.sh BUILD_DIR OUT_DIR
# Builds two client data directories with demo-like data (tests/gui_fixture.cpp), renders the
# district view, the warning pop-up, the provincial view and its tabs (charts with one chart
# exported as a PNG, report submissions, the Report Award, the verification queue, conflicts, fleet health, task and target forms) and the
# enrol screen of a new data directory, in Thai and English, with
# `lwc-client gui --screenshot`, and fails when a frame is blank or broken: lwc-client itself fails
# when a visible character has no glyph or the data did not load; `lwc_gui_fixture check` fails on
# too few colours, an almost empty frame or no status-coloured tiles/cells/bars.
# Exit 77 (ctest: skipped) when xvfb-run is missing.
set -eu
. "$(dirname "$0")/test-clock.sh"  # the suite's fixed instant for the fixture and every window
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

shot() {  # data-dir view lang name [min-status-pixels [extra gui options...]]
  dir=$1 view=$2 lang=$3 name=$4 min=${5:-3000}
  shift 4; [ $# -gt 0 ] && shift
  xvfb-run -a -s "-screen 0 1400x900x24" \
    "$client" --data "$dir" gui --screenshot "$out/$name.png" --view "$view" --lang "$lang" \
    --frames 4 --size 1280x800 "$@"
  "$fixture" check "$out/$name.png" "$min"
}
shot "$work/district" district th district-th
shot "$work/district" district en district-en
shot "$work/district" popup th popup-th
shot "$work/district" relogin th relogin-th 0
shot "$work/district" relogin en relogin-en 0
shot "$work/province" province th province-th
shot "$work/province" province en province-en
shot "$work/province" charts th charts-th 3000 --export-chart budget --export-path "$out/chart-budget-th.png"
"$fixture" check "$out/chart-budget-th.png" 3000  # the Export PNG picture of one chart
shot "$work/province" reports th reports-th 1500
shot "$work/province" reports en reports-en 1500
shot "$work/province" award th award-th 300
shot "$work/province" award en award-en 300
shot "$work/province" verify th verify-th 0
shot "$work/province" verify en verify-en 0
shot "$work/province" conflicts th conflicts-th 500
shot "$work/province" conflicts en conflicts-en 500
shot "$work/province" fleet th fleet-th 800
shot "$work/province" fleet en fleet-en 800
shot "$work/province" forms th forms-th 0
shot "$work/province" forms en forms-en 0
mkdir -p "$work/new"
shot "$work/new" enroll th enroll-th 0 --hub https://127.0.0.1:8443 --user maemo
echo "screenshots in $out"
