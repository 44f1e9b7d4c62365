// The GUI's main loop: GLFW window, OpenGL 3 + Dear ImGui backends, event-driven redraws (the loop
// sleeps in glfwWaitEventsTimeout when nothing changes), data reloads on the data thread, and the
// screenshot test mode.
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <stb_image_write.h>

#include <malloc.h>
#include <sqlite3.h>

#include <sys/resource.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "app.h"
#include "lwc/protocol.h"

namespace lwc::client::gui {

namespace {

// Input callbacks chained in front of ImGui's: any input means "draw the next frames".
int g_frames_due = 3;  // UI thread only
void on_input() {
  g_frames_due = std::max(g_frames_due, 3);
}
void on_key(GLFWwindow*, int, int, int, int) {
  on_input();
}
void on_char(GLFWwindow*, unsigned) {
  on_input();
}
void on_mouse(GLFWwindow*, int, int, int) {
  on_input();
}
void on_cursor(GLFWwindow*, double, double) {
  on_input();
}
void on_scroll(GLFWwindow*, double, double) {
  on_input();
}
void on_size(GLFWwindow*, int, int) {
  on_input();
}
void on_focus(GLFWwindow*, int) {
  on_input();
}

bool write_png(const std::string& path, int width, int height) {
  std::vector<unsigned char> pixels(size_t(width) * height * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  // OpenGL rows run bottom-up; PNG rows top-down.
  std::vector<unsigned char> flipped(pixels.size());
  const size_t row = size_t(width) * 4;
  for (int y = 0; y < height; ++y) {
    std::copy_n(&pixels[size_t(height - 1 - y) * row], row, &flipped[size_t(y) * row]);
  }
  for (size_t i = 3; i < flipped.size(); i += 4) flipped[i] = 255;
  return stbi_write_png(path.c_str(), width, height, 4, flipped.data(), int(row)) != 0;
}

// Milliseconds since this process started (/proc/self/stat starttime against CLOCK_BOOTTIME).
double ms_since_process_start() {
  std::ifstream in("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 2));
  std::string f;
  for (int i = 3; i <= 22 && fields >> f; ++i) {
  }
  const double start_s = std::stod(f) / double(sysconf(_SC_CLK_TCK));
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  return (double(now.tv_sec) + double(now.tv_nsec) / 1e9 - start_s) * 1000.0;
}

// Resident set size now, in kB (/proc/self/statm).
long rss_kb() {
  std::ifstream in("/proc/self/statm");
  long size = 0, resident = 0;
  in >> size >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Paths of the files mapped into this process now (/proc/self/maps).
std::set<std::string> mapped_files() {
  std::set<std::string> out;
  std::ifstream in("/proc/self/maps");
  for (std::string line; std::getline(in, line);) {
    const size_t slash = line.find('/');
    if (slash != std::string::npos) out.insert(line.substr(slash));
  }
  return out;
}

// The resident set by kind of mapping (kB), from /proc/self/smaps:
//   gl_driver_libraries  files first mapped while the window and its GL context were created (Mesa,
//                        llvmpipe's LLVM and their dependencies), with their relocated data
//   x_shared_memory      the X shared-memory image the frame is presented through (/SYSV…)
//   heap_and_anonymous   malloc heaps, thread stacks, other anonymous memory — ours and the
//   driver's
//                        (its colour buffer, JIT code, shader compiler) alike
//   binary               lwc-client itself
//   other_libraries      every other file (libc, libstdc++, SQLite, curl, OpenSSL, X11, GLFW…)
nlohmann::json rss_by_mapping(const std::set<std::string>& before_window) {
  std::map<std::string, long> kb;
  std::ifstream in("/proc/self/smaps");
  std::string kind, exe;
  {
    std::error_code ec;
    exe = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  }
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("Rss:", 0) == 0) {
      kb[kind] += std::stol(line.substr(4));
      continue;
    }
    // A mapping's header: "start-end perms offset dev inode [path]"; other lines are "Key: value".
    const size_t dash = line.find('-'), space = line.find(' ');
    if (dash == std::string::npos || space == std::string::npos || dash > space) continue;
    if (line.find(':') < space) continue;
    const size_t slash = line.find('/');
    const std::string path = slash == std::string::npos ? "" : line.substr(slash);
    if (path.rfind("/SYSV", 0) == 0) {
      kind = "x_shared_memory";
    } else if (path.empty()) {
      kind = "heap_and_anonymous";
    } else if (path == exe) {
      kind = "binary";
    } else if (!before_window.empty() && !before_window.count(path)) {
      kind = "gl_driver_libraries";
    } else {
      kind = "other_libraries";
    }
  }
  nlohmann::json j = nlohmann::json::object();
  long total = 0;
  for (const auto& [k, v] : kb) {
    j[k] = v;
    total += v;
  }
  j["total"] = total;
  return j;
}

// The benchmark mode (--bench FILE): time to the first frame and to the first frame with data,
// then CPU over bench_idle_s seconds of idling (after a 2 s settle), and the peak RSS with a
// breakdown of the resident set at the first frame with data (the peak is reached there).
class Bench {
 public:
  explicit Bench(const GuiOptions& o)
      : on_(!o.bench.empty()), baseline_(o.bench_baseline), idle_s_(o.bench_idle_s) {}
  bool active() const { return on_; }
  // Start-up phases: when each ended (ms since process start) and the RSS then.
  void mark(const char* phase) {
    if (on_) {
      phases_.push_back({{"phase", phase}, {"ms", ms_since_process_start()}, {"rss_kb", rss_kb()}});
    }
  }
  // Just before the window opens: the files mapped so far are not the GL driver's.
  void before_window() {
    if (on_) before_window_ = mapped_files();
  }
  // After each presented frame; true when the measurement is complete.
  bool frame(bool data_shown) {
    const double now = wall_seconds();
    if (first_frame_ms_ < 0) {
      first_frame_ms_ = ms_since_process_start();
      mark("first_frame");
    }
    if (data_shown && first_data_ms_ < 0) {
      first_data_ms_ = ms_since_process_start();
      at_first_data_ = {{"rss_kb", rss_by_mapping(before_window_)},
                        {"malloc_in_use_kb", malloc_in_use_kb()},
                        {"sqlite_in_use_kb", sqlite3_memory_used() / 1024},
                        {"threads", thread_count()}};
      settle_until_ = wall_seconds() + 2.0;
    }
    if (first_data_ms_ < 0) return false;
    if (idle_start_ < 0 && now >= settle_until_) {
      idle_start_ = now;
      cpu_start_ = cpu_seconds();
    }
    return idle_start_ >= 0 && now - idle_start_ >= idle_s_;
  }
  // Also called while the loop sleeps (frame() only runs when something is drawn).
  bool tick() { return frame(first_data_ms_ >= 0); }
  bool write(const std::string& path) {
    const double wall = wall_seconds() - idle_start_, cpu = cpu_seconds() - cpu_start_;
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    const ImGuiIO& io = ImGui::GetIO();
    nlohmann::json j{{"baseline", baseline_},
                     {"first_frame_ms", first_frame_ms_},
                     {"first_data_frame_ms", first_data_ms_},
                     {"idle_seconds", wall},
                     {"idle_cpu_seconds", cpu},
                     {"idle_cpu_pct", wall > 0 ? 100.0 * cpu / wall : -1},
                     {"peak_rss_kb", ru.ru_maxrss},
                     {"at_first_data_frame", at_first_data_},
                     {"idle_end",
                      {{"rss_kb", rss_by_mapping(before_window_)},
                       {"malloc_in_use_kb", malloc_in_use_kb()},
                       {"sqlite_in_use_kb", sqlite3_memory_used() / 1024},
                       {"sqlite_highwater_kb", sqlite3_memory_highwater(0) / 1024},
                       {"threads", thread_count()}}},
                     {"font_atlas",
                      {{"width", io.Fonts->TexWidth},
                       {"height", io.Fonts->TexHeight},
                       {"rgba_kb", io.Fonts->TexWidth * io.Fonts->TexHeight * 4 / 1024}}},
                     {"phases", phases_}};
    std::ofstream out(path);
    out << j.dump(2) << "\n";
    return bool(out);
  }

 private:
  static long malloc_in_use_kb() {
    const struct mallinfo2 m = mallinfo2();
    return long((m.uordblks + m.hblkhd) / 1024);
  }
  static long thread_count() {
    std::error_code ec;
    long n = 0;
    for (auto it = std::filesystem::directory_iterator("/proc/self/task", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
      ++n;
    return n;
  }
  bool on_, baseline_;
  int idle_s_;
  std::set<std::string> before_window_;
  nlohmann::json phases_ = nlohmann::json::array();
  nlohmann::json at_first_data_ = nlohmann::json::object();
  double first_frame_ms_ = -1, first_data_ms_ = -1;
  double settle_until_ = 0, idle_start_ = -1, cpu_start_ = 0;
};

// The atlas is coverage only (ImGui's RGBA copy is white, the coverage in alpha): redefine the
// backend's font texture with one byte per texel, read as (1, 1, 1, coverage) through a swizzle
// (GL 3.3) — the same pixels from a quarter of the texture memory, which the driver holds in
// system RAM under llvmpipe. Below GL 3.3 the RGBA texture stays.
void compact_font_texture(const ImFontAtlas& atlas) {
  GLint major = 0, minor = 0;
  glGetIntegerv(GL_MAJOR_VERSION, &major);
  glGetIntegerv(GL_MINOR_VERSION, &minor);
  if (major * 10 + minor < 33 || !atlas.TexPixelsAlpha8 || !atlas.TexID) return;
  GLint bound = 0, alignment = 4;
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &bound);
  glGetIntegerv(GL_UNPACK_ALIGNMENT, &alignment);
  glBindTexture(GL_TEXTURE_2D, GLuint(reinterpret_cast<intptr_t>(atlas.TexID)));
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, atlas.TexWidth, atlas.TexHeight, 0, GL_RED,
               GL_UNSIGNED_BYTE, atlas.TexPixelsAlpha8);
  const GLint swizzle[] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};
  glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
  glPixelStorei(GL_UNPACK_ALIGNMENT, alignment);
  glBindTexture(GL_TEXTURE_2D, GLuint(bound));
}

void apply_style() {
  ImGui::StyleColorsLight();
  ImGuiStyle& s = ImGui::GetStyle();
  s.WindowRounding = 0;
  s.FrameRounding = 4;
  s.GrabRounding = 4;
  s.TabRounding = 4;
  s.PopupRounding = 6;
  s.FramePadding = ImVec2(8, 5);
  s.ItemSpacing = ImVec2(10, 7);
  s.CellPadding = ImVec2(8, 5);
  s.WindowPadding = ImVec2(14, 12);
  s.Colors[ImGuiCol_WindowBg] = colour_vec(0xF3F5F8);
  s.Colors[ImGuiCol_ChildBg] = colour_vec(0xFFFFFF, 0.0f);
  s.Colors[ImGuiCol_PopupBg] = colour_vec(0xFFFFFF);
  s.Colors[ImGuiCol_Button] = colour_vec(0xD3E3F8);
  s.Colors[ImGuiCol_ButtonHovered] = colour_vec(0xB3D1F5);
  s.Colors[ImGuiCol_ButtonActive] = colour_vec(0x90BDF0);
  s.Colors[ImGuiCol_Text] = colour_vec(0x1C2430);
  s.Colors[ImGuiCol_TableHeaderBg] = colour_vec(0xDDE3EA);
  s.Colors[ImGuiCol_Tab] = colour_vec(0xDDE3EA);
  s.Colors[ImGuiCol_TabActive] = colour_vec(0xFFFFFF);
  s.Colors[ImGuiCol_TabHovered] = colour_vec(0xBBDEFB);
  s.Colors[ImGuiCol_FrameBg] = colour_vec(0xFFFFFF);
  s.Colors[ImGuiCol_Border] = colour_vec(0xC5CED8);
  s.Colors[ImGuiCol_ModalWindowDimBg] = colour_vec(0x000000, 0.45f);
  s.FrameBorderSize = 1;
}

}  // namespace

App::App(GuiOptions opts, GLFWwindow* w)
    : options(std::move(opts)),
      lang(options.lang),
      window(w),
      main_queue_([] { glfwPostEmptyEvent(); }) {
  auto c = load_client_config(options.data_dir);
  if (c.ok()) {
    config = *c;
    start_workers();
    if (options.view == "relogin") login_dialog.open();
  } else {
    config_error = c.status();
  }
}

App::~App() = default;

void App::start_workers() {
  const StoreOptions store = config->store_options();
  store_worker_ = std::make_unique<StoreWorker>(store, process_clock());
  if (options.screenshot.empty() || options.live) {  // the test mode connects only when --live
    SyncWorkerOptions o;
    o.store = store;
    o.token = config->token;
    const ClientConfig cfg = *config;
    o.make_transport = [cfg] { return make_curl_transport({cfg.hub_url, cfg.ca_file()}); };
    // A copied folder became a device of its own: keep its token (the sync thread's own copy).
    o.sync.on_forked = [cfg](const std::string&, const std::string& token, int64_t expires_ms) {
      ClientConfig next = cfg;
      next.token = token;
      next.token_expires_ms = expires_ms;
      return save_client_config(next);
    };
    o.on_change = [] { glfwPostEmptyEvent(); };
    sync_ = std::make_unique<SyncWorker>(o);
    sync_->start();
  }
  reload();
}

void App::enrolled(ClientConfig c) {
  config = std::move(c);
  config_error = {};
  start_workers();
  notify(f("gui.enroll.done", {config->user}));
}

std::string App::pending_text() const {
  const int64_t pending = sync.started ? sync.pending : local_pending;
  const int64_t rows = snapshot ? std::min(snapshot->pending_rows, pending) : 0;
  if (pending <= 0 || rows <= 0) return f("gui.sync.pending", {format_count(pending)});
  if (rows == 1) return f("gui.sync.pending_row", {format_count(pending)});
  return f("gui.sync.pending_rows", {format_count(rows), format_count(pending)});
}

void App::logged_in_again(ClientConfig c) {
  config = std::move(c);
  if (sync_) sync_->set_token(config->token);
  notify(std::string(t("gui.login.done")));
}

void App::reload() {
  if (!store_worker_) return;
  if (loading_) {
    reload_again_ = true;
    return;
  }
  loading_ = true;
  const Principal who = config->principal();
  store_worker_->post([this, who](Store& store) {
    auto snap =
        std::make_shared<Result<Snapshot>>(load_snapshot(store, who, process_clock().now_ms()));
    auto pending = store.outbox_size();
    auto last = store.get_meta("last_sync_ms");
    auto notes = repair_notes(store);
    auto cached = std::make_shared<FetchedLists>();
    if (auto meta = store.get_meta("gui.hub_lists"); meta.ok() && !meta->empty()) {
      nlohmann::json j = nlohmann::json::parse(*meta, nullptr, false);
      if (j.is_object()) {
        cached->conflicts_body = j.value("conflicts", "");
        cached->fleet_body = j.value("fleet", "");
        cached->at_ms = j.value("at_ms", int64_t(0));
      }
    }
    const int64_t pending_n = pending.ok() ? *pending : 0;
    const int64_t last_ms = last.ok() && !last->empty() ? std::stoll(*last) : 0;
    const RepairNotes repaired = notes.ok() ? *notes : RepairNotes{};
    main_queue_.post([this, snap, pending_n, last_ms, cached, repaired] {
      loading_ = false;
      repairs = repaired;
      if (cached->at_ms > hub_lists.fetched_ms) take_hub_lists(*cached, true);
      local_pending = pending_n;
      local_last_sync_ms = last_ms;
      if (snap->ok()) {
        snapshot = std::make_shared<const Snapshot>(std::move(*snap).value());
        load_error = {};
      } else {
        load_error = snap->status();
      }
      loaded_at_ms_ = process_clock().now_ms();
      if (reload_again_) {
        reload_again_ = false;
        reload();
      }
    });
  });
}

void App::write(std::vector<RowWrite> writes, std::string done_text) {
  if (!config || !store_worker_) return;
  for (const RowWrite& w : writes) {
    for (const auto& fw : w.fields) {
      Change c{w.table, w.id, w.scope, fw.field, FieldVersion{fw.value, Hlc{1}, "", {}}};
      if (Status s = validate_change(c, config->principal()); !s.ok()) {
        notify(s.message(), true);
        return;
      }
    }
  }
  ++writes_in_flight;
  store_worker_->post([this, writes = std::move(writes), done_text](Store& store) {
    Status result;
    for (const RowWrite& w : writes) {
      auto r = store.write_local(w.table, w.id, w.scope, w.fields);
      if (!r.ok()) {
        result = r.status();
        break;
      }
    }
    main_queue_.post([this, result, done_text] {
      --writes_in_flight;
      if (result.ok()) {
        notify(done_text);
        if (sync_) sync_->local_write();
      } else {
        notify(result.message(), true);
      }
      reload();
    });
  });
}

void App::notify(std::string text, bool error) {
  message = std::move(text);
  message_error = error;
  message_until_ms = process_clock().now_ms() + (error ? 15'000 : 6'000);
}

void App::sync_now() {
  if (sync_) sync_->sync_now();
}

bool App::poll() {
  bool changed = main_queue_.drain() > 0;
  if (sync_) {
    SyncState s = sync_->state();
    changed |= s.online != sync.online || s.syncing != sync.syncing ||
               s.progress.done != sync.progress.done || s.pending != sync.pending ||
               s.last_sync_ms != sync.last_sync_ms || s.last_error != sync.last_error ||
               s.streaming != sync.streaming;
    sync = s;
    if (s.data_generation != loaded_generation_) {
      loaded_generation_ = s.data_generation;
      reload();
    }
  }
  const int64_t now = process_clock().now_ms();
  // Stages move with the clock: reload once a minute even without new data.
  if (snapshot && !loading_ && now - loaded_at_ms_ > 60'000) reload();
  if (message_until_ms && now > message_until_ms) {
    message.clear();
    message_until_ms = 0;
    changed = true;
  }
  if (lists_future_.valid() &&
      lists_future_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    FetchedLists f = lists_future_.get();
    hub_lists.loading = false;
    if (f.error.empty()) {
      take_hub_lists(f, false);
    } else {
      hub_lists.error = f.error;
    }
    changed = true;
  }
  // Province: refresh the hub's lists after new data arrived, at most every 30 s.
  if (sync_ && may_manage() && !hub_lists.loading && sync.online &&
      now - lists_requested_ms_ > 30'000 && loaded_generation_ > 0 &&
      lists_requested_ms_ < loaded_at_ms_) {
    refresh_hub_lists();
  }
  for (auto it = png_writes_.begin(); it != png_writes_.end();) {
    if (it->wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      it->get();
      it = png_writes_.erase(it);
    } else {
      ++it;
    }
  }
  changed |= enroll_screen.poll(*this);
  changed |= login_dialog.poll(*this);
  return changed;
}

void App::refresh_hub_lists() {
  if (!config || !may_manage() || hub_lists.loading) return;
  if (!options.screenshot.empty() && !options.live) return;  // the test mode never connects
  hub_lists.loading = true;
  lists_requested_ms_ = process_clock().now_ms();
  const ClientConfig cfg = *config;
  lists_future_ = std::async(std::launch::async, [cfg] {
    FetchedLists out;
    auto transport = make_curl_transport({cfg.hub_url, cfg.ca_file(), 5000, 20000});
    auto get = [&](const char* path, std::string& body) {
      auto r = transport->request("GET", path, "", cfg.token);
      if (!r.ok()) {
        out.error = r.status().message();
      } else if (r->status != 200) {
        auto j = lwc::protocol::parse_json(r->body).value_or(nlohmann::json());
        out.error =
            std::string(path) + ": " +
            (j.is_object() ? j.value("message", r->body) : "HTTP " + std::to_string(r->status));
      } else {
        body = r->body;
      }
      glfwPostEmptyEvent();
    };
    get("/v1/conflicts", out.conflicts_body);
    if (out.error.empty()) get("/v1/fleet", out.fleet_body);
    out.at_ms = process_clock().now_ms();
    return out;
  });
}

void App::take_hub_lists(const FetchedLists& f, bool from_cache) {
  auto conflicts = parse_conflicts(f.conflicts_body);
  auto fleet = parse_fleet(f.fleet_body);
  if (!conflicts.ok() || !fleet.ok()) {
    if (!from_cache)
      hub_lists.error = (!conflicts.ok() ? conflicts.status() : fleet.status()).message();
    return;
  }
  hub_lists.conflicts = std::move(conflicts).value();
  hub_lists.fleet = std::move(fleet).value();
  hub_lists.fetched_ms = f.at_ms;
  hub_lists.error.clear();
  if (from_cache || !store_worker_) return;
  const std::string cache = nlohmann::json{
      {"conflicts", f.conflicts_body},
      {"fleet", f.fleet_body},
      {"at_ms", f.at_ms}}.dump();
  store_worker_->post([cache](Store& store) { (void)store.set_meta("gui.hub_lists", cache); });
}

void App::redraw() {
  on_input();
}

void App::write_export(const std::string& file_name, std::string content) {
  const std::string path =
      (std::filesystem::path(options.data_dir) / "exports" / file_name).string();
  png_writes_.push_back(std::async(std::launch::async, [this, path, content = std::move(content)] {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    std::ofstream out(path, std::ios::binary);
    out << content;
    const bool ok = bool(out);
    main_queue_.post([this, ok, path] {
      notify(ok ? f("gui.export.done", {path}) : f("gui.export.failed", {path}), !ok);
    });
  }));
}

void App::export_chart(ChartExport request) {
  pending_export = std::move(request);
}

void App::finish_frame(int fb_width, int fb_height) {
  if (!pending_export) return;
  ChartExport e = std::move(*pending_export);
  pending_export.reset();
  // Window coordinates (top-left origin) to framebuffer pixels (bottom-left origin).
  const ImVec2 scale = ImGui::GetIO().DisplayFramebufferScale;
  const int x0 = std::clamp(int(e.min.x * scale.x), 0, fb_width);
  const int x1 = std::clamp(int(e.max.x * scale.x), 0, fb_width);
  const int y0 = std::clamp(int(e.min.y * scale.y), 0, fb_height);
  const int y1 = std::clamp(int(e.max.y * scale.y), 0, fb_height);
  const int w = x1 - x0, h = y1 - y0;
  if (w <= 0 || h <= 0) return;
  std::vector<unsigned char> pixels(size_t(w) * size_t(h) * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(x0, fb_height - y1, w, h, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  std::string path = e.path;
  if (path.empty()) {
    const int64_t now = process_clock().now_ms();
    const std::time_t secs = std::time_t((now + 7 * 3'600'000) / 1000);  // Thai time
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%d-%H%M%S", &tm);
    path = (std::filesystem::path(options.data_dir) / "exports" /
            ("chart-" + e.name + "-" + stamp + ".png"))
               .string();
  }
  last_export_path = path;
  // Flip and encode off the UI thread; the result comes back through the main queue.
  png_writes_.push_back(
      std::async(std::launch::async, [this, pixels = std::move(pixels), w, h, path]() mutable {
        std::vector<unsigned char> rows(pixels.size());
        const size_t row = size_t(w) * 4;
        for (int y = 0; y < h; ++y)
          std::copy_n(&pixels[size_t(h - 1 - y) * row], row, &rows[size_t(y) * row]);
        for (size_t i = 3; i < rows.size(); i += 4) rows[i] = 255;
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
        const bool ok = stbi_write_png(path.c_str(), w, h, 4, rows.data(), int(row)) != 0;
        main_queue_.post([this, ok, path] {
          notify(ok ? f("gui.export.done", {path}) : f("gui.export.failed", {path}), !ok);
        });
      }));
}

bool App::ready_for_screenshot() const {
  if (!config) return true;                                                  // the enroll screen
  if (options.live && sync.rounds == 0 && sync.failures == 0) return false;  // first round
  return (snapshot || !load_error.ok()) && !loading_ && writes_in_flight == 0 && !reload_again_ &&
         !pending_export && (!sync_ || sync.data_generation == loaded_generation_);
}

std::string App::glyph_report() const {
  std::string missing;
  auto check = [&](std::string_view text) {
    std::string m = missing_glyphs(fonts.regular, text);
    if (!m.empty() && missing.find(m) == std::string::npos) missing += m;
  };
  for (const Text& t : all_texts()) check(lang == Lang::kTh ? t.th : t.en);
  if (snapshot) {
    for (const DistrictFigures& d : snapshot->districts) check(d.name_th + d.name_en);
    for (const TaskItem& t : snapshot->tasks) check(t.title + t.letter_no);
    for (const InboxItem& w : snapshot->warnings)
      check(w.top.warning.title + w.top.warning.message_th);
    for (const WorkGroupFigure& g : snapshot->work_groups) check(g.name_th + g.name_en);
  }
  return missing;
}

void App::frame() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x, vp->WorkSize.y - StatusBar::kHeight));
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("##main", nullptr, flags);
  if (!fonts.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, colour_vec(0xC62828));
    ImGui::TextWrapped("%s", fonts.error.c_str());
    ImGui::PopStyleColor();
  }
  if (!config || options.view == "enroll") {
    enroll_screen.draw(*this);
  } else if (!load_error.ok()) {
    ImGui::TextWrapped("%s: %s", std::string(t("gui.load_failed")).c_str(),
                       load_error.message().c_str());
  } else if (!snapshot) {
    ImGui::TextUnformatted(std::string(t("gui.loading")).c_str());
  } else if (options.view == "province" || options.view == "charts" || options.view == "reports" ||
             options.view == "conflicts" || options.view == "fleet" || options.view == "forms" ||
             options.view == "award" ||
             (options.view != "district" && options.view != "popup" && province_role())) {
    province_view.draw(*this);
  } else if (!snapshot->districts.empty()) {
    district_view.draw(*this, snapshot->districts.front());
  }
  ImGui::End();
  status_bar.draw(*this);
  login_dialog.draw(*this);
  if (config && snapshot && !login_dialog.wanted(*this) &&
      (options.screenshot.empty() || options.view == "popup"))
    popup.draw(*this);
}

