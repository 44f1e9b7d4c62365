#include "lwc/hub/chart.h"

#include <stb_image_write.h>
#include <stb_truetype.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <vector>

namespace lwc::hub {

namespace {

struct Rgb {
  uint8_t r, g, b;
};
constexpr Rgb kWhite{255, 255, 255}, kInk{33, 37, 41}, kGrid{222, 226, 230}, kTrack{241, 243, 245};
constexpr Rgb kGood{47, 158, 68}, kWatch{242, 194, 48}, kBehind{217, 54, 54}, kTarget{20, 20, 20};

class Canvas {
 public:
  Canvas(int w, int h) : w_(w), h_(h), px_(size_t(w) * h * 3, 255) {}
  void rect(int x, int y, int w, int h, Rgb c) {
    for (int j = std::max(0, y); j < std::min(h_, y + h); ++j) {
      for (int i = std::max(0, x); i < std::min(w_, x + w); ++i) put(i, j, c, 255);
    }
  }
  void blend(int x, int y, Rgb c, uint8_t alpha) {
    if (x >= 0 && y >= 0 && x < w_ && y < h_) put(x, y, c, alpha);
  }
  int width() const { return w_; }
  int height() const { return h_; }
  std::string png() const {
    std::string out;
    stbi_write_png_to_func(
        [](void* ctx, void* data, int size) {
          static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), size);
        },
        &out, w_, h_, 3, px_.data(), w_ * 3);
    return out;
  }

 private:
  void put(int x, int y, Rgb c, uint8_t a) {
    uint8_t* p = &px_[(size_t(y) * w_ + x) * 3];
    p[0] = uint8_t((c.r * a + p[0] * (255 - a)) / 255);
    p[1] = uint8_t((c.g * a + p[1] * (255 - a)) / 255);
    p[2] = uint8_t((c.b * a + p[2] * (255 - a)) / 255);
  }
  int w_, h_;
  std::vector<uint8_t> px_;
};

// UTF-8 text with stb_truetype (Thai marks carry their own offsets in TLWG fonts).
class Text {
 public:
  bool load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    ttf_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return stbtt_InitFont(&font_, ttf_.data(), stbtt_GetFontOffsetForIndex(ttf_.data(), 0)) != 0;
  }
  // Draws `s` with its baseline at y; returns the width.
  int draw(Canvas* c, const std::string& s, int x, int y, float px, Rgb colour) {
    const float scale = stbtt_ScaleForPixelHeight(&font_, px);
    float pen = float(x);
    int prev = 0;
    for (size_t i = 0; i < s.size();) {
      const int cp = decode(s, &i);
      if (prev) pen += scale * float(stbtt_GetCodepointKernAdvance(&font_, prev, cp));
      int advance = 0, bearing = 0;
      stbtt_GetCodepointHMetrics(&font_, cp, &advance, &bearing);
      int x0, y0, x1, y1;
      stbtt_GetCodepointBitmapBox(&font_, cp, scale, scale, &x0, &y0, &x1, &y1);
      const int w = x1 - x0, h = y1 - y0;
      if (c && w > 0 && h > 0) {
        std::vector<uint8_t> glyph(size_t(w) * h);
        stbtt_MakeCodepointBitmap(&font_, glyph.data(), w, h, w, scale, scale, cp);
        for (int j = 0; j < h; ++j) {
          for (int k = 0; k < w; ++k) {
            if (uint8_t a = glyph[size_t(j) * w + k]) c->blend(int(pen) + x0 + k, y + y0 + j, colour, a);
          }
        }
      }
      pen += scale * float(advance);
      prev = cp;
    }
    return int(pen) - x;
  }
  int width(const std::string& s, float px) { return draw(nullptr, s, 0, 0, px, kInk); }

 private:
  static int decode(const std::string& s, size_t* i) {
    const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = b(*i);
    int n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    int cp = n == 0 ? c : c & (0x3F >> n);
    for (int k = 1; k <= n && *i + k < s.size(); ++k) cp = (cp << 6) | (b(*i + k) & 0x3F);
    *i += size_t(n) + 1;
    return cp;
  }
  std::vector<unsigned char> ttf_;
  stbtt_fontinfo font_{};
};

Rgb status_colour(double pct, double expected, double tolerance) {
  if (pct >= expected) return kGood;
  return pct >= expected - tolerance ? kWatch : kBehind;
}

}  // namespace

std::string chart_font_path() {
  if (const char* f = std::getenv("LWC_FONT"); f && *f) return f;
  return "/usr/share/fonts/truetype/tlwg/Loma.ttf";
}

Result<std::string> render_status_chart(const ProvinceStatus& status, Lang lang,
                                        const std::string& font_path) {
  Text text;
  if (!text.load(font_path)) {
    return Status(Code::kNotFound, "no usable font at " + font_path + " (install fonts-thai-tlwg)");
  }
  const int rows = int(status.districts.size());
  const int label_w = 190, bar_w = 360, gap = 60, top = 96, row_h = 34;
  Canvas c(label_w + 2 * bar_w + gap + 60, top + rows * row_h + 70);
  const std::string title = fmt("summary.title", lang,
                                {std::to_string(status.week),
                                 std::to_string(lang == Lang::kTh ? status.fiscal_year
                                                                  : status.fiscal_year - 543),
                                 format_time_long(status.at_ms, lang)});
  text.draw(&c, title, 24, 40, 26, kInk);
  const int panel_x[2] = {label_w, label_w + bar_w + gap};
  const char* panel_key[2] = {"indicator.budget", "indicator.bmn"};
  for (int p = 0; p < 2; ++p) {
    text.draw(&c, std::string(tr(panel_key[p], lang)), panel_x[p], top - 16, 19, kInk);
    for (int tick = 0; tick <= 100; tick += 25) {  // grid at 0, 25, 50, 75, 100 %
      const int x = panel_x[p] + bar_w * tick / 100;
      c.rect(x, top - 4, 1, rows * row_h + 4, kGrid);
      const std::string label = std::to_string(tick) + "%";
      text.draw(&c, label, x - text.width(label, 15) / 2, top + rows * row_h + 20, 15, kInk);
    }
  }
  for (int r = 0; r < rows; ++r) {
    const DistrictStatus& d = status.districts[size_t(r)];
    const int y = top + r * row_h;
    text.draw(&c, d.name(lang), 24, y + 23, 19, kInk);
    const IndicatorFigure* fig[2] = {&d.budget, &d.bmn};
    const double expected[2] = {d.budget_expected_pct, d.bmn_expected_pct};
    for (int p = 0; p < 2; ++p) {
      c.rect(panel_x[p], y + 6, bar_w, row_h - 12, kTrack);
      if (fig[p]->target <= 0) continue;
      const double pct = std::clamp(fig[p]->pct, 0.0, 100.0);
      c.rect(panel_x[p], y + 6, int(bar_w * pct / 100), row_h - 12,
             status_colour(fig[p]->pct, expected[p], 5.0));
      const int mx = panel_x[p] + int(bar_w * std::clamp(expected[p], 0.0, 100.0) / 100);
      c.rect(mx - 1, y + 2, 3, row_h - 4, kTarget);  // this week's target on the curve
    }
  }
  const std::string legend = fmt("chart.legend", lang, {});
  text.draw(&c, legend, 24, c.height() - 14, 15, kInk);
  return c.png();
}

}  // namespace lwc::hub
