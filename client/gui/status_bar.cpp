// The status bar, always visible at the bottom: online/offline, pending mutations, last successful
// sync (Buddhist Era in Thai), Sync now, a progress bar during a long sync, the language switch,
// the last message, and "Log in again" while the hub refuses the token.
#include <imgui.h>

#include <algorithm>

#include "app.h"
#include "lwc/clock.h"

namespace lwc::client::gui {

void StatusBar::draw(App& app) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x, vp->WorkPos.y + vp->WorkSize.y - kHeight));
  ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x, kHeight));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, colour_vec(0x263238));
  ImGui::PushStyleColor(ImGuiCol_Text, colour_vec(0xECEFF1));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(12, 8));
  ImGui::Begin("##status", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollWithMouse);
  const SyncState& s = app.sync;
  const bool have_worker = s.started;
  // Online dot.
  {
    const bool online = have_worker && s.online;
    const uint32_t rgb = online ? 0x66BB6A : 0xEF5350;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float r = 6;
    ImGui::GetWindowDrawList()->AddCircleFilled(
        ImVec2(p.x + r, p.y + ImGui::GetTextLineHeight() / 2 + 1), r, colour(rgb));
    ImGui::Dummy(ImVec2(2 * r + 2, ImGui::GetTextLineHeight()));
    ImGui::SameLine();
    std::string label(
        app.t(online ? (s.streaming ? "gui.sync.live" : "gui.sync.online") : "gui.sync.offline"));
    ImGui::TextUnformatted(label.c_str());
    if (!s.last_error.empty() && ImGui::IsItemHovered())
      ImGui::SetTooltip("%s", s.last_error.c_str());
  }
  const int64_t last = have_worker && s.last_sync_ms ? s.last_sync_ms : app.local_last_sync_ms;
  ImGui::SameLine(0, 24);
  ImGui::TextUnformatted(app.pending_text().c_str());
  ImGui::SameLine(0, 24);
  ImGui::TextUnformatted(app.f("gui.sync.last", {format_last_sync(last, app.lang)}).c_str());
  if (s.rejected > 0) {
    ImGui::SameLine(0, 24);
    ImGui::TextColored(colour_vec(0xFFAB91), "%s",
                       app.f("gui.sync.rejected", {std::to_string(s.rejected)}).c_str());
  }
  // The hub refused the token and the officer chose "Later": the way back to the log-in dialog.
  if (app.login_dialog.needed(app) && !app.login_dialog.wanted(app)) {
    ImGui::SameLine(0, 24);
    ImGui::PushStyleColor(ImGuiCol_Text, colour_vec(0x1C2430));
    ImGui::PushStyleColor(ImGuiCol_Button, colour_vec(0xFFE082));
    if (ImGui::SmallButton(std::string(app.t("gui.login.title")).c_str())) app.login_dialog.open();
    ImGui::PopStyleColor(2);
  }
  // A repair of the last week, so the officer knows why entries were sent again.
  const int64_t week_ago = process_clock().now_ms() - 7 * 24 * 3600 * 1000LL;
  if (app.repairs.hub_restored_ms > week_ago) {
    ImGui::SameLine(0, 24);
    ImGui::TextColored(
        colour_vec(0xFFE082), "%s",
        app.f("gui.sync.hub_restored", {format_count(app.repairs.hub_restored_resent)}).c_str());
    if (ImGui::IsItemHovered()) {
      ImGui::SetTooltip("%s", app.f("gui.sync.hub_restored_tip",
                                    {format_last_sync(app.repairs.hub_restored_ms, app.lang),
                                     format_count(app.repairs.hub_restored_resent)})
                                  .c_str());
    }
  }
  if (!app.repairs.forked_from.empty() && app.repairs.forked_ms > week_ago) {
    ImGui::SameLine(0, 24);
    ImGui::TextColored(colour_vec(0xFFE082), "%s", std::string(app.t("gui.sync.forked")).c_str());
    if (ImGui::IsItemHovered()) {
      ImGui::SetTooltip(
          "%s", app.f("gui.sync.forked_tip",
                      {format_last_sync(app.repairs.forked_ms, app.lang), app.repairs.forked_from})
                    .c_str());
    }
  }
  if (s.syncing) {
    ImGui::SameLine(0, 24);
    const bool push = s.progress.phase == SyncProgress::Phase::kPush;
    const float fraction = push && s.progress.total > 0
                               ? float(s.progress.done) / float(s.progress.total)
                               : -1.0f * float(ImGui::GetTime());  // pull: size unknown
    const std::string overlay =
        app.f(push ? "gui.sync.pushing" : "gui.sync.pulling", {format_count(s.progress.done)});
    ImGui::PushStyleColor(ImGuiCol_PlotHistogram, colour_vec(0x42A5F5));
    ImGui::ProgressBar(fraction >= 0 ? fraction : 0.0f, ImVec2(220, 0), overlay.c_str());
    ImGui::PopStyleColor();
  } else if (!app.message.empty()) {
    ImGui::SameLine(0, 24);
    ImGui::TextColored(colour_vec(app.message_error ? 0xFFAB91 : 0xA5D6A7), "%s",
                       app.message.c_str());
  }

  // Right side: Sync now, language.
  const std::string sync_label(app.t("gui.sync.now"));
  const std::string lang_label = app.lang == Lang::kTh ? "English" : "ไทย";
  const float right =
      ImGui::CalcTextSize(sync_label.c_str()).x + ImGui::CalcTextSize(lang_label.c_str()).x + 70;
  ImGui::SameLine(ImGui::GetWindowWidth() - right);
  ImGui::PushStyleColor(ImGuiCol_Text, colour_vec(0x1C2430));
  ImGui::BeginDisabled(!have_worker || s.syncing);
  if (ImGui::Button(sync_label.c_str())) app.sync_now();
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button(lang_label.c_str())) app.lang = app.lang == Lang::kTh ? Lang::kEn : Lang::kTh;
  ImGui::PopStyleColor();
  ImGui::End();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor(2);
}

}  // namespace lwc::client::gui