namespace {

// The window's life after it opened: the ImGui context (on the atlas font_job builds), the
// backends, the loop, the backends' shutdown. Returns the exit code.
// Draws ImGui's rendered frame over the window's background; the framebuffer size in *w, *h.
void draw_frame(GLFWwindow* window, int* w, int* h) {
  glfwGetFramebufferSize(window, w, h);
  glViewport(0, 0, *w, *h);
  glClearColor(0.95f, 0.96f, 0.97f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

int run_window(App& app, std::future<FontAtlas>& font_job, FontAtlas& fonts, Bench& bench) {
  const GuiOptions& options = app.options;
  GLFWwindow* window = app.window;
  int exit_code = 0;
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);
  bench.mark("window_and_gl_context");
  // Ours first: ImGui's backend chains to the callbacks installed before it.
  glfwSetKeyCallback(window, on_key);
  glfwSetCharCallback(window, on_char);
  glfwSetMouseButtonCallback(window, on_mouse);
  glfwSetCursorPosCallback(window, on_cursor);
  glfwSetScrollCallback(window, on_scroll);
  glfwSetWindowSizeCallback(window, on_size);
  glfwSetWindowFocusCallback(window, on_focus);

  fonts = font_job.get();
  bench.mark("fonts_ready");
  IMGUI_CHECKVERSION();
  ImGui::CreateContext(fonts.atlas.get());
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no imgui.ini next to the officer's documents
  apply_style();
  app.fonts = fonts.fonts;
  if (!app.fonts.error.empty()) std::cerr << "lwc-client: " << app.fonts.error << "\n";
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 150");
  bench.mark("imgui_backends");

  const bool screenshot = !options.screenshot.empty();
  int frames_after_ready = 0, frames_drawn = 0;
  while (!glfwWindowShouldClose(window)) {
    if (screenshot || g_frames_due > 0) {
      glfwPollEvents();
    } else {
      // Nothing to draw: sleep until input, a worker's wake-up, or a periodic check.
      glfwWaitEventsTimeout(app.sync.syncing ? 0.25 : 2.0);
    }
    if (app.poll()) g_frames_due = std::max(g_frames_due, 2);
    if (bench.active() && g_frames_due <= 0 && bench.tick()) break;
    if (!screenshot && g_frames_due <= 0) continue;
    --g_frames_due;

    const bool first = frames_drawn++ == 0;
    ImGui_ImplOpenGL3_NewFrame();  // the first one compiles the shaders, uploads the atlas
    if (first) {
      compact_font_texture(*io.Fonts);
      // The atlas now lives in the GL texture: free ImGui's CPU copies (alpha + RGBA) before the
      // first frame is drawn, the process's busiest moment.
      io.Fonts->ClearTexData();
      io.Fonts->ClearInputData();  // and the font files and build settings: nothing rebuilds it
      bench.mark("gl_device_objects");
    }
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    app.frame();
    ImGui::Render();
    if (first) bench.mark("first_frame_built");
    int fb_w, fb_h;
    draw_frame(window, &fb_w, &fb_h);
    app.finish_frame(fb_w, fb_h);
    if (first) bench.mark("first_frame_rendered");

    if (screenshot && app.ready_for_screenshot() && ++frames_after_ready >= options.frames) {
      if (!write_png(options.screenshot, fb_w, fb_h)) {
        std::cerr << "lwc-client: cannot write " << options.screenshot << "\n";
        exit_code = 1;
      }
      const std::string missing = app.glyph_report();
      if (!app.fonts.error.empty() || !missing.empty()) {
        std::cerr << "lwc-client: broken frame: " << app.fonts.error
                  << (missing.empty() ? "" : " no glyph for " + missing) << "\n";
        exit_code = 1;
      }
      if (!app.load_error.ok()) {
        std::cerr << "lwc-client: " << app.load_error.to_string() << "\n";
        exit_code = 1;
      }
      break;
    }
    glfwSwapBuffers(window);
    if (bench.active() && bench.frame(app.snapshot != nullptr)) break;
  }
  if (bench.active()) exit_code = bench.write(options.bench) ? 0 : 1;
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  return exit_code;
}

// --bench-baseline: the same window, drawing one empty ImGui window in ImGui's own font, with no
// data, workers or Thai fonts, until the measurement is complete — what a window costs with this
// OpenGL driver before anything of ours.
int run_baseline(GLFWwindow* window, Bench& bench, const std::string& out) {
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);
  bench.mark("window_and_gl_context");
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 150");
  for (int frames = 0; !glfwWindowShouldClose(window);) {
    if (frames >= 3) {
      glfwWaitEventsTimeout(0.5);
      if (bench.tick()) break;
      continue;
    }
    glfwPollEvents();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::Begin("##baseline", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::TextUnformatted("baseline");
    ImGui::End();
    ImGui::Render();
    int fb_w, fb_h;
    draw_frame(window, &fb_w, &fb_h);
    glfwSwapBuffers(window);
    ++frames;
    if (bench.frame(true)) break;
  }
  const int exit_code = bench.write(out) ? 0 : 1;
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  return exit_code;
}

}  // namespace

int run_app(const GuiOptions& options) {
  int width = 1280, height = 800;
  if (std::sscanf(options.size.c_str(), "%dx%d", &width, &height) != 2 || width < 320 ||
      height < 240) {
    std::cerr << "lwc-client: --size is WIDTHxHEIGHT, e.g. 1280x800\n";
    return 2;
  }
  Bench bench(options);
  bench.mark("main");
  // The fonts are rasterised on a helper thread while GLFW opens the window and the GL driver loads
  // (before the ImGui context exists: see build_font_atlas).
  const bool baseline = options.bench_baseline && bench.active();  // --bench-baseline needs --bench
  std::future<FontAtlas> font_job;
  if (!baseline) font_job = std::async(std::launch::async, build_font_atlas);
  glfwSetErrorCallback([](int code, const char* text) {
    std::cerr << "lwc-client: GLFW error " << code << ": " << text << "\n";
  });
  if (!glfwInit()) {
    std::cerr << "lwc-client: cannot open a window (no display?); the command line still works: "
                 "lwc-client --help\n";
    return 3;
  }
  bench.mark("glfw_init");
  int exit_code = 3;
  GLFWwindow* window = nullptr;
  FontAtlas fonts;  // shared with the ImGui context: outlives it
  {
    // The data thread opens the store and loads the first snapshot while the window opens.
    std::optional<App> app;
    if (!baseline) app.emplace(options, nullptr);
    bench.mark("app_and_workers_started");
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 2);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    // ImGui draws with neither: no depth or stencil buffer (a software renderer would hold a
    // 4-byte-per-pixel one, 4 MB at 1280x800).
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    bench.before_window();
    window = glfwCreateWindow(width, height, "LWC — ศูนย์เตือนภัยลำปาง", nullptr, nullptr);
    if (window && !app) {
      exit_code = run_baseline(window, bench, options.bench);
    } else if (window) {
      app->window = window;
      exit_code = run_window(*app, font_job, fonts, bench);
    }
  }  // the workers stop here (SyncWorker::stop interrupts the stream)
  if (ImGui::GetCurrentContext()) ImGui::DestroyContext();
  if (window) glfwDestroyWindow(window);
  glfwTerminate();
  return exit_code;
}

}  // namespace lwc::client::gui

namespace lwc::client {
int run_gui(const GuiOptions& options) {
  return gui::run_app(options);
}
}  // namespace lwc::client
