// Data the hub starts with: reference data (always) and the Lampang demo (init --demo).
#pragma once

#include <string>
#include <vector>

#include "lwc/hub/accounts.h"
#include "lwc/store.h"

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

// FY 2570 targets, district budget and BMN figures, and directive letters and monthly reports with
// deadlines around `now_ms` (some before, one today, some after), plus the demo accounts.
Status seed_demo(Store& store, Accounts& accounts, int64_t now_ms);
// Part of seed_demo: two past reports with a mixed record (on time, late, returned, missing), BMN
// figures for most districts and the province's verification of some budget figures.
Status seed_demo_history(Store& store, int64_t now_ms);

}  // namespace lwc::hub
