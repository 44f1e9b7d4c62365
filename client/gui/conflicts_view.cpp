// Conflicts and refused changes, each with both values side by side:
//  * the hub's conflicts (GET /v1/conflicts, province and admin): a concurrent edit lost the
//    per-field merge; the winning value and the kept losing value, their devices and times;
//  * this client's changes the hub refused (the local `rejected` table): the value written here
//    beside the value this replica holds now, and the hub's reason.
#include <imgui.h>

#include "app.h"

namespace lwc::client::gui {

namespace {
std::string user_of(const App& app, const std::string& device) {
  for (const FleetDevice& d : app.hub_lists.fleet) {
    if (d.device_id == device) return d.user;
  }
  return device == "hub" ? "hub" : device.substr(0, 8);
}
}  // namespace

void ConflictsView::draw(App& app) {
  ImGui::BeginChild("conflicts_view", ImVec2(0, 0), false);
  conflicts(app);
  ImGui::Spacing();
  ImGui::Separator();
  rejected(app);
  ImGui::EndChild();
}

void ConflictsView::conflicts(App& app) {
  const Snapshot& s = *app.snapshot;
  ImGui::PushFont(app.fonts.bold);
  ImGui::TextUnformatted(app.f("gui.conflicts.title", {std::to_string(app.hub_lists.conflicts.size())})
                             .c_str());
  ImGui::PopFont();
  ImGui::TextDisabled("%s", std::string(app.t("gui.conflicts.intro")).c_str());
  hub_lists_header(app);
  if (app.hub_lists.conflicts.empty()) {
    ImGui::TextDisabled("%s", std::string(app.t("gui.conflicts.none")).c_str());
    return;
  }
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("conflicts", 4, flags)) return;
  ImGui::TableSetupColumn(std::string(app.t("gui.col.what")).c_str(),
                          ImGuiTableColumnFlags_WidthStretch, 1.2f);
  ImGui::TableSetupColumn(std::string(app.t("gui.conflicts.kept")).c_str(),
                          ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn(std::string(app.t("gui.conflicts.lost")).c_str(),
                          ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn(std::string(app.t("gui.conflicts.detected")).c_str(),
                          ImGuiTableColumnFlags_WidthFixed, 190);
  ImGui::TableHeadersRow();
  for (const ConflictItem& c : app.hub_lists.conflicts) {
    ImGui::PushID(int(c.id));
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", describe_change(c.table, c.field, c.scope, s, app.lang).c_str());
    ImGui::TextDisabled("%s", c.row_id.substr(0, 12).c_str());
    ImGui::TableNextColumn();
    ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, colour(tint(0x2E7D32, 0.85f)));
    edge_mark(0x2E7D32);
    ImGui::TextWrapped("%s", format_value(c.field, c.winner_value, app.lang).c_str());
    ImGui::TextDisabled("%s · %s", user_of(app, c.winner_device).c_str(),
                        format_time_long(c.winner_ms, app.lang).c_str());
    ImGui::TableNextColumn();
    ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, colour(tint(0xF9A825, 0.80f)));
    edge_mark(0xF9A825);
    ImGui::TextWrapped("%s", format_value(c.field, c.loser_value, app.lang).c_str());
    ImGui::TextDisabled("%s · %s", user_of(app, c.loser_device).c_str(),
                        format_time_long(c.loser_ms, app.lang).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(format_time_long(c.detected_ms, app.lang).c_str());
    ImGui::PopID();
  }
  ImGui::EndTable();
}

void ConflictsView::rejected(App& app) {
  const Snapshot& s = *app.snapshot;
  ImGui::PushFont(app.fonts.bold);
  ImGui::TextUnformatted(app.f("gui.rejected.title", {std::to_string(s.rejected.size())}).c_str());
  ImGui::PopFont();
  ImGui::TextDisabled("%s", std::string(app.t("gui.rejected.intro")).c_str());
  if (s.rejected.empty()) {
    ImGui::TextDisabled("%s", std::string(app.t("gui.rejected.none")).c_str());
    return;
  }
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("rejected", 4, flags)) return;
  ImGui::TableSetupColumn(std::string(app.t("gui.col.what")).c_str(),
                          ImGuiTableColumnFlags_WidthStretch, 1.2f);
  ImGui::TableSetupColumn(std::string(app.t("gui.rejected.mine")).c_str(),
                          ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn(std::string(app.t("gui.rejected.now")).c_str(),
                          ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn(std::string(app.t("gui.rejected.reason")).c_str(),
                          ImGuiTableColumnFlags_WidthStretch, 1.4f);
  ImGui::TableHeadersRow();
  for (const RejectedItem& r : s.rejected) {
    ImGui::PushID(int(r.counter));
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", describe_change(r.table, r.field, r.scope, s, app.lang).c_str());
    ImGui::TextDisabled("#%lld · %s", static_cast<long long>(r.counter),
                        format_time_long(r.rejected_ms, app.lang).c_str());
    ImGui::TableNextColumn();
    ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, colour(tint(0xC62828, 0.85f)));
    edge_mark(0xC62828);
    ImGui::TextWrapped("%s", format_value(r.field, r.value, app.lang).c_str());
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", format_value(r.field, r.current.empty() ? "null" : r.current, app.lang)
                                 .c_str());
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s: %s", r.code.c_str(), r.message.c_str());
    ImGui::PopID();
  }
  ImGui::EndTable();
}

}  // namespace lwc::client::gui
