// Small drawing helpers shared by the windows: colours, chips, the dashboard tile and bar charts,
// all on ImGui's draw list.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "app.h"

namespace lwc::client::gui {

ImU32 colour(uint32_t rgb, float alpha) {
  return IM_COL32((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF, int(alpha * 255));
}

ImVec4 colour_vec(uint32_t rgb, float alpha) {
  return ImVec4(((rgb >> 16) & 0xFF) / 255.0f, ((rgb >> 8) & 0xFF) / 255.0f, (rgb & 0xFF) / 255.0f,
                alpha);
}

uint32_t tint(uint32_t rgb, float w) {
  auto mix = [&](int shift) {
    const float c = float((rgb >> shift) & 0xFF);
    return uint32_t(std::lround(c + (255.0f - c) * w)) << shift;
  };
  return mix(16) | mix(8) | mix(0);
}

namespace {
// Text colour readable on a fill: dark on yellow/amber, white otherwise.
uint32_t text_on(uint32_t rgb) {
  const double lum =
      0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
  return lum > 150 ? 0x1C2430 : 0xFFFFFF;
}

void chip(const std::string& text, uint32_t rgb) {
  const ImVec2 pad(8, 2);
  const ImVec2 size = ImGui::CalcTextSize(text.c_str());
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(pos, ImVec2(pos.x + size.x + 2 * pad.x, pos.y + size.y + 2 * pad.y),
                    colour(rgb), 9.0f);
  dl->AddText(ImVec2(pos.x + pad.x, pos.y + pad.y), colour(text_on(rgb)), text.c_str());
  ImGui::Dummy(ImVec2(size.x + 2 * pad.x, size.y + 2 * pad.y));
}
}  // namespace

void stage_chip(Stage s, Lang lang) {
  chip(std::string(tr(std::string("stage.") + stage_name(s), lang)), stage_colour(s));
}

void status_chip(TileStatus s, Lang lang) {
  chip(std::string(tr(tile_status_key(s), lang)), tile_colour(s));
}

void help_marker(const std::string& text) {
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void draw_tile(const Tile& tile, const Fonts& fonts, ImVec2 size, Lang lang) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const ImVec2 q(p.x + size.x, p.y + size.y);
  const uint32_t rgb = tile_colour(tile.status);
  dl->AddRectFilled(p, q, colour(tint(rgb, 0.86f)), 8.0f);
  dl->AddRect(p, q, colour(rgb), 8.0f, 0, 2.0f);
  dl->AddRectFilled(p, ImVec2(p.x + 10, q.y), colour(rgb), 8.0f, ImDrawFlags_RoundCornersLeft);
  const float x = p.x + 22;
  float y = p.y + 10;
  const float wrap = q.x - x - 10;
  ImGui::PushFont(fonts.bold);
  dl->AddText(ImVec2(x, y), colour(0x1C2430), tile.title.c_str());
  y += ImGui::GetTextLineHeight() + 4;
  ImGui::PopFont();
  ImGui::PushFont(fonts.big);
  dl->AddText(ImVec2(x, y), colour(0x1C2430), tile.value.c_str());
  const float value_h = ImGui::GetTextLineHeight();
  ImGui::PopFont();
  // The status word at the top right, in the status colour.
  ImGui::PushFont(fonts.bold);
  const std::string status(tr(tile_status_key(tile.status), lang));
  const float sw = ImGui::CalcTextSize(status.c_str()).x;
  dl->AddRectFilled(ImVec2(q.x - sw - 26, p.y + 8),
                    ImVec2(q.x - 10, p.y + 12 + ImGui::GetTextLineHeight()), colour(rgb), 9.0f);
  dl->AddText(ImVec2(q.x - sw - 18, p.y + 10), colour(text_on(rgb)), status.c_str());
  ImGui::PopFont();
  y += value_h + 4;
  if (tile.fraction >= 0) {
    const float bx0 = x, bx1 = q.x - 14, by0 = y, by1 = y + 10;
    dl->AddRectFilled(ImVec2(bx0, by0), ImVec2(bx1, by1), colour(0xFFFFFF), 4.0f);
    dl->AddRectFilled(ImVec2(bx0, by0), ImVec2(bx0 + float(tile.fraction) * (bx1 - bx0), by1),
                      colour(rgb), 4.0f);
    if (tile.marker >= 0 && tile.marker <= 1) {
      const float mx = bx0 + float(tile.marker) * (bx1 - bx0);
      dl->AddLine(ImVec2(mx, by0 - 4), ImVec2(mx, by1 + 4), colour(0x1C2430), 2.0f);
    }
    y = by1 + 8;
  }
  dl->AddText(nullptr, 0.0f, ImVec2(x, y), colour(0x37474F), tile.detail.c_str(), nullptr, wrap);
  y += ImGui::CalcTextSize(tile.detail.c_str(), nullptr, false, wrap).y + 4;
  dl->AddText(nullptr, 0.0f, ImVec2(x, y), colour(0x607D8B), tile.as_of.c_str(), nullptr, wrap);
  ImGui::Dummy(size);
}

void bar_chart(const char* id, const std::vector<Bar>& bars, double max_value, double common_target,
               const std::string& target_label, float label_width) {
  ImGui::PushID(id);
  const float row_h = ImGui::GetTextLineHeight() + 8;
  const float width = ImGui::GetContentRegionAvail().x;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float height = row_h * float(bars.size()) + row_h;  // + the axis row
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float x0 = p.x + label_width, x1 = p.x + width - 150;
  if (max_value <= 0) max_value = 1;
  auto xs = [&](double v) { return x0 + float(std::clamp(v / max_value, 0.0, 1.0)) * (x1 - x0); };
  dl->AddRectFilled(ImVec2(x0, p.y), ImVec2(x1, p.y + row_h * float(bars.size())),
                    colour(0xFFFFFF));
  for (int g = 1; g <= 4; ++g) {  // light grid at quarters
    const float gx = x0 + (x1 - x0) * float(g) / 4;
    dl->AddLine(ImVec2(gx, p.y), ImVec2(gx, p.y + row_h * float(bars.size())), colour(0xE0E5EA));
  }
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const float y = p.y + row_h * float(i);
    dl->AddText(ImVec2(p.x, y + 3), colour(0x1C2430), b.label.c_str());
    dl->AddRectFilled(ImVec2(x0, y + 4), ImVec2(xs(b.value), y + row_h - 4), colour(b.rgb), 3.0f);
    if (b.target >= 0) {
      const float tx = xs(b.target);
      dl->AddLine(ImVec2(tx, y + 1), ImVec2(tx, y + row_h - 1), colour(0x1C2430), 2.5f);
    }
    dl->AddText(ImVec2(xs(b.value) + 6, y + 3), colour(0x37474F), b.text.c_str());
  }
  if (common_target >= 0) {
    const float tx = xs(common_target);
    const float y1 = p.y + row_h * float(bars.size());
    for (float y = p.y; y < y1; y += 8) {  // dashed target line
      dl->AddLine(ImVec2(tx, y), ImVec2(tx, std::min(y + 5, y1)), colour(0x6A1B9A), 2.0f);
    }
    dl->AddText(ImVec2(tx - 20, y1 + 2), colour(0x6A1B9A), target_label.c_str());
  }
  ImGui::Dummy(ImVec2(width, height));
  ImGui::PopID();
}

void edge_mark(uint32_t rgb) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetTextLineHeight();
  ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + 1), ImVec2(p.x + 7, p.y + h - 1),
                                            colour(rgb), 2.0f);
  ImGui::SetCursorScreenPos(ImVec2(p.x + 13, p.y));
}

