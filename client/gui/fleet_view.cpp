// Fleet health (province, admin): every enrolled device from GET /v1/fleet — the office, the account,
// the last contact (coloured: a day, three days, older), the backlog it reported at its last pull,
// the highest change the hub applied from it, and the client version.
#include <imgui.h>

#include "app.h"

namespace lwc::client::gui {

void FleetView::draw(App& app) {
  const Snapshot& s = *app.snapshot;
  const App::HubLists& l = app.hub_lists;
  ImGui::TextDisabled("%s", std::string(app.t("gui.fleet.intro")).c_str());
  hub_lists_header(app);
  if (l.fleet.empty()) {
    ImGui::TextDisabled("%s", std::string(app.t("gui.fleet.none")).c_str());
    return;
  }
  std::map<std::string, std::string> names;
  for (const DistrictFigures& d : s.districts)
    names[d.code] = district_label(d.name_th, d.name_en, app.lang);
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("fleet", 6, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(std::string(app.t("gui.fleet.office")).c_str(),
                          ImGuiTableColumnFlags_WidthStretch, 1.3f);
  ImGui::TableSetupColumn(std::string(app.t("gui.fleet.device")).c_str(),
                          ImGuiTableColumnFlags_WidthStretch, 1.2f);
  ImGui::TableSetupColumn(std::string(app.t("gui.fleet.contact")).c_str(),
                          ImGuiTableColumnFlags_WidthStretch, 1.4f);
  ImGui::TableSetupColumn(std::string(app.t("gui.fleet.backlog")).c_str(),
                          ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn(std::string(app.t("gui.fleet.applied")).c_str(),
                          ImGuiTableColumnFlags_WidthStretch, 0.7f);
  ImGui::TableSetupColumn(std::string(app.t("gui.fleet.version")).c_str(),
                          ImGuiTableColumnFlags_WidthStretch, 0.9f);
  ImGui::TableHeadersRow();
  for (const FleetDevice& d : l.fleet) {
    ImGui::PushID(d.device_id.c_str());
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const std::string office =
        d.district.empty()
            ? std::string(app.t(d.role == "admin"       ? "gui.fleet.role.admin"
                                : d.role == "executive" ? "gui.fleet.role.executive"
                                                        : "gui.scope.province"))
            : (names.count(d.district) ? names[d.district] : d.district);
    ImGui::TextUnformatted(office.c_str());
    ImGui::TextDisabled("%s", d.user.c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(d.name.empty() ? d.device_id.substr(0, 8).c_str() : d.name.c_str());
    if (d.revoked) {
      ImGui::TextColored(colour_vec(0xC62828), "%s", std::string(app.t("gui.fleet.revoked")).c_str());
    }
    ImGui::TableNextColumn();
    const TileStatus st = d.revoked ? TileStatus::kNoData : contact_status(d.last_seen_ms, s.now_ms);
    ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, colour(tint(tile_colour(st), 0.75f)));
    edge_mark(tile_colour(st));
    ImGui::TextUnformatted(format_ago(d.last_seen_ms, s.now_ms, app.lang).c_str());
    if (d.last_seen_ms) {
      ImGui::TextDisabled("%s", format_time_long(d.last_seen_ms, app.lang).c_str());
    }
    ImGui::TableNextColumn();
    if (d.pending < 0) {
      ImGui::TextDisabled("%s", std::string(app.t("gui.fleet.not_reported")).c_str());
    } else {
      if (d.pending > 0) {
        ImGui::TextColored(colour_vec(0xE65100), "%s",
                           app.f("gui.fleet.waiting", {format_count(d.pending)}).c_str());
      } else {
        ImGui::TextUnformatted(std::string(app.t("gui.fleet.none_waiting")).c_str());
      }
      ImGui::TextDisabled("%s", format_ago(d.pending_at_ms, s.now_ms, app.lang).c_str());
    }
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(format_count(d.last_counter).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(d.client_version.empty() ? "—" : d.client_version.c_str());
    ImGui::PopID();
  }
  ImGui::EndTable();
}

}  // namespace lwc::client::gui
