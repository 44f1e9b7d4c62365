// The provincial view (province, executive and admin accounts): the 13-district × programme status
// matrix, bar charts with the target line (ImGui draw list), the verification queue (verify /
// return with a note, entries.h review_entry) and every district's open warnings. A district row
// opens that district's dashboard.
#include <imgui.h>

#include <algorithm>

#include "app.h"

namespace lwc::client::gui {

namespace {

// A coloured matrix cell: tinted background in the status colour, the text, and a tooltip.
void cell(TileStatus status, const std::string& text, const std::string& tooltip) {
  ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, colour(tint(tile_colour(status), 0.6f)));
  // A solid edge in the status colour, then the text.
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetTextLineHeight();
  ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + 1), ImVec2(p.x + 7, p.y + h - 1),
                                            colour(tile_colour(status)), 2.0f);
  ImGui::SetCursorScreenPos(ImVec2(p.x + 13, p.y));
  ImGui::TextUnformatted(text.c_str());
  if (!tooltip.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tooltip.c_str());
}

uint32_t bar_colour(TileStatus s) {
  return tile_colour(s);
}

}  // namespace

void ProvinceView::draw(App& app) {
  const Snapshot& s = *app.snapshot;
  if (!drill_.empty()) {
    auto it = std::find_if(s.districts.begin(), s.districts.end(),
                           [&](const DistrictFigures& d) { return d.code == drill_; });
    if (ImGui::Button(std::string(app.t("gui.province.back")).c_str())) drill_.clear();
    if (it != s.districts.end()) {
      district_.draw(app, *it);
      return;
    }
    drill_.clear();
  }
  ImGui::PushFont(app.fonts.big);
  ImGui::TextUnformatted(std::string(app.t("gui.province.title")).c_str());
  ImGui::PopFont();
  ImGui::SameLine();
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 12);
  ImGui::TextDisabled("%s · %s · %s", format_fiscal(s.today, app.lang).c_str(),
                      format_date_long(s.today, app.lang).c_str(),
                      format_as_of(s.last_data_ms, app.lang).c_str());
  // The screenshot mode's --view selects its tab once.
  auto tab = [&](const std::string& label, const char* view, auto&& body) {
    const bool select = app.options.view == view && !view_selected_;
    if (ImGui::BeginTabItem(label.c_str(), nullptr, select ? ImGuiTabItemFlags_SetSelected : 0)) {
      if (select) view_selected_ = true;
      body();
      ImGui::EndTabItem();
    }
  };
  if (ImGui::BeginTabBar("province_tabs")) {
    tab(std::string(app.t("gui.tab.overview")), "province", [&] { matrix(app); });
    tab(std::string(app.t("gui.tab.charts")), "charts", [&] { charts(app); });
    tab(std::string(app.t("gui.tab.reports")), "reports", [&] { reports_.draw(app); });
    tab(std::string(app.t("gui.tab.award")), "award", [&] { award_.draw(app); });
    tab(app.f("gui.tab.verify", {std::to_string(s.review_queue.size())}) + "###verify", "verify",
        [&] { queue(app); });
    tab(std::string(app.t("gui.tab.all_warnings")), "warnings", [&] { warnings(app); });
    const size_t review = app.hub_lists.conflicts.size() + s.rejected.size();
    tab(app.f("gui.tab.conflicts", {std::to_string(review)}) + "###conflicts", "conflicts",
        [&] { conflicts_.draw(app); });
    tab(std::string(app.t("gui.tab.fleet")), "fleet", [&] { fleet_.draw(app); });
    if (app.may_manage())
      tab(std::string(app.t("gui.tab.forms")), "forms", [&] { forms_.draw(app); });
    ImGui::EndTabBar();
  }
}

