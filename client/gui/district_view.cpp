// The district officer's dashboard: tiles (budget, BMN, tasks, award, warnings) coloured by status,
// each with its data as-of time; tabs with the task list (most urgent first, Submit), the entry
// forms, the warnings inbox, the Report Award and, while there are any, the changes the hub
// refused.
#include <imgui.h>

#include "app.h"

namespace lwc::client::gui {

void DistrictView::draw(App& app, const DistrictFigures& d) {
  const Snapshot& s = *app.snapshot;
  ImGui::PushFont(app.fonts.big);
  ImGui::TextUnformatted(
      app.f("gui.district.title", {district_label(d.name_th, d.name_en, app.lang)}).c_str());
  ImGui::PopFont();
  ImGui::SameLine();
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 12);
  ImGui::TextDisabled("%s · %s", format_fiscal(s.today, app.lang).c_str(),
                      format_date_long(s.today, app.lang).c_str());

  const std::vector<Tile> tiles = district_tiles(s, d, app.lang);
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float w =
      (ImGui::GetContentRegionAvail().x - gap * float(tiles.size() - 1)) / float(tiles.size());
  for (size_t i = 0; i < tiles.size(); ++i) {
    if (i) ImGui::SameLine();
    draw_tile(tiles[i], app.fonts, ImVec2(w, 190), app.lang);
  }
  ImGui::Spacing();

  if (ImGui::BeginTabBar("district_tabs")) {
    int open_warnings = 0;
    for (const InboxItem& w : s.warnings)
      open_warnings += w.needs_answer() && w.top.warning.district == d.code;
    if (ImGui::BeginTabItem(std::string(app.t("gui.tab.tasks")).c_str())) {
      tasks(app, d);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem(std::string(app.t("gui.tab.entry")).c_str())) {
      forms_.draw(app, d);
      ImGui::EndTabItem();
    }
    const std::string inbox_label =
        app.f("gui.tab.warnings", {std::to_string(open_warnings)}) + "###inbox";
    if (ImGui::BeginTabItem(inbox_label.c_str())) {
      inbox(app);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem(std::string(app.t("gui.tab.award")).c_str())) {
      award_.draw(app, d.code);
      ImGui::EndTabItem();
    }
    // What the hub refused stays in sight, with its reasons, until the officer resolves it.
    if (!s.rejected.empty()) {
      const std::string label =
          app.f("gui.tab.refused", {std::to_string(s.rejected.size())}) + "###refused";
      if (ImGui::BeginTabItem(label.c_str())) {
        ImGui::BeginChild("refused", ImVec2(0, 0), false);
        refused_.rejected(app);
        ImGui::EndChild();
        ImGui::EndTabItem();
      }
    }
    ImGui::EndTabBar();
  }
}

