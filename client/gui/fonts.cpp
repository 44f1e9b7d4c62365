// The Thai font: TLWG Loma from fonts-thai-tlwg, found at run time. Order: $LWC_FONT, fontconfig
// (`fc-match -f %{file} Loma`), the Debian path. ImGui's stb_truetype rasterizer renders Loma's
// stacked Thai marks correctly with GetGlyphRangesThai() (STACK.md).
#include <imgui.h>
#include <imgui_internal.h>  // ImTextCharFromUtf8

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "app.h"

namespace lwc::client::gui {

namespace {

constexpr const char* kDebianLoma = "/usr/share/fonts/truetype/tlwg/Loma.ttf";
constexpr float kSize = 19.0f;
constexpr float kBigSize = 34.0f;  // titles and tile figures

std::string fc_match(const char* family) {
  std::string cmd = std::string("fc-match -f '%{file}' '") + family + "' 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return "";
  char buf[1024];
  std::string out;
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  pclose(p);
  return out;
}

std::string find_font(const char* family, const std::string& file_name) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (const char* env = std::getenv("LWC_FONT"); env && file_name == "Loma.ttf") {
    if (fs::exists(env, ec)) return env;
  }
  std::string fc = fc_match(family);
  // fontconfig answers its closest match (DejaVu) when Loma is missing: accept only Loma itself.
  if (fs::path(fc).filename() == file_name && fs::exists(fc, ec)) return fc;
  std::string debian = std::string("/usr/share/fonts/truetype/tlwg/") + file_name;
  if (fs::exists(debian, ec)) return debian;
  return "";
}

}  // namespace

FontAtlas build_font_atlas() {
  FontAtlas out;
  out.atlas = std::make_unique<ImFontAtlas>();
  ImFontAtlas& atlas = *out.atlas;
  Fonts& fonts = out.fonts;
  fonts.path = find_font("Loma", "Loma.ttf");
  if (fonts.path.empty()) {
    fonts.error = "Thai font TLWG Loma not found (looked at $LWC_FONT, fontconfig and " +
                  std::string(kDebianLoma) +
                  "). Install it: apt-get install fonts-thai-tlwg — ไม่พบฟอนต์ภาษาไทย";
    ImFontConfig cfg;
    cfg.SizePixels = 16;
    fonts.regular = fonts.bold = fonts.big = atlas.AddFontDefault(&cfg);
  } else {
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(atlas.GetGlyphRangesThai());  // Basic Latin + Latin-1 + Thai
    for (const Text& t : all_texts()) {  // and every symbol the strings table uses (·, —, …)
      builder.AddText(t.th.data(), t.th.data() + t.th.size());
      builder.AddText(t.en.data(), t.en.data() + t.en.size());
    }
    ImVector<ImWchar> ranges;
    builder.BuildRanges(&ranges);
    out.ranges.assign(ranges.begin(), ranges.end());
    ImFontConfig cfg;
    cfg.OversampleH = 2;
    cfg.OversampleV = 1;
    fonts.regular = atlas.AddFontFromFileTTF(fonts.path.c_str(), kSize, &cfg, out.ranges.data());
    const std::string bold_path = find_font("Loma:bold", "Loma-Bold.ttf");
    const std::string& heavy = bold_path.empty() ? fonts.path : bold_path;
    fonts.bold = atlas.AddFontFromFileTTF(heavy.c_str(), kSize, &cfg, out.ranges.data());
    fonts.big = atlas.AddFontFromFileTTF(heavy.c_str(), kBigSize, &cfg, out.ranges.data());
    if (!fonts.regular || !fonts.bold || !fonts.big) {
      fonts.error = "cannot read the font " + fonts.path;
      atlas.Clear();
      fonts.regular = fonts.bold = fonts.big = atlas.AddFontDefault();
    }
  }
  // Rasterise now, and convert to the RGBA the OpenGL backend uploads, so that the UI thread only
  // uploads.
  unsigned char* pixels = nullptr;
  int width = 0, height = 0;
  atlas.GetTexDataAsRGBA32(&pixels, &width, &height);
  return out;
}

std::string missing_glyphs(ImFont* font, std::string_view text) {
  std::string out;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  while (p < end) {
    unsigned int c = 0;
    const int n = ImTextCharFromUtf8(&c, p, end);
    if (n <= 0) break;
    p += n;
    if (c < 0x20 || c == '\n') continue;
    // Thai vowel and tone marks combine with the letter before them; Loma has them all.
    if (!font->FindGlyphNoFallback(static_cast<ImWchar>(c))) {
      char hex[16];
      std::snprintf(hex, sizeof hex, "U+%04X ", c);
      out += hex;
    }
  }
  return out;
}

}  // namespace lwc::client::gui
