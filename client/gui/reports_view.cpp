// The report-submission matrix (province): one row per district, one column per report or directive
// due this fiscal year, each cell coloured by its outcome — on time, late, missing, returned for
// quality, not yet due — with the row's counts (summary.h submission_record's numbers) at the end.
#include <imgui.h>

#include "app.h"

namespace lwc::client::gui {

void ReportsView::draw(App& app) {
  const Snapshot& s = *app.snapshot;
  const SubmissionMatrix& m = s.reports;
  ImGui::TextDisabled("%s", app.f("gui.reports.intro", {std::to_string(m.columns.size())}).c_str());
  // Legend.
  for (ReportCell c : {ReportCell::kOnTime, ReportCell::kLate, ReportCell::kMissing,
                       ReportCell::kReturned, ReportCell::kPending}) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight();
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + 26, p.y + h),
                                              colour(tint(report_cell_colour(c), 0.55f)), 3.0f);
    ImGui::GetWindowDrawList()->AddRect(p, ImVec2(p.x + 26, p.y + h),
                                        colour(report_cell_colour(c)), 3.0f);
    ImGui::Dummy(ImVec2(28, h));
    ImGui::SameLine();
    ImGui::TextUnformatted(std::string(app.t(report_cell_key(c))).c_str());
    ImGui::SameLine(0, 18);
  }
  ImGui::NewLine();
  if (m.columns.empty()) {
    ImGui::TextDisabled("%s", std::string(app.t("gui.reports.none")).c_str());
    return;
  }
  const int ncols = int(m.columns.size()) + 2;
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollX |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("reports", ncols, flags, ImVec2(0, ImGui::GetContentRegionAvail().y)))
    return;
  ImGui::TableSetupScrollFreeze(1, 1);
  ImGui::TableSetupColumn(std::string(app.t("gui.col.district")).c_str(),
                          ImGuiTableColumnFlags_WidthFixed, 150);
  for (const ReportColumn& c : m.columns) {
    // Header: the letter number (or the kind) and the deadline; the title in the tooltip.
    auto due = parse_date(c.deadline);
    const std::string head =
        (c.letter_no.empty() ? std::string(app.t("gui.reports.monthly")) : c.letter_no) + "\n" +
        (due.ok() ? format_date_long(*due, app.lang) : c.deadline);
    ImGui::TableSetupColumn(head.c_str(), ImGuiTableColumnFlags_WidthFixed, 118);
  }
  ImGui::TableSetupColumn(std::string(app.t("gui.reports.counts")).c_str(),
                          ImGuiTableColumnFlags_WidthFixed, 260);
  // Two-line headers: draw the header row by hand so the tooltip shows the title.
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers, ImGui::GetTextLineHeight() * 2 + 8);
  for (int i = 0; i < ncols; ++i) {
    if (!ImGui::TableSetColumnIndex(i)) continue;
    ImGui::TableHeader(ImGui::TableGetColumnName(i));
    if (i >= 1 && i <= int(m.columns.size()) && ImGui::IsItemHovered()) {
      const ReportColumn& c = m.columns[size_t(i - 1)];
      ImGui::SetTooltip("%s%s", c.letter_no.empty() ? "" : (c.letter_no + " ").c_str(),
                        c.title.c_str());
    }
  }
  for (const DistrictFigures& d : s.districts) {
    auto row = m.cells.find(d.code);
    if (row == m.cells.end()) continue;
    ImGui::TableNextRow(0, ImGui::GetTextLineHeight() + 8);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(district_label(d.name_th, d.name_en, app.lang).c_str());
    for (size_t i = 0; i < row->second.size(); ++i) {
      ImGui::TableNextColumn();
      const ReportCell c = row->second[i];
      if (c == ReportCell::kNotAssigned) {
        ImGui::TextDisabled("%s", std::string(app.t("gui.report.not_assigned")).c_str());
        continue;
      }
      ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, colour(tint(report_cell_colour(c), 0.6f)));
      edge_mark(report_cell_colour(c));
      ImGui::TextUnformatted(std::string(app.t(report_cell_key(c))).c_str());
      if (ImGui::IsItemHovered()) {
        const ReportColumn& col = m.columns[i];
        ImGui::SetTooltip("%s\n%s", col.title.c_str(),
                          std::string(app.t(report_cell_key(c))).c_str());
      }
    }
    ImGui::TableNextColumn();
    const SubmissionRecord r = count_row(row->second);
    ImGui::TextUnformatted(app.f("gui.province.reports", {std::to_string(r.on_time),
                                                          std::to_string(r.late),
                                                          std::to_string(r.missing),
                                                          std::to_string(r.returned)})
                               .c_str());
  }
  ImGui::EndTable();
}

}  // namespace lwc::client::gui