// When the hub's lists were fetched, a Refresh button (province/admin) and the last error.
void hub_lists_header(App& app) {
  const App::HubLists& l = app.hub_lists;
  ImGui::TextDisabled(
      "%s", (l.fetched_ms ? app.f("gui.hub_lists.as_of", {format_time_long(l.fetched_ms, app.lang)})
                          : std::string(app.t("gui.hub_lists.never")))
                .c_str());
  ImGui::SameLine();
  ImGui::BeginDisabled(l.loading || !app.may_manage());
  if (ImGui::SmallButton(
          std::string(app.t(l.loading ? "gui.hub_lists.loading" : "gui.hub_lists.refresh"))
              .c_str()))
    app.refresh_hub_lists();
  ImGui::EndDisabled();
  if (!l.error.empty()) {
    ImGui::SameLine();
    ImGui::TextColored(colour_vec(0xC62828), "%s", l.error.c_str());
  }
}

std::future<Result<ClientConfig>> log_in_in_background(std::function<Result<ClientConfig>()> job) {
  return std::async(std::launch::async, [job = std::move(job)] {
    auto r = job();
    glfwPostEmptyEvent();  // wake the UI loop: the answer is ready
    return r;
  });
}

bool take_login(std::future<Result<ClientConfig>>& pending, char* password, size_t password_size,
                std::string& error, std::optional<ClientConfig>& config) {
  if (!pending.valid()) return false;
  if (pending.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
  auto result = pending.get();
  if (!result.ok()) {
    error = result.status().message();
    return true;
  }
  error.clear();
  std::fill(password, password + password_size, '\0');
  config = std::move(result).value();
  return true;
}

void login_progress(const App& app, bool busy, std::string_view busy_key,
                    std::string_view failed_key, const std::string& error) {
  if (busy) {
    ImGui::SameLine();
    ImGui::TextUnformatted(std::string(app.t(busy_key)).c_str());
  }
  if (!error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, colour_vec(0xC62828));
    ImGui::TextWrapped("%s", (std::string(app.t(failed_key)) + " " + error).c_str());
    ImGui::PopStyleColor();
  }
}

}  // namespace lwc::client::gui
