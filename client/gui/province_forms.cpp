// The province's forms (province and admin accounts): create a task — a directive letter (number,
// title, issue and due dates, work group, districts) or a monthly report — and set a target (budget
// allocation or BMN households per district, per fiscal year, optionally per work group). Checks
// explain themselves (view_model.h check_task_form / check_target_form); entries.h builds the
// write, App::write validates it with the hub's rules and stores it for the next sync.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

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

// A date field "YYYY-MM-DD" shown back as a Thai date; `fallback` when left empty.
std::string date_input(App& app, const char* label_key, const char* id, char* buf, size_t size,
                       const std::string& fallback) {
  ImGui::TextUnformatted(std::string(app.t(label_key)).c_str());
  ImGui::SetNextItemWidth(160);
  ImGui::InputTextWithHint(id, fallback.empty() ? "YYYY-MM-DD" : fallback.c_str(), buf, size);
  const std::string text = buf[0] ? std::string(buf) : fallback;
  ImGui::SameLine();
  auto d = parse_date(text);
  if (text.empty()) {
    ImGui::TextDisabled("YYYY-MM-DD");
  } else if (!d.ok()) {
    ImGui::TextColored(colour_vec(0xC62828), "%s", std::string(app.t("gui.form.bad_date")).c_str());
  } else {
    ImGui::TextDisabled("%s", format_date_long(*d, app.lang).c_str());
  }
  return text;
}

}  // namespace

