// The desktop window's application object and its windows. One window (screen or area) per file:
//   app.cpp            App: GLFW/OpenGL/ImGui setup, the main loop, data reloads, screenshots
//   fonts.cpp          TLWG Loma found at run time, Thai glyph ranges, the glyph check
//   widgets.cpp        colours, stage chips, tiles, bar charts (ImGui draw list)
//   enroll_screen.cpp  first run: hub URL, CA file, user, password (enrolment off the UI thread)
//   login_dialog.cpp   log in again when the hub refuses the token (same device and outbox)
//   status_bar.cpp     online/offline, pending, last sync, Sync now, progress, language
//   district_view.cpp  tiles, task list, entry forms (entry_forms.cpp), warnings inbox
//   warning_popup.cpp  the modal a new warning opens until it is acknowledged or disputed
//   province_view.cpp  district × programme matrix, charts (PNG export), verification queue
//   reports_view.cpp   district × report submission matrix (on time / late / missing / returned)
//   award_view.cpp     the Report Award leaderboard and how a district's score was computed
//   conflicts_view.cpp the hub's conflicts and this client's refused changes, values side by side
//   fleet_view.cpp     every office's devices: last contact, backlog, client version
//   province_forms.cpp create a task, set a target
//
// Threads: everything here runs on the UI thread. Store work goes to App::store_worker_ and network
// work to App::sync_ (SyncWorker) or a std::async whose future is polled with a zero timeout; their
// results come back through App::main_queue_, drained once per frame.
#pragma once

#include <imgui.h>

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lwc/client/config.h"
#include "lwc/client/enroll.h"
#include "lwc/client/gui.h"
#include "lwc/client/store_worker.h"
#include "lwc/client/sync_engine.h"
#include "lwc/client/sync_worker.h"
#include "lwc/client/view_model.h"
#include "lwc/entries.h"

struct GLFWwindow;

namespace lwc::client::gui {

class App;

struct Fonts {
  ImFont* regular = nullptr;
  ImFont* bold = nullptr;
  ImFont* big = nullptr;
  std::string path;   // the font file used ("" when the Thai font is missing)
  std::string error;  // why the Thai font could not be used
};
// A font atlas built before the ImGui context exists and then shared with it
// (ImGui::CreateContext(atlas.get())); it must outlive the context.
struct FontAtlas {
  std::unique_ptr<ImFontAtlas> atlas;
  Fonts fonts;                  // inside `atlas`
  std::vector<ImWchar> ranges;  // the glyph ranges the fonts were built with (moves keep them)
};
// Finds TLWG Loma (LWC_FONT, fontconfig, the Debian path), adds it with Thai and Latin glyphs plus
// every character of the strings table, and rasterises the atlas (alpha and RGBA pixels, freed
// once the GL texture holds them). Without Loma: ImGui's default font and `error`. Any thread, but
// only while no ImGui context exists (ImGui's allocator counts into the current context).
FontAtlas build_font_atlas();
// Characters of `text` the font has no glyph for (U+XXXX list, "" when all are there).
std::string missing_glyphs(ImFont* font, std::string_view text);

// --- widgets.cpp ---
ImU32 colour(uint32_t rgb, float alpha = 1.0f);
ImVec4 colour_vec(uint32_t rgb, float alpha = 1.0f);
uint32_t tint(uint32_t rgb, float toward_white);  // mixes with white: 0 = rgb, 1 = white
// A small rounded label in the stage's colour ("ทวงถาม").
void stage_chip(Stage s, Lang lang);
void status_chip(TileStatus s, Lang lang);
void draw_tile(const Tile& tile, const Fonts& fonts, ImVec2 size, Lang lang);
struct Bar {
  std::string label;
  double value = 0;    // in the chart's unit
  double target = -1;  // per-bar target marker (-1: none)
  uint32_t rgb = 0x1565C0;
  std::string text;  // drawn after the bar
};
// Horizontal bars (one row per bar) scaled to max_value, with an optional common target line.
void bar_chart(const char* id, const std::vector<Bar>& bars, double max_value, double common_target,
               const std::string& target_label, float label_width);
void help_marker(const std::string& text);
// The header of views built on App::hub_lists (conflicts, fleet): when they were fetched, a Refresh
// button (province/admin) and the last error. Defined in widgets.cpp.
void hub_lists_header(App& app);
// A solid bar in `rgb` at the start of the line (a table cell's status edge); the text follows.
void edge_mark(uint32_t rgb);
// A login or an enrolment off the UI thread; the loop is woken when its answer is ready (the caller
// polls the future with a zero timeout).
std::future<Result<ClientConfig>> log_in_in_background(std::function<Result<ClientConfig>()> job);
// Takes a background login's answer once it has arrived (zero-timeout poll); false while none is
// ready. A success sets `config`, wipes `password` and clears `error`; a failure leaves its message
// in `error`.
bool take_login(std::future<Result<ClientConfig>>& pending, char* password, size_t password_size,
                std::string& error, std::optional<ClientConfig>& config);
// Beside the button: `busy_key` while a login runs; below it: the last failure in red, after
// `failed_key`.
void login_progress(const App& app, bool busy, std::string_view busy_key,
                    std::string_view failed_key, const std::string& error);

// --- the windows ---

class EnrollScreen {
 public:
  void draw(App& app);
  // Takes the enrolment result when it has arrived (zero-timeout poll); true when it did.
  bool poll(App& app);