void DistrictView::tasks(App& app, const DistrictFigures& d) {
  const Snapshot& s = *app.snapshot;
  const bool own = app.config && app.config->role == Role::kDistrict;
  if (s.tasks.empty() || !own) {
    ImGui::TextDisabled("%s",
                        std::string(app.t(own ? "gui.tasks.none" : "gui.tasks.province")).c_str());
    if (!own) return;
  }
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("tasks", 5, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(std::string(app.t("gui.col.stage")).c_str(),
                          ImGuiTableColumnFlags_WidthFixed, 150);
  ImGui::TableSetupColumn(std::string(app.t("gui.col.due")).c_str(),
                          ImGuiTableColumnFlags_WidthFixed, 210);
  ImGui::TableSetupColumn(std::string(app.t("gui.col.task")).c_str(),
                          ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn(std::string(app.t("gui.col.state")).c_str(),
                          ImGuiTableColumnFlags_WidthFixed, 170);
  ImGui::TableSetupColumn("##action", ImGuiTableColumnFlags_WidthFixed, 120);
  ImGui::TableHeadersRow();
  for (const TaskItem& t : s.tasks) {
    ImGui::PushID(t.id.c_str());
    ImGui::TableNextRow();
    if (t.stage) {
      ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0,
                             colour(tint(stage_colour(*t.stage), 0.82f)));
    }
    ImGui::TableNextColumn();
    if (t.stage) {
      stage_chip(*t.stage, app.lang);
    } else {
      ImGui::TextDisabled(
          "%s", std::string(app.t(t.submitted ? "gui.task.done" : "gui.task.later")).c_str());
    }
    ImGui::TableNextColumn();
    auto due = parse_date(t.due);
    ImGui::TextUnformatted(due.ok() ? format_date_long(*due, app.lang).c_str() : t.due.c_str());
    if (!t.submitted || t.returned) {
      ImGui::SameLine();
      ImGui::TextDisabled("(%s)", format_days_left(t.days_left, app.lang).c_str());
    }
    ImGui::TableNextColumn();
    if (!t.letter_no.empty()) {
      ImGui::PushFont(app.fonts.bold);
      ImGui::TextUnformatted(t.letter_no.c_str());
      ImGui::PopFont();
      ImGui::SameLine();
    }
    ImGui::TextWrapped("%s", t.title.c_str());
    ImGui::TableNextColumn();
    if (t.returned) {
      ImGui::TextColored(colour_vec(0xC62828), "%s",
                         std::string(app.t("gui.task.returned")).c_str());
    } else if (t.submitted) {
      ImGui::TextUnformatted(app.f(t.late ? "gui.task.submitted_late" : "gui.task.submitted",
                                   {format_date_long(thai_date(t.submitted_at), app.lang)})
                                 .c_str());
    } else {
      ImGui::TextUnformatted(std::string(app.t("gui.task.open")).c_str());
    }
    ImGui::TableNextColumn();
    if (!t.submitted || t.returned) {
      if (ImGui::Button(std::string(app.t("gui.task.submit")).c_str())) {
        submit_task_ = t.id;
        doc_ref_[0] = '\0';
        ImGui::OpenPopup("submit");
      }
    }
    if (ImGui::BeginPopupModal("submit", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
      ImGui::TextUnformatted((t.letter_no + " " + t.title).c_str());
      ImGui::TextUnformatted(std::string(app.t("gui.task.doc_ref")).c_str());
      ImGui::SetNextItemWidth(420);
      ImGui::InputText("##doc", doc_ref_, sizeof doc_ref_);
      if (ImGui::Button(std::string(app.t("gui.task.submit")).c_str(), ImVec2(140, 0))) {
        auto w =
            submission_entry(t.row, d.code, app.config->user, process_clock().now_ms(), doc_ref_);
        if (w.ok()) {
          app.write({*w}, app.f("gui.task.submitted_msg", {t.title}));
        } else {
          app.notify(w.status().message(), true);
        }
        ImGui::CloseCurrentPopup();
      }
      ImGui::SameLine();
      if (ImGui::Button(std::string(app.t("gui.cancel")).c_str(), ImVec2(140, 0)))
        ImGui::CloseCurrentPopup();
      ImGui::EndPopup();
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
}

void DistrictView::inbox(App& app) {
  const Snapshot& s = *app.snapshot;
  if (s.warnings.empty()) {
    ImGui::TextDisabled("%s", std::string(app.t("gui.warnings.none")).c_str());
    return;
  }
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("inbox", 5, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(std::string(app.t("gui.col.stage")).c_str(),
                          ImGuiTableColumnFlags_WidthFixed, 170);
  ImGui::TableSetupColumn(std::string(app.t("gui.col.warning")).c_str(),
                          ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn(std::string(app.t("gui.col.asof")).c_str(),
                          ImGuiTableColumnFlags_WidthFixed, 190);
  ImGui::TableSetupColumn(std::string(app.t("gui.col.state")).c_str(),
                          ImGuiTableColumnFlags_WidthFixed, 210);
  ImGui::TableSetupColumn("##action", ImGuiTableColumnFlags_WidthFixed, 110);
  ImGui::TableHeadersRow();
  for (const InboxItem& item : s.warnings) {
    const Warning& w = item.top.warning;
    ImGui::PushID(w.id.c_str());
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    stage_chip(w.stage, app.lang);
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", (app.lang == Lang::kTh ? w.message_th : w.message_en).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(format_as_of(w.data_as_of, app.lang).c_str());
    ImGui::TableNextColumn();
    if (item.top.ack.acknowledged) {
      ImGui::TextUnformatted(
          app.f("gui.warning.acked_by", {item.top.ack.acknowledged_by,
                                         format_time_long(item.top.ack.acknowledged_at, app.lang)})
              .c_str());
    } else if (item.top.ack.disputed_open) {
      ImGui::TextColored(colour_vec(0x6A1B9A), "%s",
                         std::string(app.t("gui.warning.disputed")).c_str());
    } else {
      ImGui::TextColored(colour_vec(0xC62828), "%s",
                         std::string(app.t("gui.warning.open")).c_str());
    }
    if (!item.top.from_hub) {
      ImGui::TextDisabled("%s", std::string(app.t("gui.warning.local")).c_str());
    }
    ImGui::TableNextColumn();
    if (item.needs_answer() && ImGui::Button(std::string(app.t("gui.warning.answer")).c_str())) {
      app.popup.open(item);
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
}

}  // namespace lwc::client::gui
