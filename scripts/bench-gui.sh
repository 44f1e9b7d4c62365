#!/usr/bin/env bash
# The desktop window's benchmark (issue 6): time to the first frame, idle CPU over 10 s and peak RSS
# of the provincial view holding the full demo data (a province client synced from a demo hub),
# under Xvfb (Mesa llvmpipe, software OpenGL). Writes bench/results/gui-STAMP.json and
# gui-latest.json; goals < 300 ms, < 1 %, < 80 MB are reported, never asserted.
# Runs: one cold start, one warm start with 10 s of idling, four more warm starts (first frame
# only; the first-frame figure is the median of the five warm starts, their maximum beside it),
# and the renderer baseline: the same window drawing an empty ImGui frame (--bench-baseline) —
# what the window and the OpenGL driver cost without anything of ours. The peak RSS goal is judged
# on the whole process; the part above the baseline is reported beside it, labelled.
#   scripts/bench-gui.sh [BUILD_DIR]     (default build-bench; needs lwc-hub and lwc-client)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-bench}
hub=${LWC_BENCH_HUB:-$build/hub/lwc-hub}
client=$build/client/lwc-client
command -v Xvfb >/dev/null || { echo "Xvfb missing: apt-get install xvfb"; exit 77; }
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
display=:$((100 + RANDOM % 800))
Xvfb "$display" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
"$hub" --data "$work/hub" init --demo --listen 127.0.0.1:0 >/dev/null
"$hub" --data "$work/hub" serve >"$work/hub.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "listening on" "$work/hub.log" && break; sleep 0.1; done
url=$(grep -o 'https://[0-9.]*:[0-9]*' "$work/hub.log" | head -1)
echo lwc-province-2570 | "$client" --data "$work/prov" enroll --hub "$url" --ca "$work/hub/tls/ca.pem" \
  --user province >/dev/null
"$client" --data "$work/prov" sync >/dev/null
rows=$("$client" --data "$work/prov" export --json | grep -c '"table"' || true)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results
out=bench/results/gui-$stamp.json
run() {  # out-json idle-seconds [extra options]: one window, live against the hub
  DISPLAY=$display "$client" --data "$work/prov" gui --bench "$1" --bench-idle-s "$2" \
    --size 1280x800 "${@:3}"
}
run "$work/cold.json" 10  # the first start pays for the shader cache and the page cache
run "$work/warm.json" 10  # idle: the event stream is held while the window sleeps
for i in 2 3 4 5; do run "$work/warm$i.json" 0; done
run "$work/baseline.json" 0 --bench-baseline
python3 - "$work" "$out" "$rows" <<'PY'
import json, statistics, sys
work, out_path, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
load = lambda name: json.load(open(f"{work}/{name}.json"))
cold, warm, base = load("cold"), load("warm"), load("baseline")
starts = [warm] + [load(f"warm{i}") for i in range(2, 6)]
first = sorted(s["first_data_frame_ms"] for s in starts)
peak = max(s["peak_rss_kb"] for s in starts)
mb = lambda kb: round(kb / 1024, 1)
out = {
    "benchmark": "gui: provincial view of the demo data under Xvfb (Mesa llvmpipe)",
    "synced_rows": rows,
    "first_data_frame_ms": {"median": statistics.median(first), "max": first[-1],
                            "warm_runs": first, "cold": cold["first_data_frame_ms"]},
    "idle_cpu_pct": warm["idle_cpu_pct"],
    "peak_rss_mb": {
        "total": mb(peak),
        "renderer_baseline": mb(base["peak_rss_kb"]),
        "above_renderer_baseline": mb(peak - base["peak_rss_kb"]),
        "what": "total: the whole lwc-client process (the goal is judged on it); "
                "renderer_baseline: the same window drawing an empty ImGui frame "
                "(--bench-baseline: X/GLFW, Mesa llvmpipe with LLVM, the process's libraries); "
                "above_renderer_baseline: what our data, fonts, views and workers add",
    },
    "rss_kb_at_first_data_frame": {"app": warm["at_first_data_frame"],
                                   "renderer_baseline": base["at_first_data_frame"]},
    "cold": cold, "warm": warm, "renderer_baseline": base,
    "goal": {"first_frame_ms": 300, "idle_cpu_pct": 1.0, "peak_rss_mb": 80},
}
out["goal_met"] = {
    "first_frame_ms": statistics.median(first) < 300,
    "idle_cpu_pct": warm["idle_cpu_pct"] < 1.0,
    "peak_rss_mb": peak / 1024 < 80,
}
json.dump(out, open(out_path, "w"), indent=2)
r = out["peak_rss_mb"]
print(f"first frame with data {statistics.median(first):.0f} ms median of {len(first)} warm starts "
      f"(max {first[-1]:.0f}, cold {cold['first_data_frame_ms']:.0f}); idle CPU "
      f"{warm['idle_cpu_pct']:.2f} % over {warm['idle_seconds']:.1f} s; peak RSS {r['total']} MB "
      f"(renderer baseline {r['renderer_baseline']} MB, ours above it "
      f"{r['above_renderer_baseline']} MB); font atlas "
      f"{warm['font_atlas']['width']}x{warm['font_atlas']['height']}")
PY
cp "$out" bench/results/gui-latest.json
echo "results: $out"
