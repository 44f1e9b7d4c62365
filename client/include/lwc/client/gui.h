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
  std::string view = "auto";  // district | province | popup | enroll | auto (by role)
  int frames = 3;
  bool live = false;  // screenshot: sync with the hub first (one round), as a normal run does
};

int run_gui(const GuiOptions& options);

}  // namespace lwc::client
