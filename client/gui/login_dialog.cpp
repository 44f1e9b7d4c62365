// Log in again: the modal the window opens when the hub refuses this folder's token (it lapsed, the
// password was changed, the device was revoked and re-admitted). The officer types the password;
// log_in_again runs on a std::async thread (polled with a zero timeout) with the folder's own hub,
// CA and account, so the device, its entries and its outbox stay; on success the sync worker takes
// the new token and sends what waited. "Later" closes it until the status bar's button opens it.
#include <imgui.h>

#include <algorithm>

#include "app.h"

namespace lwc::client::gui {

bool LoginDialog::wanted(const App& app) const {
  if (!app.config) return false;
  if (pending_.valid() || forced_) return true;
  return needed(app) && !dismissed_;
}

bool LoginDialog::needed(const App& app) const {
  return app.sync.last_error_code == Code::kUnauthenticated &&
         app.sync.failures > failures_at_login_;
}

void LoginDialog::open() {
  forced_ = true;
  dismissed_ = false;
}

bool LoginDialog::poll(App& app) {
  std::optional<ClientConfig> config;
  if (!take_login(pending_, password_, sizeof password_, error_, config)) return false;
  if (config) {
    failures_at_login_ = app.sync.failures;  // the refusal it answered is over
    forced_ = dismissed_ = false;
    app.logged_in_again(std::move(*config));
  }
  return true;
}

void LoginDialog::draw(App& app) {
  const char* id = "##login_dialog";
  const bool want = wanted(app);
  if (!want && !ImGui::IsPopupOpen(id)) return;
  if (want && !ImGui::IsPopupOpen(id)) ImGui::OpenPopup(id);
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(std::min(640.0f, vp->WorkSize.x - 40), 0));
  if (!ImGui::BeginPopupModal(id, nullptr,
                              ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove |
                                  ImGuiWindowFlags_AlwaysAutoResize)) {
    return;
  }
  if (!want) {  // logged in, or the refusal is over: close it (it must be submitted to close)
    ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return;
  }
  const ClientConfig& c = *app.config;
  ImGui::PushFont(app.fonts.big);
  ImGui::TextUnformatted(std::string(app.t("gui.login.title")).c_str());
  ImGui::PopFont();
  ImGui::TextWrapped("%s", std::string(app.t("gui.login.intro")).c_str());
  ImGui::Spacing();
  ImGui::TextUnformatted(app.f("gui.login.account", {c.user, c.hub_url}).c_str());
  ImGui::TextUnformatted(app.pending_text().c_str());
  if (!app.sync.last_error.empty()) {
    ImGui::TextDisabled("%s", app.f("gui.login.hub_said", {app.sync.last_error}).c_str());
  }
  ImGui::Spacing();
  const bool busy = pending_.valid();
  ImGui::BeginDisabled(busy);
  ImGui::TextUnformatted(std::string(app.t("gui.enroll.password")).c_str());
  ImGui::SetNextItemWidth(-1);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  const bool entered =
      ImGui::InputText("##login_password", password_, sizeof password_,
                       ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::Spacing();
  ImGui::BeginDisabled(password_[0] == '\0');
  if ((ImGui::Button(std::string(app.t("gui.login.button")).c_str(), ImVec2(200, 36)) || entered) &&
      password_[0] != '\0') {
    const ClientConfig current = c;
    const std::string password = password_;
    pending_ =
        log_in_in_background([current, password] { return log_in_again(current, password); });
    error_.clear();
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button(std::string(app.t("gui.login.later")).c_str(), ImVec2(160, 36))) {
    dismissed_ = true;
    forced_ = false;
    error_.clear();
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndDisabled();
  login_progress(app, busy, "gui.login.connecting", "gui.login.failed", error_);
  ImGui::EndPopup();
}

}  // namespace lwc::client::gui
