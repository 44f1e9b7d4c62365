#include <algorithm>
#include <cmath>
#include <cstdio>

#include "lwc/i18n.h"

namespace lwc {

namespace {

// Keep keys sorted within a section; tests/test_i18n.cpp checks completeness and uniqueness.
constexpr Text kTexts[] = {
    // --- dates ---
    {"month.1", "ม.ค.", "Jan"},
    {"month.2", "ก.พ.", "Feb"},
    {"month.3", "มี.ค.", "Mar"},
    {"month.4", "เม.ย.", "Apr"},
    {"month.5", "พ.ค.", "May"},
    {"month.6", "มิ.ย.", "Jun"},
    {"month.7", "ก.ค.", "Jul"},
    {"month.8", "ส.ค.", "Aug"},
    {"month.9", "ก.ย.", "Sep"},
    {"month.10", "ต.ค.", "Oct"},
    {"month.11", "พ.ย.", "Nov"},
    {"month.12", "ธ.ค.", "Dec"},

    // --- warnings (shared/src/warnings.cpp) ---
    {"stage.warn", "เตือน", "Warning"},
    {"stage.follow", "ติดตาม", "Follow-up"},
    {"stage.demand", "ทวงถาม", "Demand"},
    {"stage.escalated", "ยกระดับถึงผู้บริหาร", "Escalated"},
    {"warn.task.warn", "{0}: ครบกำหนดส่ง {1} ยังไม่ได้ส่ง", "{0}: due {1}, not yet submitted"},
    {"warn.task.follow", "{0}: ครบกำหนดส่งวันนี้ ({1}) ยังไม่ได้ส่ง",
     "{0}: due today ({1}), not yet submitted"},
    {"warn.task.demand", "{0}: เลยกำหนดส่ง {1} แล้ว ขอให้ส่งโดยด่วน",
     "{0}: overdue since {1}, please submit now"},
    {"warn.task.returned", " (งานที่ส่งถูกส่งคืนให้แก้ไข)", " (the submission was returned for correction)"},
    {"warn.curve.below",
     "{0}: {1}% ต่ำกว่าเป้าหมายสะสม {2}% (ณ สัปดาห์ที่ {3}) เกิน {4} จุด",
     "{0}: {1}% is below the cumulative target {2}% (week {3}) by more than {4} points"},
    {"warn.curve.checkpoint",
     "{0}: {1}% ต่ำกว่าเป้าหมาย {2}% ที่ต้องถึงภายใน {3}",
     "{0}: {1}% is below the target {2}% due by {3}"},
    {"warn.curve.missed",
     "{0}: ไม่ถึงเป้าหมาย {2}% ที่ครบกำหนด {3} (ปัจจุบัน {1}%)",
     "{0}: missed the target {2}% due {3} (now {1}%)"},
    {"warn.escalated", "ยกระดับ: {0} — ยังไม่มีการรับทราบภายใน {1} ชั่วโมง",
     "Escalated: {0} — not acknowledged within {1} hours"},
    {"warn.unverified", " [ข้อมูลยังไม่ได้รับการตรวจสอบ ณ {0}]", " [data not verified, as of {0}]"},
    {"warn.nodata", " [ยังไม่มีข้อมูล]", " [no figure entered]"},
    {"indicator.budget", "การเบิกจ่ายงบประมาณ", "Budget disbursement"},
    {"indicator.bmn", "ความก้าวหน้าการบันทึกข้อมูล จปฐ.", "BMN survey progress"},

    // --- notifications (hub/src/notify*.cpp) ---
    {"notify.ack", "โปรดรับทราบหรือแจ้งโต้แย้งในโปรแกรม LWC",
     "Please acknowledge or dispute it in the LWC client"},
    {"notify.as_of", "ข้อมูล ณ {0} (ที่มา: {1})", "data as of {0} (source: {1})"},
    {"notify.checked_at", "ตรวจสอบจากข้อมูลในระบบ ณ {0}", "checked against the hub's data at {0}"},
    {"notify.digest.item", "{0} (ครบกำหนด {1}; {2})", "{0} (due {1}; {2})"},
    {"notify.digest.title", "[{0}] {1}: สรุปรายการเตือนประจำวันที่ {2} ({3} รายการ)",
     "[{0}] {1}: daily digest for {2} ({3} items)"},
    {"notify.district", "อำเภอ{0}", "{0} District"},
    {"notify.due", "ครบกำหนด {0}", "Due {0}"},
    {"notify.no_data", "ยังไม่มีข้อมูล", "no figure entered yet"},
    {"notify.office.executive", "ผู้บริหาร", "Executive"},
    {"notify.office.province", "สำนักงานพัฒนาชุมชนจังหวัดลำปาง",
     "Lampang Provincial Community Development Office"},
    {"notify.summary.title", "สรุปประจำสัปดาห์ {0} ({1})", "Weekly summary {0} ({1})"},
    {"notify.warning.title", "[{0}] {1}: {2}", "[{0}] {1}: {2}"},
};

}  // namespace

std::span<const Text> all_texts() { return kTexts; }

std::string_view tr(std::string_view key, Lang lang) {
  for (const Text& t : kTexts) {
    if (t.key == key) return lang == Lang::kTh ? t.th : t.en;
  }
  return key;
}

std::string fmt(std::string_view key, Lang lang, std::initializer_list<std::string> args) {
  std::string_view tmpl = tr(key, lang);
  std::string out;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{' && i + 2 < tmpl.size() && tmpl[i + 1] >= '0' && tmpl[i + 1] <= '9' &&
        tmpl[i + 2] == '}') {
      size_t n = tmpl[i + 1] - '0';
      if (n < args.size()) {
        out += *(args.begin() + n);
        i += 2;
        continue;
      }
    }
    out += tmpl[i];
  }
  return out;
}

std::string format_date_long(const Date& d, Lang lang) {
  std::string month(tr("month." + std::to_string(d.month), lang));
  int year = lang == Lang::kTh ? be_year(d.year) : d.year;
  return std::to_string(d.day) + " " + month + " " + std::to_string(year);
}

std::string format_time_long(int64_t ms, Lang lang) {
  Date d = thai_date(ms);
  int64_t minutes = ((ms + kThaiUtcOffsetMs) / 60'000) % (24 * 60);
  if (minutes < 0) minutes += 24 * 60;
  char hm[8];
  std::snprintf(hm, sizeof hm, "%02d:%02d", int(minutes / 60), int(minutes % 60));
  return format_date_long(d, lang) + " " + hm;
}

std::string format_number(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(v));
  std::string s(buf);
  size_t point = s.find('.');
  std::string whole = s.substr(0, point), frac = point == std::string::npos ? "" : s.substr(point);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  bool negative = v < 0 && std::stod(s) != 0;
  return (negative ? "-" : "") + grouped + frac;
}

}  // namespace lwc
