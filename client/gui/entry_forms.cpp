// Budget and BMN entry. Checks explain themselves as the officer types (view_model.h
// check_budget_form / check_bmn_form: no negative amounts, entered ≤ collected, a figure far above
// the last asks "are you sure?"); entries.h builds the write with the same rules the hub applies.
#include <imgui.h>

#include "app.h"

namespace lwc::client::gui {

namespace {

void error_text(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, colour_vec(0xC62828));
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

void hint_text(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, colour_vec(0xE65100));
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

// The as-of field: "YYYY-MM-DD", shown back as a Thai date; today when left empty.
std::optional<std::string> date_field(App& app, const char* id, char* buf, size_t size) {
  ImGui::TextUnformatted(std::string(app.t("gui.form.as_of")).c_str());
  ImGui::SetNextItemWidth(160);
  ImGui::InputTextWithHint(id, "YYYY-MM-DD", buf, size);
  const std::string text = buf[0] ? std::string(buf) : format_date(app.snapshot->today);
  auto d = parse_date(text);
  ImGui::SameLine();
  if (!d.ok()) {
    ImGui::TextColored(colour_vec(0xC62828), "%s", std::string(app.t("gui.form.bad_date")).c_str());
    return std::nullopt;
  }
  if (Status s = check_as_of(*d, app.snapshot->today, app.lang); !s.ok()) {
    ImGui::TextColored(colour_vec(0xC62828), "%s", s.message().c_str());
    return std::nullopt;
  }
  ImGui::TextDisabled("%s", format_date_long(*d, app.lang).c_str());
  return text;
}

}  // namespace

void EntryForms::draw(App& app, const DistrictFigures& d) {
  const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  ImGui::BeginChild("budget_form", ImVec2(half, 0), true);
  budget(app, d);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("bmn_form", ImVec2(half, 0), true);
  bmn(app, d);
  ImGui::EndChild();

  if (open_confirm_) {
    ImGui::OpenPopup("confirm_figure");
    open_confirm_ = false;
  }
  if (ImGui::BeginPopupModal("confirm_figure", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::PushTextWrapPos(480);
    ImGui::TextUnformatted(confirm_text_.c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::Button(std::string(app.t("gui.form.confirm_save")).c_str(), ImVec2(180, 0))) {
      app.write({*confirm_write_}, std::string(app.t("gui.form.saved")));
      confirm_write_.reset();
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(std::string(app.t("gui.form.check_again")).c_str(), ImVec2(180, 0))) {
      confirm_write_.reset();
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
}

void EntryForms::budget(App& app, const DistrictFigures& d) {
  const Snapshot& s = *app.snapshot;
  ImGui::PushFont(app.fonts.bold);
  ImGui::TextUnformatted(std::string(app.t("gui.form.budget")).c_str());
  ImGui::PopFont();
  if (s.work_groups.empty()) {
    ImGui::TextWrapped("%s", std::string(app.t("gui.form.no_groups")).c_str());
    return;
  }
  group_ = std::clamp(group_, 0, int(s.work_groups.size()) - 1);
  const WorkGroupFigure& g = s.work_groups[size_t(group_)];
  ImGui::TextUnformatted(std::string(app.t("gui.form.work_group")).c_str());
  ImGui::SetNextItemWidth(-1);
  const std::string current = district_label(g.name_th, g.name_en, app.lang);
  if (ImGui::BeginCombo("##group", current.c_str())) {
    for (size_t i = 0; i < s.work_groups.size(); ++i) {
      const std::string name =
          district_label(s.work_groups[i].name_th, s.work_groups[i].name_en, app.lang);
      if (ImGui::Selectable(name.c_str(), int(i) == group_)) group_ = int(i);
    }
    ImGui::EndCombo();
  }
  std::optional<double> last;
  if (auto it = d.budget_by_group.find(g.key); it != d.budget_by_group.end()) last = it->second;
  ImGui::TextUnformatted(std::string(app.t("gui.form.amount")).c_str());
  ImGui::SetNextItemWidth(220);
  ImGui::InputDouble("##amount", &amount_, 0, 0, "%.2f");
  ImGui::SameLine();
  ImGui::TextDisabled("%s", format_baht(amount_, app.lang).c_str());
  if (last) ImGui::TextDisabled("%s", app.f("gui.form.last", {format_number(*last, 2)}).c_str());
  auto as_of = date_field(app, "##budget_as_of", budget_as_of_, sizeof budget_as_of_);
  const FormCheck check = check_budget_form(amount_, last, d.budget_allocation, app.lang);
  if (!check.ok()) error_text(check.error);
  if (check.ok() && !check.confirm.empty()) hint_text(check.confirm);
  ImGui::BeginDisabled(!check.ok() || !as_of || app.writes_in_flight > 0);
  if (ImGui::Button(std::string(app.t("gui.form.save")).c_str(), ImVec2(160, 0))) {
    auto w = budget_entry({d.code, g.key, amount_, *as_of, app.config->user});
    if (!w.ok()) {
      app.notify(w.status().message(), true);
    } else if (!check.confirm.empty()) {
      confirm_write_ = *w;
      confirm_text_ = check.confirm;
      open_confirm_ = true;
    } else {
      app.write({*w}, std::string(app.t("gui.form.saved")));
    }
  }
  ImGui::EndDisabled();
  ImGui::TextDisabled("%s", std::string(app.t("gui.form.offline_note")).c_str());
}

void EntryForms::bmn(App& app, const DistrictFigures& d) {
  ImGui::PushFont(app.fonts.bold);
  ImGui::TextUnformatted(std::string(app.t("gui.form.bmn")).c_str());
  ImGui::PopFont();
  auto number = [&](const char* key, const char* id, int* v) {
    ImGui::TextUnformatted(std::string(app.t(key)).c_str());
    ImGui::SetNextItemWidth(220);
    ImGui::InputInt(id, v, 0, 0);
  };
  number("gui.form.collected", "##collected", &collected_);
  number("gui.form.entered", "##entered", &entered_);
  number("gui.form.updated", "##updated", &updated_);
  if (d.bmn_any) {
    ImGui::TextDisabled(
        "%s", app.f("gui.form.last_bmn", {format_count(d.bmn_collected),
                                          format_count(d.bmn_entered), format_count(d.bmn_updated)})
                  .c_str());
  }
  auto as_of = date_field(app, "##bmn_as_of", bmn_as_of_, sizeof bmn_as_of_);
  const FormCheck check = check_bmn_form(
      collected_, entered_, updated_,
      d.bmn_any ? std::optional<int64_t>(d.bmn_collected) : std::nullopt, d.bmn_target, app.lang);
  if (!check.ok()) error_text(check.error);
  if (check.ok() && !check.confirm.empty()) hint_text(check.confirm);
  ImGui::BeginDisabled(!check.ok() || !as_of || app.writes_in_flight > 0);
  if (ImGui::Button(std::string(app.t("gui.form.save")).c_str(), ImVec2(160, 0))) {
    auto w = bmn_entry({d.code, collected_, entered_, updated_, *as_of, app.config->user});
    if (!w.ok()) {
      app.notify(w.status().message(), true);
    } else if (!check.confirm.empty()) {
      confirm_write_ = *w;
      confirm_text_ = check.confirm;
      open_confirm_ = true;
    } else {
      app.write({*w}, std::string(app.t("gui.form.saved")));
    }
  }
  ImGui::EndDisabled();
}

}  // namespace lwc::client::gui
