#!/usr/bin/env bash
# The warning engine, end to end, moved through time with the LWC_NOW override:
#   a hub with the Lampang demo data, a local fake LINE endpoint, Mae Mo's district client and the
#   province client. The province issues a directive due Friday 19 March 2027 (2570 BE); the clock
#   then steps to the 16th (warn), 19th (follow), 20th (demand) and 22nd (escalated at the province),
#   and every Thai LINE message the hub sends is printed as it arrives.
# Data lives in demo-warnings/ (recreated on every run). Ports: hub 8444, fake LINE 18080.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target lwc-hub lwc-client lwc-fake-line
hub=build/hub/lwc-hub
client=build/client/lwc-client
data=demo-warnings
rm -rf "$data" && mkdir -p "$data"
url=https://127.0.0.1:8444
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT

build/hub/lwc-fake-line --listen 127.0.0.1:18080 --log "$data/line.jsonl" >/dev/null 2>"$data/line.txt" &
pids+=($!)
export LWC_NOW=2027-03-10T09:00
"$hub" --data "$data/hub" init --demo --listen 127.0.0.1:8444 >/dev/null
"$hub" --data "$data/hub" config set channels \
  '{"line": {"base_url": "http://127.0.0.1:18080", "channel_token": "demo-token",
             "to": {"5202": "U-maemo-office", "province": "C-province-group", "executive": "U-executive"}},
    "digest": false}' >/dev/null

hub_pid=
serve_at() {  # restart the hub with the clock at $1
  [ -n "$hub_pid" ] && kill "$hub_pid" && wait "$hub_pid" 2>/dev/null || true
  LWC_NOW=$1 "$hub" --data "$data/hub" serve >"$data/hub.log" 2>&1 &
  hub_pid=$!
  pids+=($hub_pid)
  for _ in $(seq 50); do grep -q "listening on" "$data/hub.log" && break; sleep 0.1; done
  sleep 1  # the rules run as the hub starts
}
maemo() { LWC_NOW=$when "$client" --data "$data/maemo" "$@" 2>/dev/null; }
province() { LWC_NOW=$when "$client" --data "$data/province" "$@" 2>/dev/null; }
show() {  # the warnings about the demo directive (due 2027-03-19)
  "$@" warnings | grep -A2 "due 2027-03-19" || echo "   (none)"
}

when=2027-03-10T09:00
serve_at $when
echo lwc-5202-2570 | maemo enroll --hub $url --ca "$data/hub/tls/ca.pem" --user maemo >/dev/null
echo lwc-province-2570 | province enroll --hub $url --ca "$data/hub/tls/ca.pem" --user province >/dev/null
echo "== 10 Mar 2570: the province issues directive ลป 0020/ว 2001, due Friday 19 Mar, to Mae Mo"
task=$(province task create --kind directive --letter-no "ลป 0020/ว 2001" \
  --title "รายงานผลโครงการพัฒนาอาชีพ / Livelihood project report" --due 2027-03-19 --districts 5202 | head -1)
province sync >/dev/null
maemo sync >/dev/null

for step in "2027-03-16T09:00 warn: 3 days before (Tue)" "2027-03-19T09:00 follow: the due day" \
            "2027-03-20T09:00 demand: overdue"; do
  when=${step%% *}
  echo; echo "== ${step#* } — clock $when"
  serve_at "$when"
  maemo sync >/dev/null
  echo "-- Mae Mo's client:"; show maemo
done

when=2027-03-22T09:00
echo; echo "== nobody acknowledged the demand: 48 hours later it escalates — clock $when"
serve_at "$when"
province sync >/dev/null
echo "-- the province's client:"; show province

echo; echo "== Mae Mo acknowledges, then submits; the hub clears every stage"
maemo sync >/dev/null
demand=$(maemo warnings | grep "\[demand\] 5202  due 2027-03-19" | cut -d' ' -f1)
maemo ack "$demand"
maemo task submit "$task" --doc-ref "ลป 0020.1/321" >/dev/null
maemo sync >/dev/null; sleep 1; maemo sync >/dev/null
echo "-- Mae Mo's client:"; show maemo

echo; echo "== what the fake LINE endpoint received (Thai first), about the directive:"
sleep 1
grep -c '"status":200' "$data/line.jsonl" | sed 's/^/messages delivered in all: /'
grep '"status":200' "$data/line.jsonl" | grep 'ว 2001' |
  sed -e 's/.*"text":"//' -e 's/","to":"\(.*\)"}$/\n  (to \1)\n/' -e 's/\\n/\n/g' | head -60
echo; echo "The outbox: $hub --data $data/hub notify list    The audit log: $hub --data $data/hub audit"