 private:
  char hub_[256] = "https://127.0.0.1:8443";
  char ca_[512] = "";
  char user_[64] = "";
  char password_[128] = "";
  std::future<Result<ClientConfig>> pending_;
  std::string error_;
  bool prefilled_ = false;
};

// login_dialog.cpp: log in again when the hub refuses the token, keeping the device and outbox.
class LoginDialog {
 public:
  // Draws the modal while it is wanted (closes it when no longer); every frame.
  void draw(App& app);
  // Takes the login's result when it has arrived (zero-timeout poll); true when it did.
  bool poll(App& app);
  // The modal is up (or about to be): other modals wait.
  bool wanted(const App& app) const;
  // The hub refused the token since the last login: the status bar offers the dialog.
  bool needed(const App& app) const;
  // Opens it now (the status bar's button, the screenshot view "relogin").
  void open();

 private:
  char password_[128] = "";
  std::future<Result<ClientConfig>> pending_;
  std::string error_;
  uint64_t failures_at_login_ = 0;  // SyncState::failures when the last login succeeded
  bool dismissed_ = false;          // "Later": until the status bar's button
  bool forced_ = false;
};

class StatusBar {
 public:
  static constexpr float kHeight = 40.0f;
  void draw(App& app);
};

class WarningPopup {
 public:
  void draw(App& app);
  // Shows one item now (from the inbox), even if the officer answered it before.
  void open(const InboxItem& item);
  // Open warnings the officer has not answered in this session, most urgent first.
  size_t queued(const App& app) const;

 private:
  const InboxItem* next(const App& app) const;
  std::set<std::string>
      answered_;  // subject keys answered this session (until the reload shows it)
  std::optional<InboxItem> forced_;
  bool disputing_ = false;
  char reason_[512] = "";
};

class EntryForms {
 public:
  void draw(App& app, const DistrictFigures& d);

 private:
  void budget(App& app, const DistrictFigures& d);
  void bmn(App& app, const DistrictFigures& d);
  int group_ = 0;
  double amount_ = 0;
  char budget_as_of_[16] = "";
  int collected_ = 0, entered_ = 0, updated_ = 0;
  char bmn_as_of_[16] = "";
  // A figure waiting for "are you sure?".
  std::optional<RowWrite> confirm_write_;
  std::string confirm_text_;
  bool open_confirm_ = false;
};

// award_view.cpp: the Report Award leaderboard and one district's breakdown. only_district: a
// district officer's own score (its client cannot rank the others).
class AwardView {
 public:
  void draw(App& app, const std::string& only_district = "");

 private:
  std::string selected_;  // the district whose breakdown is shown
};

class ConflictsView {
 public:
  void draw(App& app);
  // Only this client's changes the hub refused, with its reasons (also the district's own tab).
  void rejected(App& app);

 private:
  void conflicts(App& app);
};

class DistrictView {
 public:
  void draw(App& app, const DistrictFigures& d);

 private:
  void tasks(App& app, const DistrictFigures& d);
  void inbox(App& app);
  EntryForms forms_;
  AwardView award_;
  ConflictsView refused_;  // its list of this client's refused changes
  std::string submit_task_;
  char doc_ref_[128] = "";
};

class ReportsView {
 public:
  void draw(App& app);
};

class FleetView {
 public:
  void draw(App& app);
};

class ProvinceForms {
 public:
  void draw(App& app);

 private:
  void task_form(App& app);
  void target_form(App& app);
  int kind_ = 0;  // 0 directive, 1 monthly report
  char letter_[64] = "";
  char title_[256] = "";
  char issued_[16] = "";
  char due_[16] = "";
  int group_ = 0;
  std::set<std::string> districts_;
  int indicator_ = 0;        // 0 budget, 1 BMN
  int target_district_ = 0;  // index into the snapshot's districts
  int target_group_ = 0;     // 0: the district's whole allocation, else work group index + 1
  double target_value_ = 0;
  std::optional<RowWrite> confirm_write_;
  std::string confirm_text_, confirm_done_;
  bool open_confirm_ = false;
};

// A chart to write as a PNG after this frame is rendered (the window's pixels inside `min..max`).
struct ChartExport {
  std::string name;  // "budget", "bmn", "groups"
  ImVec2 min, max;
  std::string path;  // where to write; "" = exports/NAME-DATE-TIME.png in the data directory
};

class ProvinceView {
 public:
  void draw(App& app);

