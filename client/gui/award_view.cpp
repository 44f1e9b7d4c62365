// The Report Award page: this month's leaderboard (province) or this district's own score
// (district: its client holds only its own submissions, so the ranking lives at the province), and
// for the selected district how the score was computed, task by task (award.h monthly_award).
#include <imgui.h>

#include "app.h"

namespace lwc::client::gui {

namespace {

uint32_t outcome_colour(Outcome o) {
  switch (o) {
    case Outcome::kOnTime:
      return 0x2F9E44;
    case Outcome::kLate:
      return 0xF2C230;
    case Outcome::kVeryLate:
      return 0xF2892A;
    case Outcome::kMissing:
      return 0xD93636;
    case Outcome::kReturned:
      return 0x7B2C8F;
    case Outcome::kPending:
      return 0x868E96;
  }
  return 0x868E96;
}

std::string month_label(const std::string& month, Lang lang) {
  auto first = parse_date(month + "-01");
  if (!first.ok()) return month;
  return std::string(tr("month." + std::to_string(first->month), lang)) + " " +
         std::to_string(lang == Lang::kTh ? be_year(first->year) : first->year);
}

}  // namespace

void AwardView::draw(App& app, const std::string& only_district) {
  const Leaderboard& board = app.snapshot->award;
  ImGui::PushFont(app.fonts.bold);
  ImGui::TextUnformatted(app.f("award.title", {month_label(board.month, app.lang)}).c_str());
  ImGui::PopFont();
  if (!board.final) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", std::string(app.t("award.provisional")).c_str());
  }
  ImGui::TextDisabled("%s", std::string(app.t("gui.award.scheme")).c_str());
  const Snapshot& snap = *app.snapshot;
  if (only_district.empty() && !snap.kpi_csv.empty()) {
    if (ImGui::Button(std::string(app.t("gui.award.export_kpi")).c_str())) {
      app.write_export("kpi-" + snap.kpi_from + "-" + snap.kpi_to + ".csv", snap.kpi_csv);
    }
    ImGui::SameLine();
    ImGui::TextDisabled("%s",
                        app.f("gui.award.export_kpi_tip", {snap.kpi_from, snap.kpi_to}).c_str());
  }
  if (!only_district.empty()) {
    ImGui::TextDisabled("%s", std::string(app.t("gui.award.district_note")).c_str());
    selected_ = only_district;
  } else if (selected_.empty() && !board.scores.empty()) {
    selected_ = board.scores.front().district;  // the leader's breakdown until one is picked
  }
  ImGui::Spacing();

  const ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
  if (ImGui::BeginTable("award", 8, flags)) {
    for (const char* key :
         {"gui.award.col.rank", "gui.col.district", "gui.award.col.score", "gui.award.col.points",
          "gui.award.on_time", "gui.award.late", "gui.award.missing", "gui.award.returned"}) {
      ImGui::TableSetupColumn(std::string(app.t(key)).c_str());
    }
    ImGui::TableHeadersRow();
    for (const AwardScore& s : board.scores) {
      if (!only_district.empty() && s.district != only_district) continue;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const std::string rank = !only_district.empty() ? std::string("—")
                               : s.ranked()           ? std::to_string(s.rank)
                                                      : std::string(app.t("award.nothing_due"));
      if (ImGui::Selectable((rank + "##" + s.district).c_str(), selected_ == s.district,
                            ImGuiSelectableFlags_SpanAllColumns)) {
        selected_ = s.district;
      }
      ImGui::TableNextColumn();
      edge_mark(tile_colour(award_status(s)));
      ImGui::TextUnformatted((app.lang == Lang::kTh ? s.name_th : s.name_en).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(s.max_points > 0 ? (format_number(s.percent, 1) + "%").c_str() : "—");
      ImGui::TableNextColumn();
      if (s.ranked()) {
        ImGui::Text("%d / %d", s.points, s.max_points);
      } else {
        ImGui::TextUnformatted("—");
      }
      for (int n : {s.on_time, s.late + s.very_late, s.missing, s.returned}) {
        ImGui::TableNextColumn();
        ImGui::Text("%d", n);
      }
    }
    ImGui::EndTable();
  }

  const AwardScore* chosen = nullptr;
  for (const AwardScore& s : board.scores) {
    if (s.district == selected_) chosen = &s;
  }
  if (!chosen) {
    ImGui::TextDisabled("%s", std::string(app.t("gui.award.pick")).c_str());
    return;
  }
  ImGui::Spacing();
  ImGui::PushFont(app.fonts.bold);
  ImGui::TextUnformatted(
      app.f("gui.award.how", {app.lang == Lang::kTh ? chosen->name_th : chosen->name_en,
                              std::to_string(chosen->points), std::to_string(chosen->max_points),
                              format_number(chosen->percent, 1)})
          .c_str());
  ImGui::PopFont();
  if (chosen->breakdown.empty()) {
    ImGui::TextDisabled("%s", std::string(app.t("gui.award.nothing_due")).c_str());
    return;
  }
  if (ImGui::BeginTable("breakdown", 5, flags)) {
    for (const char* key : {"gui.col.task", "gui.col.due", "gui.award.col.outcome",
                            "gui.award.col.submitted", "gui.award.col.points"}) {
      ImGui::TableSetupColumn(std::string(app.t(key)).c_str());
    }
    ImGui::TableHeadersRow();
    for (const TaskOutcome& o : chosen->breakdown) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", o.title.c_str());
      ImGui::TableNextColumn();
      auto deadline = parse_date(o.deadline);
      ImGui::TextUnformatted(deadline.ok() ? format_date_long(*deadline, app.lang).c_str()
                                           : o.deadline.c_str());
      ImGui::TableNextColumn();
      edge_mark(outcome_colour(o.outcome));
      std::string what(app.t(std::string("gui.award.outcome.") + outcome_name(o.outcome)));
      if (o.days_late > 0) what += " " + app.f("gui.days.late", {std::to_string(o.days_late)});
      ImGui::TextUnformatted(what.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(
          o.submitted_at
              ? (format_time_long(o.submitted_at, app.lang) + " · " + o.submitted_by).c_str()
              : "—");
      const std::string claim =
          claim_text({o.claimed_at, o.submitted_at, o.received_at, o.claim}, false, app.lang);
      if (!claim.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::TextWrapped("%s", claim.c_str());
        ImGui::PopStyleColor();
      }
      ImGui::TableNextColumn();
      ImGui::Text("%+d", o.points);
    }
    ImGui::EndTable();
  }
}

}  // namespace lwc::client::gui
