// The chart image of the weekly Monday summary: every district's budget and BMN progress as bars
// against this week's target curve (a marker), drawn in software to a PNG — no window, no GPU — so
// the hub can attach it to e-mail and webhook messages and archive it.
#pragma once

#include <string>

#include "lwc/i18n.h"
#include "lwc/status.h"
#include "lwc/summary.h"

namespace lwc::hub {

// The Thai-capable font the chart uses: LWC_FONT, else TLWG Loma from fonts-thai-tlwg.
std::string chart_font_path();

// PNG bytes of the province status chart in `lang`; kNotFound when the font file is missing.
Result<std::string> render_status_chart(const ProvinceStatus& status, Lang lang,
                                        const std::string& font_path);

}  // namespace lwc::hub