void ProvinceForms::draw(App& app) {
  const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  ImGui::BeginChild("task_form", ImVec2(half * 1.1f, 0), true);
  task_form(app);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("target_form", ImVec2(0, 0), true);
  target_form(app);
  ImGui::EndChild();

  if (open_confirm_) {
    ImGui::OpenPopup("confirm_province_form");
    open_confirm_ = false;
  }
  if (ImGui::BeginPopupModal("confirm_province_form", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::PushTextWrapPos(480);
    ImGui::TextUnformatted(confirm_text_.c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::Button(std::string(app.t("gui.form.confirm_save")).c_str(), ImVec2(180, 0))) {
      if (confirm_write_) app.write({*confirm_write_}, confirm_done_);
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

void ProvinceForms::task_form(App& app) {
  const Snapshot& s = *app.snapshot;
  ImGui::PushFont(app.fonts.bold);
  ImGui::TextUnformatted(std::string(app.t("gui.taskform.title")).c_str());
  ImGui::PopFont();
  const char* kinds[] = {"gui.taskform.directive", "gui.taskform.monthly"};
  for (int i = 0; i < 2; ++i) {
    if (i) ImGui::SameLine();
    ImGui::RadioButton(std::string(app.t(kinds[i])).c_str(), &kind_, i);
  }
  if (kind_ == 0) {
    ImGui::TextUnformatted(std::string(app.t("gui.taskform.letter")).c_str());
    ImGui::SetNextItemWidth(260);
    ImGui::InputTextWithHint("##letter", "ลป 0020/ว 1234", letter_, sizeof letter_);
  }
  ImGui::TextUnformatted(std::string(app.t("gui.taskform.subject")).c_str());
  ImGui::SetNextItemWidth(-1);
  ImGui::InputText("##title", title_, sizeof title_);
  const std::string issued =
      date_input(app, "gui.taskform.issued", "##issued", issued_, sizeof issued_, format_date(s.today));
  const std::string due = date_input(app, "gui.taskform.due", "##due", due_, sizeof due_, "");

  // Work group (optional).
  ImGui::TextUnformatted(std::string(app.t("gui.form.work_group")).c_str());
  ImGui::SetNextItemWidth(-1);
  group_ = std::clamp(group_, 0, int(s.work_groups.size()));
  const std::string none(app.t("gui.taskform.no_group"));
  auto group_name = [&](int i) {
    return i == 0 ? none
                  : district_label(s.work_groups[size_t(i - 1)].name_th,
                                   s.work_groups[size_t(i - 1)].name_en, app.lang);
  };
  if (ImGui::BeginCombo("##task_group", group_name(group_).c_str())) {
    for (int i = 0; i <= int(s.work_groups.size()); ++i) {
      if (ImGui::Selectable(group_name(i).c_str(), i == group_)) group_ = i;
    }
    ImGui::EndCombo();
  }

  // Districts: 13 check boxes in three columns, All / None.
  ImGui::TextUnformatted(
      app.f("gui.taskform.districts", {std::to_string(districts_.size())}).c_str());
  ImGui::SameLine();
  if (ImGui::SmallButton(std::string(app.t("gui.taskform.all")).c_str())) {
    for (const DistrictFigures& d : s.districts) districts_.insert(d.code);
  }
  ImGui::SameLine();
  if (ImGui::SmallButton(std::string(app.t("gui.taskform.none")).c_str())) districts_.clear();
  if (ImGui::BeginTable("task_districts", 3, ImGuiTableFlags_SizingStretchSame)) {
    for (const DistrictFigures& d : s.districts) {
      ImGui::TableNextColumn();
      bool on = districts_.count(d.code) > 0;
      if (ImGui::Checkbox(district_label(d.name_th, d.name_en, app.lang).c_str(), &on)) {
        if (on) {
          districts_.insert(d.code);
        } else {
          districts_.erase(d.code);
        }
      }
    }
    ImGui::EndTable();
  }

  TaskEntry e{kind_ == 0 ? "directive" : "monthly_report",
              kind_ == 0 ? std::string(letter_) : std::string(),
              title_,
              issued,
              due,
              {districts_.begin(), districts_.end()},
              group_ > 0 ? s.work_groups[size_t(group_ - 1)].key : std::string()};
  const FormCheck check = check_task_form(e, s.today, app.lang);
  const bool touched = title_[0] || due_[0] || letter_[0];
  if (!check.ok() && touched) error_text(check.error);
  if (check.ok() && !check.confirm.empty()) hint_text(check.confirm);
  ImGui::BeginDisabled(!check.ok() || !app.may_manage());
  if (ImGui::Button(std::string(app.t("gui.taskform.create")).c_str(), ImVec2(200, 0))) {
    auto w = task_entry(e);
    if (!w.ok()) {
      app.notify(w.status().message(), true);
    } else {
      const std::string done = app.f("gui.taskform.created", {e.title, std::to_string(e.districts.size())});
      if (!check.confirm.empty()) {
        confirm_write_ = *w;
        confirm_text_ = check.confirm;
        confirm_done_ = done;
        open_confirm_ = true;
      } else {
        app.write({*w}, done);
      }
      title_[0] = letter_[0] = due_[0] = '\0';
    }
  }
  ImGui::EndDisabled();
}

void ProvinceForms::target_form(App& app) {
  const Snapshot& s = *app.snapshot;
  ImGui::PushFont(app.fonts.bold);
  ImGui::TextUnformatted(std::string(app.t("gui.targetform.title")).c_str());
  ImGui::PopFont();
  ImGui::TextWrapped("%s", app.f("gui.targetform.intro", {std::to_string(s.fiscal_year)}).c_str());
  if (s.districts.empty()) return;
  const char* indicators[] = {"gui.tile.budget", "gui.tile.bmn"};
  for (int i = 0; i < 2; ++i) {
    if (i) ImGui::SameLine();
    ImGui::RadioButton(std::string(app.t(indicators[i])).c_str(), &indicator_, i);
  }
  target_district_ = std::clamp(target_district_, 0, int(s.districts.size()) - 1);
  const DistrictFigures& d = s.districts[size_t(target_district_)];
  ImGui::TextUnformatted(std::string(app.t("gui.col.district")).c_str());
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##target_district", district_label(d.name_th, d.name_en, app.lang).c_str())) {
    for (size_t i = 0; i < s.districts.size(); ++i) {
      const DistrictFigures& o = s.districts[i];
      if (ImGui::Selectable(district_label(o.name_th, o.name_en, app.lang).c_str(),
                            int(i) == target_district_))
        target_district_ = int(i);
    }
    ImGui::EndCombo();
  }
  if (indicator_ == 0) {
    ImGui::TextUnformatted(std::string(app.t("gui.form.work_group")).c_str());
    ImGui::SetNextItemWidth(-1);
    target_group_ = std::clamp(target_group_, 0, int(s.work_groups.size()));
    const std::string whole(app.t("gui.targetform.whole"));
    auto name = [&](int i) {
      return i == 0 ? whole
                    : district_label(s.work_groups[size_t(i - 1)].name_th,
                                     s.work_groups[size_t(i - 1)].name_en, app.lang);
    };
    if (ImGui::BeginCombo("##target_group", name(target_group_).c_str())) {
      for (int i = 0; i <= int(s.work_groups.size()); ++i) {
        if (ImGui::Selectable(name(i).c_str(), i == target_group_)) target_group_ = i;
      }
      ImGui::EndCombo();
    }
  }
  const bool whole = indicator_ == 1 || target_group_ == 0;
  std::optional<double> current;
  if (whole) {
    const double v = indicator_ == 0 ? d.budget_allocation : double(d.bmn_target);
    if (v > 0) current = v;
  }
  ImGui::TextDisabled("%s", current ? app.f("gui.targetform.current",
                                            {format_number(*current, 0)})
                                            .c_str()
                                    : std::string(app.t("gui.targetform.no_current")).c_str());
  ImGui::TextUnformatted(
      std::string(app.t(indicator_ == 0 ? "gui.targetform.baht" : "gui.targetform.households"))
          .c_str());
  ImGui::SetNextItemWidth(220);
  ImGui::InputDouble("##target_value", &target_value_, 0, 0, "%.0f");
  const FormCheck check = check_target_form(target_value_, current, app.lang);
  if (!check.ok() && target_value_ != 0) error_text(check.error);
  if (check.ok() && !check.confirm.empty()) hint_text(check.confirm);
  ImGui::BeginDisabled(!check.ok() || !app.may_manage());
  if (ImGui::Button(std::string(app.t("gui.targetform.save")).c_str(), ImVec2(200, 0))) {
    TargetEntry e{indicator_ == 0 ? kBudgetIndicator : kBmnIndicator, d.code,
                  indicator_ == 0 && target_group_ > 0
                      ? s.work_groups[size_t(target_group_ - 1)].key
                      : std::string(),
                  std::to_string(s.fiscal_year), target_value_};
    auto w = target_entry(e);
    if (!w.ok()) {
      app.notify(w.status().message(), true);
    } else {
      const std::string done =
          app.f("gui.targetform.saved", {district_label(d.name_th, d.name_en, app.lang),
                                         format_number(target_value_, 0)});
      if (!check.confirm.empty()) {
        confirm_write_ = *w;
        confirm_text_ = check.confirm;
        confirm_done_ = done;
        open_confirm_ = true;
      } else {
        app.write({*w}, done);
      }
    }
  }
  ImGui::EndDisabled();
}

}  // namespace lwc::client::gui
