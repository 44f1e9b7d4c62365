// First run: the data directory has no client.json. The officer gives the hub address, the hub's CA
// file (from the province), the account and the password; enrolment runs on a std::async thread and
// the screen polls its future with a zero timeout — the window keeps drawing meanwhile.
#include <imgui.h>

#include <cstdio>

#include "app.h"

namespace lwc::client::gui {

bool EnrollScreen::poll(App& app) {
  std::optional<ClientConfig> config;
  if (!take_login(pending_, password_, sizeof password_, error_, config)) return false;
  if (config) app.enrolled(std::move(*config));
  return true;
}

void EnrollScreen::draw(App& app) {
  if (!prefilled_) {  // --hub / --ca / --user (scripts/demo.sh)
    prefilled_ = true;
    auto copy = [](char* dst, size_t n, const std::string& src) {
      if (!src.empty()) std::snprintf(dst, n, "%s", src.c_str());
    };
    copy(hub_, sizeof hub_, app.options.enroll_hub);
    copy(ca_, sizeof ca_, app.options.enroll_ca);
    copy(user_, sizeof user_, app.options.enroll_user);
  }
  const float w = 620;
  ImGui::SetCursorPosX(std::max(20.0f, (ImGui::GetWindowWidth() - w) / 2));
  ImGui::BeginChild("enroll", ImVec2(w, 0), false);
  ImGui::PushFont(app.fonts.big);
  ImGui::TextUnformatted(std::string(app.t("gui.app.title")).c_str());
  ImGui::PopFont();
  ImGui::TextWrapped("%s", std::string(app.t("gui.enroll.intro")).c_str());
  ImGui::Spacing();
  const bool busy = pending_.valid();
  ImGui::BeginDisabled(busy);
  ImGui::PushItemWidth(-1);
  ImGui::TextUnformatted(std::string(app.t("gui.enroll.hub")).c_str());
  ImGui::InputText("##hub", hub_, sizeof hub_);
  ImGui::TextUnformatted(std::string(app.t("gui.enroll.ca")).c_str());
  ImGui::InputTextWithHint("##ca", "/path/to/ca.pem", ca_, sizeof ca_);
  ImGui::TextUnformatted(std::string(app.t("gui.enroll.user")).c_str());
  ImGui::InputText("##user", user_, sizeof user_);
  ImGui::TextUnformatted(std::string(app.t("gui.enroll.password")).c_str());
  ImGui::InputText("##password", password_, sizeof password_, ImGuiInputTextFlags_Password);
  ImGui::PopItemWidth();
  ImGui::Spacing();
  const bool complete = hub_[0] && ca_[0] && user_[0] && password_[0];
  ImGui::BeginDisabled(!complete);
  if (ImGui::Button(std::string(app.t("gui.enroll.button")).c_str(), ImVec2(200, 0))) {
    EnrollRequest req{app.options.data_dir, hub_, ca_, user_, password_};
    pending_ = log_in_in_background([req] { return enroll(req); });
    error_.clear();
  }
  ImGui::EndDisabled();
  ImGui::EndDisabled();
  login_progress(app, busy, "gui.enroll.connecting", "gui.enroll.failed", error_);
  ImGui::Spacing();
  ImGui::TextDisabled("%s", app.f("gui.enroll.data_dir", {app.options.data_dir}).c_str());
  ImGui::EndChild();
}

}  // namespace lwc::client::gui
