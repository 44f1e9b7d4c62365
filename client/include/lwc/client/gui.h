// The desktop window (client/gui/, Dear ImGui + GLFW + OpenGL 3). `lwc-client` with no command, or
// `lwc-client gui`, calls run_gui on the main thread; it returns the process exit code.
#pragma once

#include <string>

#include "lwc/i18n.h"

namespace lwc::client {

struct GuiOptions {
  std::string data_dir;
  Lang lang = Lang::kTh;
  std::string size = "1280x800";
  // Test mode: render `frames` frames once the data is loaded, write the window to this PNG, exit
  // (0, or 1 when a frame is broken: data failed to load or a visible character has no glyph).
  std::string screenshot;
  // district | province | charts | reports | conflicts | fleet | forms | award | popup | relogin |
  // enroll | auto (by role)
  std::string view = "auto";
  int frames = 3;
  bool live = false;  // screenshot: sync with the hub first (one round), as a normal run does
  // Screenshot mode with view "charts": also export this chart (budget | bmn | groups) as the
  // Export PNG button does, to export_path, before exiting.
  std::string export_chart, export_path;
  // Benchmark: write {"first_frame_ms", "idle_cpu_pct", "peak_rss_kb", …} to this JSON file after
  // the first frame plus bench_idle_s seconds of idling, then exit.
  std::string bench;
  int bench_idle_s = 10;
  // Benchmark: the same window drawing an empty ImGui frame, without data, workers or the Thai
  // fonts — the window system's and the OpenGL driver's own share of the figures.
  bool bench_baseline = false;
  // The enrol screen's fields, filled in (scripts/demo.sh passes the demo hub's URL and CA).
  std::string enroll_hub, enroll_ca, enroll_user;
};

int run_gui(const GuiOptions& options);

}  // namespace lwc::client