void ProvinceView::matrix(App& app) {
  const Snapshot& s = *app.snapshot;
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchProp;
  ImGui::TextDisabled("%s", app.f("gui.province.expected", {format_pct(s.budget_expected_pct),
                                                            format_pct(s.bmn_expected_pct)})
                                .c_str());
  if (!ImGui::BeginTable("matrix", 5, flags)) return;
  ImGui::TableSetupColumn(std::string(app.t("gui.col.district")).c_str(),
                          ImGuiTableColumnFlags_WidthFixed, 200);
  ImGui::TableSetupColumn(std::string(app.t("gui.tile.budget")).c_str());
  ImGui::TableSetupColumn(std::string(app.t("gui.tile.bmn")).c_str());
  ImGui::TableSetupColumn(std::string(app.t("gui.col.reports")).c_str());
  ImGui::TableSetupColumn(std::string(app.t("gui.tile.warnings")).c_str());
  ImGui::TableHeadersRow();
  for (const DistrictFigures& d : s.districts) {
    ImGui::PushID(d.code.c_str());
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    if (ImGui::Selectable(district_label(d.name_th, d.name_en, app.lang).c_str(), false,
                          ImGuiSelectableFlags_SpanAllColumns & 0)) {
      drill_ = d.code;
    }
    ImGui::TableNextColumn();
    {
      auto pct = d.budget_pct();
      cell(indicator_status(pct, s.budget_expected_pct, s.tolerance_pct),
           pct ? format_pct(*pct) + "  (" + format_number(d.budget_disbursed, 0) + ")"
               : std::string(app.t("gui.nodata")),
           format_as_of(d.budget_as_of, app.lang) + " · " +
               (d.budget_verified ? app.f("gui.verified_by", {d.budget_verified_by})
                                  : std::string(app.t("gui.unverified"))));
    }
    ImGui::TableNextColumn();
    {
      auto pct = d.bmn_pct();
      cell(indicator_status(pct, s.bmn_expected_pct, s.rules.bmn.tolerance_pct),
           pct ? format_pct(*pct) + "  (" + format_count(d.bmn_entered) + "/" +
                     format_count(d.bmn_target) + ")"
               : std::string(app.t("gui.nodata")),
           format_as_of(d.bmn_as_of, app.lang));
    }
    ImGui::TableNextColumn();
    cell(tasks_status(d.tasks_missing + d.tasks_returned, d.tasks_in_stage),
         app.f("gui.province.reports",
               {std::to_string(d.tasks_on_time), std::to_string(d.tasks_late),
                std::to_string(d.tasks_missing), std::to_string(d.tasks_returned)}),
         std::string(app.t("gui.province.reports_legend")));
    ImGui::TableNextColumn();
    cell(warnings_status(d.worst_warning),
         d.worst_warning
             ? std::to_string(d.open_warnings) + " · " +
                   std::string(app.t(std::string("stage.") + stage_name(*d.worst_warning)))
             : std::string(app.t("gui.tile.none_open")),
         "");
    ImGui::PopID();
  }
  ImGui::EndTable();
  ImGui::Spacing();
  for (TileStatus st :
       {TileStatus::kGood, TileStatus::kWatch, TileStatus::kBehind, TileStatus::kNoData}) {
    status_chip(st, app.lang);
    ImGui::SameLine();
  }
  ImGui::TextDisabled("%s", std::string(app.t("gui.province.legend")).c_str());
}

void ProvinceView::chart_section(App& app, const char* name, const std::string& title,
                                 const std::function<void()>& draw_chart) {
  ImGui::PushID(name);
  const ImVec2 start = ImGui::GetCursorScreenPos();
  ImGui::PushFont(app.fonts.bold);
  ImGui::TextUnformatted(title.c_str());
  ImGui::PopFont();
  ImGui::SameLine();
  const Snapshot& s = *app.snapshot;
  // The as-of line travels with the exported picture.
  ImGui::TextDisabled("%s · %s", format_fiscal(s.today, app.lang).c_str(),
                      format_as_of(s.last_data_ms, app.lang).c_str());
  // Export: the click asks for it; the next frame draws the section without the button and
  // App writes its pixels once it is fully on screen (scrolled there first when needed).
  const bool exporting = export_again_ == name;
  bool clicked = false;
  if (!exporting) {
    const std::string button(app.t("gui.export.png"));
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - ImGui::CalcTextSize(button.c_str()).x -
                    20);
    clicked = ImGui::SmallButton(button.c_str());
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s", std::string(app.t("gui.export.tip")).c_str());
  }
  draw_chart();
  const ImVec2 end(start.x + ImGui::GetContentRegionAvail().x, ImGui::GetCursorScreenPos().y);
  if (exporting) {
    const ImVec2 wmin = ImGui::GetWindowPos();
    const float wmax_y = wmin.y + ImGui::GetWindowSize().y;
    if (start.y < wmin.y || end.y > wmax_y) {
      ImGui::SetScrollY(ImGui::GetScrollY() + (start.y - wmin.y) - 4);
    } else {
      app.export_chart(
          {name, ImVec2(start.x - 6, start.y - 4), ImVec2(end.x, end.y + 2), export_path_});
      export_again_.clear();
      export_path_.clear();
    }
    app.redraw();
  } else if (clicked || (app.options.export_chart == name && !export_done_)) {
    export_again_ = name;
    if (!clicked) {
      export_done_ = true;
      export_path_ = app.options.export_path;
    }
    app.redraw();
  }
  ImGui::PopID();
}

