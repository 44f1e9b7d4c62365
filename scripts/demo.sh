#!/usr/bin/env bash
# The main job, end to end: builds LWC, starts a hub with the Lampang demo data on
# https://127.0.0.1:8443, enrolls a Mae Mo district client and a province client, enters a budget
# figure at the district, syncs, and shows it arriving at the province. The hub keeps running until
# Ctrl-C. Data lives in demo-data/ (delete it to start over).
# With a display (DISPLAY or WAYLAND_DISPLAY set) it then opens the desktop windows: a NEW district
# officer's window on an empty data directory (the enrol screen, hub URL, CA file and user filled in:
# type the password lwc-5202-2570), and the province's window. Enter a BMN or budget figure in the
# district window (it works offline: stop the hub and it waits in "pending"), see it in the
# province's matrix after the sync, and answer the warning pop-up. LWC_DEMO_GUI=0 skips the windows.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target lwc-hub lwc-client
hub=build/hub/lwc-hub
client=build/client/lwc-client
data=demo-data
mkdir -p "$data"
[ -f "$data/hub/hub.json" ] || "$hub" --data "$data/hub" init --demo --listen 127.0.0.1:8443
"$hub" --data "$data/hub" serve &
hub_pid=$!
trap 'kill $hub_pid 2>/dev/null; wait $hub_pid 2>/dev/null' EXIT
sleep 1
url=https://127.0.0.1:8443
[ -f "$data/maemo/client.json" ] ||
  echo lwc-5202-2570 | "$client" --data "$data/maemo" enroll --hub $url --ca "$data/hub/tls/ca.pem" --user maemo
[ -f "$data/province/client.json" ] ||
  echo lwc-province-2570 | "$client" --data "$data/province" enroll --hub $url --ca "$data/hub/tls/ca.pem" --user province

echo; echo "== Mae Mo (5202) enters its budget figure, offline-capable:"
"$client" --data "$data/maemo" budget set --work-group strategy --amount 412500
"$client" --data "$data/maemo" status
echo; echo "== Mae Mo syncs:"
"$client" --data "$data/maemo" sync
echo; echo "== Mae Mo's tasks:"
"$client" --data "$data/maemo" task list
echo; echo "== The province pulls and sees it:"
"$client" --data "$data/province" sync
"$client" --data "$data/province" export --json | grep -c '"scope":"5202"' | sed 's/^/rows of Mae Mo at the province: /'
echo
echo "The hub is serving at $url (Ctrl-C to stop). Try: $client --data $data/maemo status"
echo "Web status page (live, Thai/English): $url/  — letters to print: $url/letters (log in as province)."
echo "The browser will warn about the demo's own CA ($data/hub/tls/ca.pem): import it, or accept once."
if [ "${LWC_DEMO_GUI:-1}" != 0 ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  # A new officer: an empty data directory opens on the enrol screen.
  "$client" --data "$data/maemo-gui" gui --hub $url --ca "$PWD/$data/hub/tls/ca.pem" --user maemo &
  "$client" --data "$data/province" gui &
  echo "Windows: Mae Mo (enrol with password lwc-5202-2570) and the province."
else
  echo "No display: windows not opened (run $client --data $data/province on a desktop)."
fi
wait $hub_pid
