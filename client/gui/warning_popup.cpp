// The warning pop-up: a modal with no close button that stays until the officer acknowledges the
// warning or disputes it with a reason. It shows the stage colour, the task or indicator, the
// message, the deadline, the data's as-of time and source, and who verified the data. Several open
// warnings are queued most urgent first (the snapshot's order); answering one shows the next.
//
// District officers get their district's open warnings; province and executive accounts get the
// escalated ones (escalation goes to the executive, BRIEF §2).
#include <imgui.h>

#include "app.h"

namespace lwc::client::gui {

namespace {
std::string subject_key(const Warning& w) {
  return w.rule + "/" + w.subject + "/" + w.district;
}

bool wanted(const App& app, const InboxItem& item) {
  if (!item.needs_answer()) return false;
  if (app.config->role == Role::kDistrict) return item.top.warning.district == app.config->district;
  return item.top.warning.stage == Stage::kEscalated;
}
}  // namespace

void WarningPopup::open(const InboxItem& item) {
  forced_ = item;
  answered_.erase(subject_key(item.top.warning));
}

const InboxItem* WarningPopup::next(const App& app) const {
  if (forced_) return &*forced_;
  for (const InboxItem& item : app.snapshot->warnings) {
    if (wanted(app, item) && !answered_.count(subject_key(item.top.warning))) return &item;
  }
  return nullptr;
}

size_t WarningPopup::queued(const App& app) const {
  size_t n = 0;
  for (const InboxItem& item : app.snapshot->warnings) {
    n += wanted(app, item) && !answered_.count(subject_key(item.top.warning));
  }
  return n;
}

void WarningPopup::draw(App& app) {
  const InboxItem* item = next(app);
  if (!item) return;
  const InboxItem current = *item;  // the snapshot may be replaced while the modal is open
  const Warning& w = current.top.warning;
  const char* id = "##warning_popup";
  if (!ImGui::IsPopupOpen(id)) ImGui::OpenPopup(id);
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(std::min(720.0f, vp->WorkSize.x - 40), 0));
  if (!ImGui::BeginPopupModal(id, nullptr,
                              ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove |
                                  ImGuiWindowFlags_AlwaysAutoResize)) {
    return;
  }
  // The stage band.
  const uint32_t rgb = stage_colour(w.stage);
  {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    ImGui::PushFont(app.fonts.big);
    const float h = ImGui::GetTextLineHeight() + 16;
    dl->AddRectFilled(p, ImVec2(p.x + width, p.y + h), colour(rgb), 6.0f);
    const std::string stage(app.t(std::string("stage.") + stage_name(w.stage)));
    const uint32_t ink = w.stage == Stage::kWarn ? 0x1C2430 : 0xFFFFFF;
    dl->AddText(ImVec2(p.x + 14, p.y + 8), colour(ink), stage.c_str());
    ImGui::PopFont();
    const size_t n = queued(app);
    if (n > 1) {
      const std::string more = app.f("gui.popup.queue", {std::to_string(n - 1)});
      const float tw = ImGui::CalcTextSize(more.c_str()).x;
      dl->AddText(ImVec2(p.x + width - tw - 14, p.y + h / 2 - ImGui::GetTextLineHeight() / 2),
                  colour(ink), more.c_str());
    }
    ImGui::Dummy(ImVec2(width, h));
  }
  ImGui::PushFont(app.fonts.bold);
  ImGui::TextWrapped("%s", w.title.c_str());
  ImGui::PopFont();
  ImGui::TextWrapped("%s", (app.lang == Lang::kTh ? w.message_th : w.message_en).c_str());
  ImGui::Separator();
  if (ImGui::BeginTable("facts", 2)) {
    ImGui::TableSetupColumn("k", ImGuiTableColumnFlags_WidthFixed, 190);
    ImGui::TableSetupColumn("v", ImGuiTableColumnFlags_WidthStretch);
    auto fact = [&](const char* key, const std::string& value) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextDisabled("%s", std::string(app.t(key)).c_str());
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", value.c_str());
    };
    auto due = parse_date(w.due);
    fact("gui.popup.deadline", due.ok() ? format_date_long(*due, app.lang) : "-");
    fact("gui.popup.data", w.data_as_of ? format_time_long(w.data_as_of, app.lang)
                                        : std::string(app.t("gui.asof.none")));
    fact("gui.popup.source", w.data_source.empty() ? "-" : w.data_source);
    fact("gui.popup.verified",
         w.verified_by.empty() ? std::string(app.t("gui.unverified")) : w.verified_by);
    fact("gui.popup.raised", format_time_long(w.raised_at, app.lang));
    ImGui::EndTable();
  }
  ImGui::Spacing();

  auto answer = [&](bool dispute) {
    std::vector<RowWrite> writes;
    const int64_t now = process_clock().now_ms();
    for (const std::string& stage_id : current.stage_ids) {  // the subject's every stage
      auto r = ack_entry(stage_id, w.district, app.config->user, now, dispute, reason_);
      if (!r.ok()) {
        app.notify(r.status().message(), true);
        return;
      }
      writes.push_back(*r);
    }
    app.write(std::move(writes),
              std::string(app.t(dispute ? "gui.popup.disputed" : "gui.popup.acked")));
    answered_.insert(subject_key(w));
    forced_.reset();
    disputing_ = false;
    reason_[0] = '\0';
    ImGui::CloseCurrentPopup();
  };

  if (!disputing_) {
    ImGui::PushStyleColor(ImGuiCol_Button, colour_vec(0x2E7D32));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, colour_vec(0x388E3C));
    ImGui::PushStyleColor(ImGuiCol_Text, colour_vec(0xFFFFFF));
    ImGui::PushFont(app.fonts.bold);
    if (ImGui::Button(std::string(app.t("gui.popup.ack")).c_str(), ImVec2(240, 40))) answer(false);
    ImGui::PopFont();
    ImGui::PopStyleColor(3);
    ImGui::SameLine();
    if (ImGui::Button(std::string(app.t("gui.popup.dispute")).c_str(), ImVec2(240, 40))) {
      disputing_ = true;
    }
  } else {
    ImGui::TextUnformatted(std::string(app.t("gui.popup.reason")).c_str());
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextMultiline("##reason", reason_, sizeof reason_, ImVec2(-1, 70));
    const bool has_reason = reason_[0] != '\0';
    if (!has_reason) {
      ImGui::TextColored(colour_vec(0xC62828), "%s",
                         std::string(app.t("gui.popup.reason_needed")).c_str());
    }
    ImGui::BeginDisabled(!has_reason);
    if (ImGui::Button(std::string(app.t("gui.popup.send_dispute")).c_str(), ImVec2(240, 40)))
      answer(true);
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(std::string(app.t("gui.popup.back")).c_str(), ImVec2(160, 40)))
      disputing_ = false;
  }
  ImGui::EndPopup();
}

}  // namespace lwc::client::gui