void ProvinceView::charts(App& app) {
  const Snapshot& s = *app.snapshot;
  ImGui::BeginChild("charts", ImVec2(0, 0), false);
  const float label_w = 150;
  chart_section(app, "budget", std::string(app.t("gui.chart.budget")), [&] {
    std::vector<Bar> bars;
    for (const DistrictFigures& d : s.districts) {
      auto pct = d.budget_pct();
      bars.push_back({district_label(d.name_th, d.name_en, app.lang), pct.value_or(0), -1,
                      bar_colour(indicator_status(pct, s.budget_expected_pct, s.tolerance_pct)),
                      pct ? format_pct(*pct) : std::string(app.t("gui.nodata"))});
    }
    double max = 25;
    for (const Bar& b : bars) max = std::max(max, b.value * 1.15);
    max = std::max(max, s.budget_expected_pct * 1.3);
    bar_chart("budget", bars, max, s.budget_expected_pct,
              app.f("gui.chart.target", {format_pct(s.budget_expected_pct)}), label_w);
  });
  ImGui::Spacing();
  chart_section(app, "bmn", std::string(app.t("gui.chart.bmn")), [&] {
    std::vector<Bar> bars;
    for (const DistrictFigures& d : s.districts) {
      auto pct = d.bmn_pct();
      bars.push_back(
          {district_label(d.name_th, d.name_en, app.lang), pct.value_or(0), -1,
           bar_colour(indicator_status(pct, s.bmn_expected_pct, s.rules.bmn.tolerance_pct)),
           pct ? format_pct(*pct) : std::string(app.t("gui.nodata"))});
    }
    bar_chart("bmn", bars, 100, s.bmn_expected_pct,
              app.f("gui.chart.target", {format_pct(s.bmn_expected_pct)}), label_w);
  });
  ImGui::Spacing();
  chart_section(app, "groups", std::string(app.t("gui.chart.groups")), [&] {
    std::vector<Bar> bars;
    double max = 1;
    for (const WorkGroupFigure& g : s.work_groups) {
      bars.push_back({district_label(g.name_th, g.name_en, app.lang), g.disbursed,
                      g.target > 0 ? g.target : -1, 0x1565C0, format_baht(g.disbursed, app.lang)});
      max = std::max({max, g.disbursed * 1.15, g.target * 1.05});
    }
    bar_chart("groups", bars, max, -1, "", 330);
  });
  ImGui::EndChild();
}

