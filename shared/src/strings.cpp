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

    // --- data entry (shared/src/entries.cpp) ---
    {"entry.as_of_be", "ปี {0} เป็นปี พ.ศ. กรุณากรอกเป็นปี ค.ศ. ({1})",
     "{0} looks like a Buddhist-Era year: type the Common Era year ({1})"},
    {"entry.as_of_future", "วันที่ข้อมูล {0} เลยวันนี้ ({1}) ไปแล้ว",
     "the as-of date {0} is after today ({1})"},

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
    {"warn.task.returned", " (งานที่ส่งถูกส่งคืนให้แก้ไข)",
     " (the submission was returned for correction)"},
    {"warn.curve.below", "{0}: {1}% ต่ำกว่าเป้าหมายสะสม {2}% (ณ สัปดาห์ที่ {3}) เกิน {4} จุด",
     "{0}: {1}% is below the cumulative target {2}% (week {3}) by more than {4} points"},
    {"warn.curve.checkpoint", "{0}: {1}% ต่ำกว่าเป้าหมาย {2}% ที่ต้องถึงภายใน {3}",
     "{0}: {1}% is below the target {2}% due by {3}"},
    {"warn.curve.missed", "{0}: ไม่ถึงเป้าหมาย {2}% ที่ครบกำหนด {3} (ปัจจุบัน {1}%)",
     "{0}: missed the target {2}% due {3} (now {1}%)"},
    {"warn.escalated", "{0} — ยังไม่มีการรับทราบภายใน {1} ชั่วโมง",
     "{0} — not acknowledged within {1} hours"},
    {"warn.unverified", " [ข้อมูลยังไม่ได้รับการตรวจสอบ ณ {0}]", " [data not verified, as of {0}]"},
    {"warn.nodata", " [ยังไม่มีข้อมูล]", " [no figure entered]"},
    {"indicator.budget", "การเบิกจ่ายงบประมาณ", "Budget disbursement"},
    {"award.title", "รางวัลรายงานดีเด่น ประจำเดือน {0}", "Report Award, {0}"},
    {"award.provisional", " (คะแนนชั่วคราว — เดือนยังไม่สิ้นสุด)",
     " (provisional — the month is not over)"},
    {"award.line", "{0}. {1}: {2}% ({3}/{4} คะแนน) ตรงเวลา {5} ช้า {6} ขาดส่ง {7} ส่งคืนแก้ไข {8}",
     "{0}. {1}: {2}% ({3}/{4} points) on time {5}, late {6}, missing {7}, returned {8}"},
    {"award.line.nothing_due", "—  {0}: ไม่มีรายงานครบกำหนด (ยังไม่ครบกำหนด {1})",
     "—  {0}: no reports due (not yet due {1})"},
    {"award.nothing_due", "ไม่มีรายงานครบกำหนด", "no reports due"},
    {"chart.legend",
     "แถบ = ผลสะสม · เส้นดำ = เป้าหมายสะสมของสัปดาห์ · เขียว ตามเป้า · เหลือง ใกล้เป้า · แดง ต่ำกว่าเป้า",
     "bar = cumulative result · black line = this week's cumulative target · green on track · "
     "yellow close · red behind"},
    {"summary.title", "สรุปสถานะประจำสัปดาห์ที่ {0} ปีงบประมาณ {1} (ณ {2})",
     "Status summary, week {0} of fiscal year {1} (as of {2})"},
    {"summary.district",
     "{0}: เบิกจ่าย {1} (เป้า {2}) · จปฐ. {3} (เป้า {4}) · ส่งงานตรงเวลา {5} ช้า {6} ขาดส่ง {7} "
     "ส่งคืนแก้ไข {8} · แจ้งเตือนค้าง {9}",
     "{0}: budget {1} (curve {2}) · BMN {3} (curve {4}) · on time {5}, late {6}, missing {7}, "
     "returned {8} · open warnings {9}"},
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

    // --- GUI (client/gui) ---
    {"gui.ago.days", "{0} วันที่แล้ว", "{0} days ago"},
    {"gui.ago.hours", "{0} ชั่วโมงที่แล้ว", "{0} h ago"},
    {"gui.ago.minutes", "{0} นาทีที่แล้ว", "{0} min ago"},
    {"gui.ago.never", "ไม่เคยติดต่อ", "never"},
    {"gui.ago.now", "เมื่อสักครู่", "just now"},
    {"gui.app.title", "ศูนย์เตือนภัยลำปาง (LWC)", "Lampang Warning Center (LWC)"},
    {"gui.award.scheme",
     "คะแนน: ตรงเวลา 3 · ช้าไม่เกิน 3 วัน 1 · ช้ากว่านั้น 0 · ส่งคืนแก้ไข 0 · ไม่ส่ง -1 · คะแนน % = ได้ ÷ เต็ม",
     "Points: on time 3 · up to 3 days late 1 · later 0 · returned 0 · missing -1 · score % = "
     "earned ÷ possible"},
    {"gui.award.district_note",
     "อันดับทั้งจังหวัดจัดทำที่จังหวัด (หน้าสถานะบนเว็บของศูนย์) เครื่องนี้มีเฉพาะข้อมูลของอำเภอ",
     "The province ranks all districts (the hub's web status page); this computer holds only this "
     "district's data"},
    {"gui.award.col.rank", "อันดับ", "Rank"},
    {"gui.award.export_kpi", "ส่งออกตัวชี้วัด (CSV)", "Export KPIs (CSV)"},
    {"gui.award.export_kpi_tip",
     "ตัวชี้วัดรายอำเภอ กลุ่มงาน และบุคคล {0} ถึง {1} · เปิดใน Excel ได้ภาษาไทยถูกต้อง",
     "KPIs per district, work group and person, {0} to {1} · opens in a spreadsheet with Thai "
     "intact"},
    {"gui.award.col.score", "คะแนน %", "Score %"},
    {"gui.award.col.points", "คะแนน", "Points"},
    {"gui.award.col.outcome", "ผลการส่ง", "Outcome"},
    {"gui.award.col.submitted", "ส่งเมื่อ · โดย", "Submitted · by"},
    {"claim.offline", "ส่งขณะออฟไลน์เมื่อ {0} · ศูนย์ได้รับ {1}",
     "submitted offline at {0}, received at {1}"},
    {"claim.refused", "เครื่องระบุเวลา {0} ซึ่งก่อนการติดต่อศูนย์ครั้งล่าสุด · นับตามเวลาที่ศูนย์ได้รับ {1}",
     "the device said {0}, before its last contact with the hub: counted as received at {1}"},
    {"claim.figure_offline", "ข้อมูล ณ {0} บันทึกขณะออฟไลน์ · ศูนย์ได้รับ {1}",
     "figure as of {0} entered offline, received at {1}"},
    {"claim.figure_refused", "ข้อมูล ณ {0} ถึงศูนย์เมื่อ {1} · นับตั้งแต่วันที่ได้รับ จนกว่าจังหวัดจะตรวจรับ",
     "figure as of {0} reached the hub at {1}: it counts from its receipt until the province "
     "verifies it"},
    {"gui.award.on_time", "ตรงเวลา", "On time"},
    {"gui.award.late", "ช้า", "Late"},
    {"gui.award.missing", "ไม่ส่ง", "Missing"},
    {"gui.award.returned", "ส่งคืนแก้ไข", "Returned"},
    {"gui.award.pick", "เลือกอำเภอเพื่อดูที่มาของคะแนน",
     "Pick a district to see how its score was computed"},
    {"gui.award.how", "ที่มาของคะแนน {0}: {1}/{2} คะแนน = {3}%",
     "How {0} scored: {1}/{2} points = {3}%"},
    {"gui.award.nothing_due", "ไม่มีงานครบกำหนดในเดือนนี้", "Nothing was due this month"},
    {"gui.award.outcome.on_time", "ตรงเวลา", "on time"},
    {"gui.award.outcome.late", "ช้า", "late"},
    {"gui.award.outcome.very_late", "ช้ามาก", "very late"},
    {"gui.award.outcome.missing", "ไม่ส่ง", "missing"},
    {"gui.award.outcome.returned", "ส่งคืนแก้ไข", "returned for quality"},
    {"gui.award.outcome.pending", "ยังไม่ครบกำหนด", "not yet due"},
    {"gui.asof", "ข้อมูล ณ {0}", "as of {0}"},
    {"gui.asof.none", "ยังไม่มีข้อมูล", "no data yet"},
    {"gui.baht", "{0} บาท", "THB {0}"},
    {"gui.cancel", "ยกเลิก", "Cancel"},
    {"gui.chart.bmn", "ความก้าวหน้าการบันทึกข้อมูล จปฐ. รายอำเภอ (% ของครัวเรือนเป้าหมาย)",
     "BMN survey progress per district (% of target households)"},
    {"gui.chart.budget", "การเบิกจ่ายงบประมาณรายอำเภอ (% ของงบที่ได้รับจัดสรร)",
     "Budget disbursed per district (% of allocation)"},
    {"gui.chart.groups", "การเบิกจ่ายงบประมาณรายกลุ่มงาน (บาท)",
     "Budget disbursed per work group (THB)"},
    {"gui.chart.target", "เป้าหมาย {0}", "target {0}"},
    {"gui.check.bad_date", "วันที่ \"{0}\" ไม่ถูกต้อง (ใช้รูปแบบ ปปปป-ดด-วว ค.ศ.)",
     "\"{0}\" is not a date (use YYYY-MM-DD)"},
    {"gui.check.below_last", "ยอดสะสม {0} ต่ำกว่าครั้งก่อน ({1}) ยอดเบิกจ่ายสะสมไม่ควรลดลง ยืนยันหรือไม่",
     "The cumulative figure {0} is below the last one ({1}); a cumulative figure should not go "
     "down. Save anyway?"},
    {"gui.check.due_before_issued", "วันครบกำหนดอยู่ก่อนวันที่สั่งการ",
     "The due date is before the issue date"},
    {"gui.check.due_past", "วันครบกำหนด {0} ผ่านไปแล้ว อำเภอจะถูกนับว่าขาดส่งทันที — ยืนยันหรือไม่?",
     "The due date {0} has passed: districts count as missing at once — create it anyway?"},
    {"gui.check.entered_gt_collected", "บันทึกแล้ว ({0}) ต้องไม่มากกว่าจัดเก็บแล้ว ({1}) ครัวเรือน",
     "Households entered ({0}) cannot exceed households collected ({1})"},
    {"gui.check.far_above", "ตัวเลข {0} สูงกว่าครั้งก่อน ({1}) เกิน 2 เท่า กรุณาตรวจสอบก่อนบันทึก",
     "{0} is more than twice the last figure ({1}); please check it before saving"},
    {"gui.check.letter_missing", "กรุณาใส่เลขที่หนังสือสั่งการ", "Enter the directive letter number"},
    {"gui.check.negative", "จำนวนเงินต้องไม่ติดลบ", "The amount cannot be negative"},
    {"gui.check.negative_households", "จำนวนครัวเรือนต้องไม่ติดลบ",
     "Household counts cannot be negative"},
    {"gui.check.no_districts", "เลือกอย่างน้อยหนึ่งอำเภอ", "Choose at least one district"},
    {"gui.check.over_allocation", "ยอด {0} เกินงบที่ได้รับจัดสรร ({1}) ยืนยันหรือไม่",
     "{0} is more than the allocation ({1}). Save anyway?"},
    {"gui.check.over_target", "จัดเก็บแล้ว {0} ครัวเรือน เกินเป้าหมาย ({1}) ยืนยันหรือไม่",
     "{0} households collected is more than the target ({1}). Save anyway?"},
    {"gui.check.target_jump", "เป้าหมาย {0} สูงกว่าเป้าเดิม {1} มากกว่า 10 เท่า — ตรวจสอบหลักตัวเลขอีกครั้ง",
     "The target {0} is more than 10 times the current {1} — check the digits"},
    {"gui.check.target_positive", "เป้าหมายต้องมากกว่า 0", "A target must be above 0"},
    {"gui.check.title_missing", "กรุณาใส่ชื่อเรื่อง", "Enter a title"},
    {"gui.check.updated_gt_entered", "ปรับปรุงแล้ว ({0}) ต้องไม่มากกว่าบันทึกแล้ว ({1}) ครัวเรือน",
     "Households updated ({0}) cannot exceed households entered ({1})"},
    {"gui.col.asof", "ข้อมูล ณ", "Data as of"},
    {"gui.col.by", "ผู้บันทึก", "Entered by"},
    {"gui.col.district", "อำเภอ", "District"},
    {"gui.col.due", "กำหนดส่ง", "Due"},
    {"gui.col.reports", "การส่งรายงาน", "Reports"},
    {"gui.col.stage", "ระดับ", "Stage"},
    {"gui.col.state", "สถานะ", "State"},
    {"gui.col.task", "งาน / หนังสือสั่งการ", "Task / directive letter"},
    {"gui.col.value", "ตัวเลข", "Figure"},
    {"gui.col.warning", "คำเตือน", "Warning"},
    {"gui.col.what", "รายการ", "Item"},
    {"gui.conflicts.detected", "พบเมื่อ", "Detected"},
    {"gui.conflicts.intro", "มีผู้แก้ไขค่าเดียวกันพร้อมกันจากสองเครื่อง ระบบเก็บค่าล่าสุดไว้และเก็บค่าที่แพ้ไว้ให้ตรวจสอบ",
     "Two devices edited the same value concurrently: the later edit is kept, the other is kept "
     "here for review"},
    {"gui.conflicts.kept", "ค่าที่ใช้อยู่", "Value in use"},
    {"gui.conflicts.lost", "ค่าที่ถูกแทนที่", "Value overwritten"},
    {"gui.conflicts.none", "ไม่มีข้อขัดแย้ง", "No conflicts"},
    {"gui.conflicts.title", "ข้อมูลขัดแย้งที่ศูนย์ ({0})", "Conflicts at the hub ({0})"},
    {"gui.days.late", "เลยกำหนด {0} วัน", "{0} days late"},
    {"gui.days.left", "อีก {0} วัน", "in {0} days"},
    {"gui.days.today", "วันนี้", "today"},
    {"gui.district.title", "อำเภอ{0}", "{0} district"},
    {"gui.enroll.button", "ลงทะเบียนเครื่องนี้", "Enroll this computer"},
    {"gui.enroll.ca", "ไฟล์ใบรับรอง CA ของศูนย์ (ได้รับจากจังหวัด)",
     "The hub's CA certificate file (from the province)"},
    {"gui.enroll.connecting", "กำลังเชื่อมต่อ…", "Connecting…"},
    {"gui.enroll.data_dir", "ข้อมูลเก็บที่ {0}", "Data is kept in {0}"},
    {"gui.enroll.done", "ลงทะเบียนแล้ว: {0}", "Enrolled: {0}"},
    {"gui.enroll.failed", "ลงทะเบียนไม่สำเร็จ:", "Enrolment failed:"},
    {"gui.enroll.hub", "ที่อยู่ศูนย์ข้อมูลจังหวัด (https://…)", "Hub address (https://…)"},
    {"gui.enroll.intro",
     "เครื่องนี้ยังไม่ได้ลงทะเบียน กรอกข้อมูลที่ได้รับจากสำนักงานพัฒนาชุมชนจังหวัด "
     "หลังลงทะเบียนแล้วใช้งานได้แม้ไม่มีอินเทอร์เน็ต",
     "This computer is not enrolled yet. Enter what the provincial office gave you; once enrolled "
     "it works without a link."},
    {"gui.enroll.password", "รหัสผ่าน", "Password"},
    {"gui.enroll.user", "ชื่อผู้ใช้", "User name"},
    {"gui.export.done", "บันทึกภาพกราฟแล้ว: {0}", "Chart saved: {0}"},
    {"gui.export.failed", "บันทึกภาพกราฟไม่ได้: {0}", "Could not save the chart: {0}"},
    {"gui.export.png", "บันทึกเป็น PNG", "Export PNG"},
    {"gui.export.tip", "บันทึกกราฟนี้เป็นไฟล์ภาพ สำหรับโพสต์ใน LINE หรือเว็บไซต์",
     "Save this chart as a picture to post to LINE or the website"},
    {"gui.fiscal", "ปีงบประมาณ {0} · สัปดาห์ที่ {1}", "FY {0} · week {1}"},
    {"gui.fleet.applied", "รับแล้ว (ลำดับ)", "Applied (last #)"},
    {"gui.fleet.backlog", "ค้างส่ง", "Backlog"},
    {"gui.fleet.contact", "ติดต่อล่าสุด", "Last contact"},
    {"gui.fleet.device", "เครื่อง", "Device"},
    {"gui.fleet.intro", "เครื่องที่ลงทะเบียนทั้งหมด: การติดต่อล่าสุด ข้อมูลค้างส่งที่เครื่องแจ้งไว้ และรุ่นโปรแกรม",
     "Every enrolled device: last contact, the backlog it reported, and its client version"},
    {"gui.fleet.none", "ยังไม่มีรายการเครื่อง (ต้องเชื่อมต่อศูนย์)",
     "No device list yet (needs a connection to the hub)"},
    {"gui.fleet.none_waiting", "ไม่มีค้าง", "none waiting"},
    {"gui.fleet.not_reported", "ยังไม่แจ้ง", "not reported"},
    {"gui.fleet.office", "สำนักงาน", "Office"},
    {"gui.fleet.revoked", "ถูกเพิกถอน", "revoked"},
    {"gui.fleet.role.admin", "ผู้ดูแลระบบ", "Administrator"},
    {"gui.fleet.role.executive", "ผู้บริหาร", "Executive"},
    {"gui.fleet.version", "รุ่นโปรแกรม", "Client version"},
    {"gui.fleet.waiting", "ค้าง {0} ค่า", "{0} changes waiting"},
    {"gui.form.amount", "ยอดเบิกจ่ายสะสมตั้งแต่ต้นปีงบประมาณ (บาท)",
     "Disbursed so far this fiscal year (THB)"},
    {"gui.form.as_of", "ข้อมูล ณ วันที่ (ค.ศ. ปปปป-ดด-วว ว่างไว้ = วันนี้)",
     "As of (YYYY-MM-DD, empty = today)"},
    {"gui.form.bad_date", "วันที่ไม่ถูกต้อง", "not a valid date"},
    {"gui.form.bmn", "ข้อมูล จปฐ. (ครัวเรือน)", "BMN survey (households)"},
    {"gui.form.budget", "การเบิกจ่ายงบประมาณ", "Budget disbursement"},
    {"gui.form.check_again", "กลับไปแก้ไข", "Go back and check"},
    {"gui.form.collected", "จัดเก็บแล้ว", "Collected"},
    {"gui.form.confirm_save", "ยืนยัน บันทึก", "Yes, save it"},
    {"gui.form.entered", "บันทึกในระบบแล้ว", "Entered"},
    {"gui.form.last", "ครั้งก่อน: {0} บาท", "Last figure: THB {0}"},
    {"gui.form.last_bmn", "ครั้งก่อน: จัดเก็บ {0} · บันทึก {1} · ปรับปรุง {2}",
     "Last: collected {0} · entered {1} · updated {2}"},
    {"gui.form.no_groups", "ยังไม่มีรายชื่อกลุ่มงาน กรุณาซิงค์ข้อมูลก่อน", "No work groups yet: sync first"},
    {"gui.form.offline_note", "บันทึกในเครื่องได้แม้ออฟไลน์ ระบบจะส่งเมื่อเชื่อมต่อได้",
     "Saved on this computer even offline; sent when there is a link"},
    {"gui.form.save", "บันทึก", "Save"},
    {"gui.form.saved", "บันทึกแล้ว (รอส่งเมื่อซิงค์)", "Saved (sent at the next sync)"},
    {"gui.form.updated", "ปรับปรุง/ตรวจสอบแล้ว", "Updated / verified"},
    {"gui.form.work_group", "กลุ่มงาน", "Work group"},
    {"gui.hub_lists.as_of", "รายการจากศูนย์ ณ {0}", "From the hub at {0}"},
    {"gui.hub_lists.loading", "กำลังโหลด…", "Loading…"},
    {"gui.hub_lists.never", "ยังไม่ได้โหลดรายการจากศูนย์", "Not loaded from the hub yet"},
    {"gui.hub_lists.refresh", "โหลดใหม่", "Refresh"},
    {"gui.load_failed", "อ่านข้อมูลในเครื่องไม่ได้", "Cannot read the local data"},
    {"gui.loading", "กำลังโหลดข้อมูล…", "Loading…"},
    {"gui.login.account", "บัญชี {0} · ศูนย์ {1}", "Account {0} · hub {1}"},
    {"gui.login.button", "เข้าสู่ระบบ", "Log in"},
    {"gui.login.connecting", "กำลังเข้าสู่ระบบ…", "Logging in…"},
    {"gui.login.done", "เข้าสู่ระบบอีกครั้งแล้ว กำลังส่งข้อมูลที่รอส่ง",
     "Logged in again; sending what was waiting"},
    {"gui.login.failed", "เข้าสู่ระบบไม่สำเร็จ:", "Login failed:"},
    {"gui.login.hub_said", "ศูนย์แจ้งว่า: {0}", "The hub said: {0}"},
    {"gui.login.intro",
     "ศูนย์ข้อมูลจังหวัดไม่รับการเข้าสู่ระบบของเครื่องนี้แล้ว (หมดอายุ มีการเปลี่ยนรหัสผ่าน "
     "หรือผู้ดูแลระบบระงับเครื่องนี้) กรอกรหัสผ่านเพื่อเข้าสู่ระบบอีกครั้ง "
     "ข้อมูลที่บันทึกไว้และที่รอส่งยังอยู่ในเครื่องนี้ครบ และจะส่งทันทีเมื่อเข้าสู่ระบบแล้ว",
     "The hub no longer accepts this computer's login (it expired, the password was changed, or "
     "the administrator suspended this computer). Enter your password to log in again. Your "
     "entries and everything waiting to be sent stay on this computer and are sent as soon as you "
     "are logged in."},
    {"gui.login.later", "ภายหลัง", "Later"},
    {"gui.login.title", "เข้าสู่ระบบอีกครั้ง", "Log in again"},
    {"gui.nodata", "ไม่มีข้อมูล", "no data"},
    {"gui.popup.ack", "รับทราบ", "Acknowledge"},
    {"gui.popup.acked", "รับทราบคำเตือนแล้ว", "Warning acknowledged"},
    {"gui.popup.back", "ย้อนกลับ", "Back"},
    {"gui.popup.data", "ข้อมูล ณ", "Data as of"},
    {"gui.popup.deadline", "กำหนด", "Deadline"},
    {"gui.popup.dispute", "โต้แย้ง (ข้อมูลไม่เป็นปัจจุบัน)", "Dispute (data out of date)"},
    {"gui.popup.disputed", "ส่งคำโต้แย้งแล้ว การยกระดับหยุดไว้จนกว่าจังหวัดพิจารณา",
     "Dispute sent; escalation pauses until the province resolves it"},
    {"gui.popup.queue", "อีก {0} รายการ", "{0} more"},
    {"gui.popup.raised", "แจ้งเตือนเมื่อ", "Raised"},
    {"gui.popup.reason", "เหตุผลที่โต้แย้ง", "Why do you dispute it?"},
    {"gui.popup.reason_needed", "กรุณาระบุเหตุผล", "A reason is required"},
    {"gui.popup.send_dispute", "ส่งคำโต้แย้ง", "Send the dispute"},
    {"gui.popup.source", "แหล่งข้อมูล", "Source"},
    {"gui.popup.verified", "ผู้ตรวจสอบข้อมูล", "Verified by"},
    {"gui.province.back", "< กลับภาพรวมจังหวัด", "< Back to the province"},
    {"gui.province.expected", "เป้าหมายสะสมสัปดาห์นี้: งบประมาณ {0} · จปฐ. {1}",
     "Expected this week: budget {0} · BMN {1}"},
    {"gui.province.legend", "สีตามสถานะเทียบเป้าหมายสะสม · คลิกชื่ออำเภอเพื่อดูรายละเอียด",
     "colour by status against the cumulative target · click a district for its dashboard"},
    {"gui.province.reports", "ตรง {0} · ช้า {1} · ขาด {2} · ตีกลับ {3}",
     "on time {0} · late {1} · missing {2} · returned {3}"},
    {"gui.province.reports_legend", "ส่งตรงเวลา · ส่งช้า · ยังไม่ส่ง (เลยกำหนด) · ถูกส่งคืนแก้ไข",
     "on time · late · missing (overdue) · returned for quality"},
    {"gui.province.title", "ภาพรวมจังหวัดลำปาง", "Lampang province overview"},
    {"gui.rejected.intro", "ค่าที่เครื่องนี้ส่งแล้วศูนย์ไม่รับ พร้อมเหตุผล เทียบกับค่าที่มีอยู่ตอนนี้",
     "Changes from this computer the hub refused, with its reason, beside the value held now"},
    {"gui.rejected.mine", "ค่าที่ส่ง", "Value sent"},
    {"gui.rejected.none", "ไม่มีรายการที่ถูกปฏิเสธ", "Nothing refused"},
    {"gui.rejected.now", "ค่าปัจจุบัน", "Value now"},
    {"gui.rejected.reason", "เหตุผลจากศูนย์", "The hub's reason"},
    {"gui.rejected.title", "รายการที่ศูนย์ปฏิเสธ ({0})", "Refused by the hub ({0})"},
    {"gui.report.late", "ส่งช้า", "Late"},
    {"gui.report.missing", "ขาดส่ง", "Missing"},
    {"gui.report.not_assigned", "—", "—"},
    {"gui.report.on_time", "ตรงเวลา", "On time"},
    {"gui.report.pending", "ยังไม่ถึงกำหนด", "Not yet due"},
    {"gui.report.returned", "ส่งคืนแก้ไข", "Returned"},
    {"gui.reports.counts", "สรุป", "Totals"},
    {"gui.reports.intro", "การส่งรายงานและหนังสือสั่งการ {0} เรื่องที่ครบกำหนดในปีงบประมาณนี้",
     "Submissions of the {0} reports and directives due this fiscal year"},
    {"gui.reports.monthly", "รายงานประจำเดือน", "Monthly report"},
    {"gui.reports.none", "ยังไม่มีงานที่ครบกำหนดในปีงบประมาณนี้", "No task is due this fiscal year yet"},
    {"gui.scope.province", "จังหวัด", "Province"},
    {"gui.status.behind", "ล่าช้า", "Behind"},
    {"gui.status.good", "ตามเป้า", "On track"},
    {"gui.status.nodata", "ไม่มีข้อมูล", "No data"},
    {"gui.status.watch", "เฝ้าระวัง", "Watch"},
    {"gui.sync.forked", "โฟลเดอร์นี้เป็นสำเนา: ใช้เป็นเครื่องใหม่แล้ว",
     "Copied folder: now a device of its own"},
    {"gui.sync.forked_tip",
     "เมื่อ {0} พบว่าโฟลเดอร์ข้อมูลนี้เป็นสำเนาของเครื่อง {1} จึงลงทะเบียนเป็นเครื่องใหม่ของบัญชีเดิม "
     "และส่งข้อมูลทั้งหมดที่บันทึกไว้ที่นี่ใหม่ ไม่มีข้อมูลสูญหาย",
     "On {0} this data folder was found to be a copy of device {1}: it enrolled as a new device of "
     "the same account and sent everything entered here again. Nothing was lost."},
    {"gui.sync.hub_restored", "ศูนย์ถูกกู้คืน: ส่งซ้ำ {0} รายการ", "Hub restored: {0} sent again"},
    {"gui.sync.hub_restored_tip",
     "เมื่อ {0} พบว่าเครื่องแม่ข่ายของจังหวัดถูกกู้คืนจากสำเนาเก่า เครื่องนี้จึงส่งข้อมูลที่บันทึกไว้ "
     "{1} รายการซ้ำ และรับข้อมูลใหม่ทั้งหมด ไม่ต้องทำอะไรเพิ่ม",
     "On {0} the province's hub was found restored from an older copy: this computer sent its {1} "
     "entries again and fetched everything anew. Nothing to do."},
    {"gui.sync.last", "ซิงค์ล่าสุด: {0}", "Last sync: {0}"},
    {"gui.sync.live", "ออนไลน์ (รับแจ้งทันที)", "Online (live)"},
    {"gui.sync.never", "ยังไม่เคย", "never"},
    {"gui.sync.now", "ซิงค์เดี๋ยวนี้", "Sync now"},
    {"gui.sync.offline", "ออฟไลน์", "Offline"},
    {"gui.sync.online", "ออนไลน์", "Online"},
    {"gui.sync.pending", "รอส่ง: {0} รายการ", "Pending: {0}"},
    {"gui.sync.pending_row", "รอส่ง: 1 รายการ ({0} ค่า)", "Pending: 1 entry ({0} changes)"},
    {"gui.sync.pending_rows", "รอส่ง: {0} รายการ ({1} ค่า)", "Pending: {0} entries ({1} changes)"},
    {"gui.sync.pulling", "รับข้อมูล {0} รายการ", "pulled {0}"},
    {"gui.sync.pushing", "ส่งข้อมูล {0} รายการ", "pushed {0}"},
    {"gui.sync.rejected", "ศูนย์ปฏิเสธ {0} รายการ", "{0} refused by the hub"},
    {"gui.tab.all_warnings", "คำเตือนทุกอำเภอ", "All warnings"},
    {"gui.tab.award", "รางวัลรายงานดีเด่น", "Report Award"},
    {"gui.tab.charts", "กราฟ", "Charts"},
    {"gui.tab.conflicts", "ข้อขัดแย้ง ({0})", "Conflicts ({0})"},
    {"gui.tab.entry", "บันทึกข้อมูล", "Enter data"},
    {"gui.tab.fleet", "สถานะเครื่อง", "Fleet"},
    {"gui.tab.forms", "สั่งงาน / เป้าหมาย", "Tasks & targets"},
    {"gui.tab.overview", "สถานะรายอำเภอ", "District status"},
    {"gui.tab.refused", "ศูนย์ปฏิเสธ ({0})", "Refused ({0})"},
    {"gui.tab.reports", "การส่งรายงาน", "Reports"},
    {"gui.tab.tasks", "งานที่ต้องส่ง", "Tasks"},
    {"gui.tab.verify", "รอตรวจสอบ ({0})", "To verify ({0})"},
    {"gui.tab.warnings", "คำเตือน ({0})", "Warnings ({0})"},
    {"gui.targetform.baht", "เป้าหมาย (บาท)", "Target (baht)"},
    {"gui.targetform.current", "เป้าหมายปัจจุบัน: {0}", "Current target: {0}"},
    {"gui.targetform.households", "เป้าหมาย (ครัวเรือน)", "Target (households)"},
    {"gui.targetform.intro", "เป้าหมายของปีงบประมาณ {0} ต่ออำเภอ",
     "Targets of fiscal year {0} per district"},
    {"gui.targetform.no_current", "ยังไม่มีเป้าหมาย", "No target yet"},
    {"gui.targetform.save", "บันทึกเป้าหมาย", "Save target"},
    {"gui.targetform.saved", "บันทึกเป้าหมาย {0}: {1} แล้ว", "Target saved for {0}: {1}"},
    {"gui.targetform.title", "กำหนดเป้าหมาย", "Set a target"},
    {"gui.targetform.whole", "ทั้งอำเภอ (งบประมาณรวม)", "Whole district (total allocation)"},
    {"gui.task.doc_ref", "เลขที่หนังสือ / เอกสารอ้างอิง", "Letter or document reference"},
    {"gui.task.done", "ส่งแล้ว", "done"},
    {"gui.task.later", "ยังไม่ถึงกำหนด", "not yet due"},
    {"gui.task.open", "ยังไม่ส่ง", "not submitted"},
    {"gui.task.returned", "ถูกส่งคืนให้แก้ไข", "returned for correction"},
    {"gui.task.submit", "ส่งงาน", "Submit"},
    {"gui.task.submitted", "ส่งแล้ว {0}", "submitted {0}"},
    {"gui.task.submitted_late", "ส่งช้า {0}", "submitted late {0}"},
    {"gui.task.submitted_msg", "บันทึกการส่งงานแล้ว: {0}", "Submission recorded: {0}"},
    {"gui.taskform.all", "ทั้งหมด", "All"},
    {"gui.taskform.create", "สร้างงาน", "Create task"},
    {"gui.taskform.created", "สร้างงาน \"{0}\" ให้ {1} อำเภอแล้ว",
     "Task \"{0}\" created for {1} districts"},
    {"gui.taskform.directive", "หนังสือสั่งการ", "Directive letter"},
    {"gui.taskform.districts", "อำเภอที่ต้องส่ง ({0})", "Districts ({0})"},
    {"gui.taskform.due", "วันครบกำหนด", "Due date"},
    {"gui.taskform.issued", "วันที่สั่งการ", "Issued"},
    {"gui.taskform.letter", "เลขที่หนังสือ", "Letter number"},
    {"gui.taskform.monthly", "รายงานประจำเดือน", "Monthly report"},
    {"gui.taskform.no_group", "ไม่ระบุกลุ่มงาน", "No work group"},
    {"gui.taskform.none", "ไม่เลือก", "None"},
    {"gui.taskform.subject", "ชื่อเรื่อง", "Title"},
    {"gui.taskform.title", "สั่งงานใหม่", "New task"},
    {"gui.tasks.none", "ไม่มีงานที่ได้รับมอบหมาย", "No tasks assigned"},
    {"gui.tasks.province", "รายการงานของอำเภอแสดงที่เครื่องของอำเภอ",
     "The district's own client lists its tasks"},
    {"gui.tile.award", "รางวัลรายงานเดือนนี้", "Report Award this month"},
    {"gui.tile.award_detail", "{0}/{1} คะแนน · ตรง {2} ช้า {3} ขาด {4} ตีกลับ {5}",
     "{0}/{1} points · on time {2}, late {3}, missing {4}, returned {5}"},
    {"gui.tile.bmn", "ข้อมูล จปฐ.", "BMN survey"},
    {"gui.tile.budget", "การเบิกจ่ายงบประมาณ", "Budget disbursed"},
    {"gui.tile.households", "บันทึกแล้ว {0} / {1} ครัวเรือน", "{0} / {1} households entered"},
    {"gui.tile.none_open", "ไม่มีคำเตือนค้าง", "none open"},
    {"gui.tile.target", "เป้าสะสม {0}", "target {0}"},
    {"gui.tile.tasks", "งานค้างส่ง", "Tasks open"},
    {"gui.tile.tasks_detail", "เลยกำหนด {0} · ใกล้กำหนด {1} · ส่งแล้ว {2}/{3}",
     "overdue {0} · due soon {1} · submitted {2}/{3}"},
    {"gui.tile.warnings", "คำเตือนที่ยังไม่รับทราบ", "Open warnings"},
    {"gui.tile.worst", "สูงสุด: {0}", "highest: {0}"},
    {"gui.unverified", "ยังไม่ได้ตรวจสอบ", "not verified"},
    {"gui.verified_by", "ตรวจสอบโดย {0}", "verified by {0}"},
    {"gui.verify.done", "ยืนยันข้อมูลแล้ว", "Verified"},
    {"gui.verify.none", "ไม่มีข้อมูลรอตรวจสอบ", "Nothing waits for verification"},
    {"gui.verify.note", "เหตุผลที่ส่งคืน (จำเป็น)", "Why it is returned (required)"},
    {"gui.verify.ok", "ยืนยัน", "Verify"},
    {"gui.verify.return", "ส่งคืนแก้ไข", "Return"},
    {"gui.verify.returned", "ส่งคืนให้อำเภอแก้ไขแล้ว", "Returned to the district"},
    {"gui.warning.acked_by", "รับทราบโดย {0} {1}", "acknowledged by {0} {1}"},
    {"gui.warning.answer", "ตอบรับ", "Answer"},
    {"gui.warning.disputed", "โต้แย้งแล้ว รอจังหวัดพิจารณา", "disputed, awaiting the province"},
    {"gui.warning.local", "(ประเมินในเครื่อง)", "(raised on this computer)"},
    {"gui.warning.open", "ยังไม่รับทราบ", "not acknowledged"},
    {"gui.warnings.none", "ไม่มีคำเตือน", "No warnings"},

    // --- web (hub/src/web*.cpp, assets/web) ---
    {"web.letter.close.demand", "จึงเรียนมาเพื่อโปรดดำเนินการโดยด่วน", "For your urgent action."},
    {"web.letter.close.warning", "จึงเรียนมาเพื่อโปรดทราบและดำเนินการ",
     "For your information and action."},
    {"web.letter.heading", "บันทึกข้อความ", "Memorandum"},
    {"web.letter.kind.demand", "หนังสือทวงถาม", "Demand letter"},
    {"web.letter.kind.warning", "หนังสือเตือน", "Warning letter"},
    {"web.letter.para1.bmn",
     "ตามที่จังหวัดลำปางได้กำหนดเป้าหมายการจัดเก็บและบันทึกข้อมูลความจำเป็นพื้นฐาน (จปฐ.) "
     "ประจำปีงบประมาณ พ.ศ. {1} ของสำนักงานพัฒนาชุมชนอำเภอ{0} นั้น",
     "Lampang Province set the {0} District Community Development Office its targets for "
     "collecting "
     "and entering the Basic Minimum Needs (BMN) survey in fiscal year {1}."},
    {"web.letter.para1.budget",
     "ตามที่จังหวัดลำปางได้กำหนดเป้าหมายการเบิกจ่ายงบประมาณสะสม ประจำปีงบประมาณ พ.ศ. {1} "
     "ของสำนักงานพัฒนาชุมชนอำเภอ{0} นั้น",
     "Lampang Province set the {0} District Community Development Office its cumulative budget "
     "disbursement targets for fiscal year {1}."},
    {"web.letter.para1.task",
     "ตามที่จังหวัดลำปางได้แจ้งให้สำนักงานพัฒนาชุมชนอำเภอ{0} ดำเนินการเรื่อง {1} "
     "และส่งผลให้จังหวัดภายในวันที่ {2} นั้น",
     "Lampang Province asked the {0} District Community Development Office to carry out \"{1}\" "
     "and "
     "send the result by {2}."},
    {"web.letter.para2",
     "ศูนย์เฝ้าระวังและเตือนภัยจังหวัดลำปาง (LWC) ได้ตรวจสอบแล้ว พบว่า {0} (ข้อมูล ณ {1} ที่มา: {2})",
     "The Lampang Warning Center (LWC) has checked and found: {0} (data as of {1}, source: {2})."},
    {"web.letter.para3.demand",
     "จึงขอให้สำนักงานพัฒนาชุมชนอำเภอ{0} ดำเนินการโดยด่วนและรายงานผลให้จังหวัดทราบ "
     "หากมีเหตุขัดข้องขอให้ชี้แจงเหตุผลผ่านระบบ LWC",
     "The {0} District Community Development Office is asked to act without delay and report to "
     "the "
     "province; if something prevents it, please give the reason in LWC."},
    {"web.letter.para3.warning",
     "จึงขอให้สำนักงานพัฒนาชุมชนอำเภอ{0} เร่งรัดดำเนินการให้แล้วเสร็จภายในกำหนด "
     "และบันทึกผลการดำเนินงานในระบบ LWC",
     "The {0} District Community Development Office is asked to complete it on time and record the "
     "result in LWC."},
    {"web.letter.ref", "หนังสือจังหวัดลำปาง ที่ {0} ลงวันที่ {1}", "Lampang Province letter {0} of {1}"},
    {"web.letter.signer", "พัฒนาการจังหวัดลำปาง", "Lampang Provincial Community Development Officer"},
    {"web.letter.subject.demand", "ทวงถามการดำเนินงาน {0}", "Demand for action: {0}"},
    {"web.letter.subject.warning", "แจ้งเตือนการดำเนินงาน {0}", "Reminder: {0}"},
    {"web.letter.to", "พัฒนาการอำเภอ{0}", "The {0} District Community Development Officer"},
    {"web.letter.unverified", " (ข้อมูลยังไม่ผ่านการตรวจสอบของจังหวัด)",
     " (the data is not yet verified by the province)"},
    {"web.month.1", "มกราคม", "January"},
    {"web.month.10", "ตุลาคม", "October"},
    {"web.month.11", "พฤศจิกายน", "November"},
    {"web.month.12", "ธันวาคม", "December"},
    {"web.month.2", "กุมภาพันธ์", "February"},
    {"web.month.3", "มีนาคม", "March"},
    {"web.month.4", "เมษายน", "April"},
    {"web.month.5", "พฤษภาคม", "May"},
    {"web.month.6", "มิถุนายน", "June"},
    {"web.month.7", "กรกฎาคม", "July"},
    {"web.month.8", "สิงหาคม", "August"},
    {"web.month.9", "กันยายน", "September"},
    {"web.no_data", "ยังไม่มีข้อมูล", "no data yet"},
    {"web.source.submission", "การส่งงานในระบบ LWC", "submissions in LWC"},
    {"web.source.unknown", "ไม่ระบุ", "not stated"},
};

}  // namespace

std::span<const Text> all_texts() {
  return kTexts;
}

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