 private:
  void matrix(App& app);
  void charts(App& app);
  void queue(App& app);
  void warnings(App& app);
  // Title, as-of line, the chart, an Export PNG button that asks App to write it.
  void chart_section(App& app, const char* name, const std::string& title,
                     const std::function<void()>& draw_chart);
  ReportsView reports_;
  AwardView award_;
  ConflictsView conflicts_;
  FleetView fleet_;
  ProvinceForms forms_;
  std::string return_id_;
  char note_[512] = "";
  std::string drill_;           // a district opened from the matrix ("" none)
  bool view_selected_ = false;  // the screenshot mode's --view selected its tab once
  bool export_done_ = false;    // the screenshot mode's --export-chart was written
  std::string export_again_;    // a chart to export on the next frame (drawn without the button)
  std::string export_path_;     // its file ("" = exports/ in the data directory)
  DistrictView district_;
};

// --- the application ---

class App {
 public:
  App(GuiOptions options, GLFWwindow* window);
  ~App();

  // One frame of UI (between ImGui::NewFrame and ImGui::Render).
  void frame();
  // Polls workers, drains results; true when something changed and a redraw is due.
  bool poll();
  bool ready_for_screenshot() const;
  // Checks the visible strings have glyphs: "" or what is missing.
  std::string glyph_report() const;

  // --- for the windows ---
  std::string_view t(std::string_view key) const { return tr(key, lang); }
  std::string f(std::string_view key, std::initializer_list<std::string> args) const {
    return fmt(key, lang, args);
  }
  // Validates each write with the hub's rules, then writes on the data thread; a message says how
  // it went (done_key on success), the sync worker pushes it, and the snapshot reloads.
  void write(std::vector<RowWrite> writes, std::string done_text);
  void notify(std::string text, bool error = false);
  // What waits to be sent: entries (rows) with the field changes they hold — one BMN figure is one
  // entry of several changes. Rows come with each reload, changes live from the worker.
  std::string pending_text() const;
  void sync_now();
  void reload();
  void enrolled(ClientConfig config);
  // The folder logged in again (LoginDialog): keep the config, hand the token to the sync worker.
  void logged_in_again(ClientConfig config);
  bool province_role() const { return config && config->role != Role::kDistrict; }
  bool may_manage() const {
    return config && (config->role == Role::kProvince || config->role == Role::kAdmin);
  }
  // The hub's conflicts and fleet lists (province, admin): fetched off the UI thread, kept in the
  // store (meta "gui.hub_lists") so the last known lists show offline with their time.
  void refresh_hub_lists();
  // Asks the main loop for a few more frames (a view changes by itself, e.g. scrolls).
  void redraw();
  // Writes a chart's pixels after the frame is rendered (the PNG is encoded on a worker thread).
  void export_chart(ChartExport request);
  // Writes `content` to DATA/exports/file_name off the UI thread; the result is notified.
  void write_export(const std::string& file_name, std::string content);
  // Called by the main loop after rendering, before the swap.
  void finish_frame(int fb_width, int fb_height);

  GuiOptions options;
  Lang lang;
  GLFWwindow* window;
  Fonts fonts;  // from build_font_atlas (run_app owns the atlas)
  std::optional<ClientConfig> config;
  Status config_error;
  std::shared_ptr<const Snapshot> snapshot;
  Status load_error;
  SyncState sync;
  int64_t local_pending = 0, local_last_sync_ms = 0;  // from the store, until the worker reports
  RepairNotes repairs;                                // from the store, with each reload
  std::string message;
  bool message_error = false;
  int64_t message_until_ms = 0;
  int writes_in_flight = 0;
  struct HubLists {
    std::vector<ConflictItem> conflicts;
    std::vector<FleetDevice> fleet;
    int64_t fetched_ms = 0;  // 0: never
    std::string error;       // the last fetch failed (the lists are the last known)
    bool loading = false;
  } hub_lists;
  std::optional<ChartExport> pending_export;
  std::string last_export_path;

  EnrollScreen enroll_screen;
  LoginDialog login_dialog;
  StatusBar status_bar;
  WarningPopup popup;
  DistrictView district_view;
  ProvinceView province_view;

 private:
  void start_workers();

  struct FetchedLists {
    std::string conflicts_body, fleet_body, error;
    int64_t at_ms = 0;
  };
  void take_hub_lists(const FetchedLists& f, bool from_cache);
  std::future<FetchedLists> lists_future_;
  int64_t lists_requested_ms_ = 0;
  bool loading_ = false, reload_again_ = false;
  uint64_t loaded_generation_ = 0;
  int64_t loaded_at_ms_ = 0;
  // Declared last: destroyed first, while everything their jobs touch still exists.
  MainQueue main_queue_;
  // PNG encodings in flight; they post to main_queue_, so they are declared (and joined) after it.
  std::vector<std::future<void>> png_writes_;
  std::unique_ptr<StoreWorker> store_worker_;
  std::unique_ptr<SyncWorker> sync_;
};

}  // namespace lwc::client::gui