void ProvinceView::queue(App& app) {
  const Snapshot& s = *app.snapshot;
  if (s.review_queue.empty()) {
    ImGui::TextDisabled("%s", std::string(app.t("gui.verify.none")).c_str());
    return;
  }
  const bool may_review = app.config->role == Role::kProvince || app.config->role == Role::kAdmin;
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("queue", 6, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(std::string(app.t("gui.col.district")).c_str(),
                          ImGuiTableColumnFlags_WidthFixed, 150);
  ImGui::TableSetupColumn(std::string(app.t("gui.col.what")).c_str(),
                          ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn(std::string(app.t("gui.col.value")).c_str(),
                          ImGuiTableColumnFlags_WidthFixed, 200);
  ImGui::TableSetupColumn(std::string(app.t("gui.col.asof")).c_str(),
                          ImGuiTableColumnFlags_WidthFixed, 150);
  ImGui::TableSetupColumn(std::string(app.t("gui.col.by")).c_str(),
                          ImGuiTableColumnFlags_WidthFixed, 110);
  ImGui::TableSetupColumn("##actions", ImGuiTableColumnFlags_WidthFixed, 190);
  ImGui::TableHeadersRow();
  std::map<std::string, std::string> names;
  for (const DistrictFigures& d : s.districts)
    names[d.code] = district_label(d.name_th, d.name_en, app.lang);
  for (const ReviewItem& r : s.review_queue) {
    ImGui::PushID(r.id.c_str());
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(names.count(r.district) ? names[r.district].c_str()
                                                   : r.district.c_str());
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", (app.lang == Lang::kTh ? r.what_th : r.what_en).c_str());
    if (const std::string& claim = app.lang == Lang::kTh ? r.claim_th : r.claim_en;
        !claim.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
      ImGui::TextWrapped("%s", claim.c_str());
      ImGui::PopStyleColor();
    }
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(r.value.c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(r.as_of ? format_date_long(thai_date(r.as_of), app.lang).c_str() : "-");
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(r.entered_by.c_str());
    ImGui::TableNextColumn();
    ImGui::BeginDisabled(!may_review);
    if (ImGui::SmallButton(std::string(app.t("gui.verify.ok")).c_str())) {
      auto w = review_entry(r.row, true, app.config->user, process_clock().now_ms(), "");
      if (w.ok()) {
        app.write({*w}, std::string(app.t("gui.verify.done")));
      } else {
        app.notify(w.status().message(), true);
      }
    }
    ImGui::SameLine();
    if (ImGui::SmallButton(std::string(app.t("gui.verify.return")).c_str())) {
      return_id_ = r.id;
      note_[0] = '\0';
      ImGui::OpenPopup("return_note");
    }
    ImGui::EndDisabled();
    if (ImGui::BeginPopupModal("return_note", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
      ImGui::TextUnformatted(std::string(app.t("gui.verify.note")).c_str());
      ImGui::InputTextMultiline("##note", note_, sizeof note_, ImVec2(460, 80));
      ImGui::BeginDisabled(note_[0] == '\0');
      if (ImGui::Button(std::string(app.t("gui.verify.return")).c_str(), ImVec2(160, 0))) {
        auto w = review_entry(r.row, false, app.config->user, process_clock().now_ms(), note_);
        if (w.ok()) {
          app.write({*w}, std::string(app.t("gui.verify.returned")));
        } else {
          app.notify(w.status().message(), true);
        }
        ImGui::CloseCurrentPopup();
      }
      ImGui::EndDisabled();
      ImGui::SameLine();
      if (ImGui::Button(std::string(app.t("gui.cancel")).c_str(), ImVec2(160, 0)))
        ImGui::CloseCurrentPopup();
      ImGui::EndPopup();
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
}

void ProvinceView::warnings(App& app) {
  const Snapshot& s = *app.snapshot;
  std::map<std::string, std::string> names;
  for (const DistrictFigures& d : s.districts)
    names[d.code] = district_label(d.name_th, d.name_en, app.lang);
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("all_warnings", 4, flags, ImVec2(0, ImGui::GetContentRegionAvail().y)))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(std::string(app.t("gui.col.stage")).c_str(),
                          ImGuiTableColumnFlags_WidthFixed, 170);
  ImGui::TableSetupColumn(std::string(app.t("gui.col.district")).c_str(),
                          ImGuiTableColumnFlags_WidthFixed, 150);
  ImGui::TableSetupColumn(std::string(app.t("gui.col.warning")).c_str(),
                          ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn(std::string(app.t("gui.col.state")).c_str(),
                          ImGuiTableColumnFlags_WidthFixed, 200);
  ImGui::TableHeadersRow();
  for (const InboxItem& item : s.warnings) {
    ImGui::PushID(item.top.warning.id.c_str());
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    stage_chip(item.top.warning.stage, app.lang);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(names.count(item.top.warning.district)
                               ? names[item.top.warning.district].c_str()
                               : item.top.warning.district.c_str());
    ImGui::TableNextColumn();
    ImGui::TextWrapped(
        "%s", (app.lang == Lang::kTh ? item.top.warning.message_th : item.top.warning.message_en)
                  .c_str());
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
    ImGui::PopID();
  }
  ImGui::EndTable();
}

}  // namespace lwc::client::gui
