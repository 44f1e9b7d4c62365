// Data the hub starts with: reference data (always) and the Lampang demo (init --demo).
#pragma once

#include <string>
#include <vector>

#include "lwc/hub/accounts.h"
#include "lwc/store.h"
#include "lwc/warnings.h"

namespace lwc::hub {

// Writes the districts and work groups from assets_dir, and the two standard indicators, as
// province-scoped rows. Run once, on `init`.
Status seed_reference(Store& store, const std::string& assets_dir);

struct DemoAccount {
  const char* user;
  Role role;
  const char* district;
  const char* password;
};
// The demo accounts (also listed in the README).
const std::vector<DemoAccount>& demo_accounts();

// The demo province at `now_ms`, the same story on any day of the year: the demo accounts; targets
// of the fiscal year of now; budget and BMN figures spread around this week's target curves (some
// districts ahead, some behind); directive letters and monthly reports due on the previous working
// day (a demand), today (follow), the next working day (warn) and later; and seed_demo_history.
// No warning is born escalated (acknowledge_overdue_demands). `rules` are the hub's.
Status seed_demo(Store& store, Accounts& accounts, const RulesConfig& rules, int64_t now_ms);
// seed_demo without the accounts.
Status seed_demo_data(Store& store, const RulesConfig& rules, int64_t now_ms);
// Part of seed_demo_data: two past reports with a mixed record (on time, late, returned, missing) —
// one due last month, one a few days ago (this month, unless the month is only days old) — BMN
// figures for most districts and the province's verification of some budget figures.
Status seed_demo_history(Store& store, const RulesConfig& rules, int64_t now_ms);
// Part of seed_demo_data: every demand that would be escalated at now_ms is acknowledged by its
// district halfway through its response time, so a new demo shows demands, never escalations
// nobody had the chance to prevent. Escalations come later, from demands left unanswered.
Status acknowledge_overdue_demands(Store& store, const RulesConfig& rules, int64_t now_ms);

}  // namespace lwc::hub
