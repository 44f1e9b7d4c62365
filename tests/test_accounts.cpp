#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "lwc/hub/accounts.h"
#include "lwc/id.h"
#include "temp_dir.h"

using namespace lwc;
using namespace lwc::hub;

namespace {
constexpr int64_t kT0 = 1'795'600'000'000;
constexpr int64_t kTtl = 3'600'000;

std::unique_ptr<Accounts> open_accounts(test::TempDir& dir, const Clock& clock) {
  auto a = Accounts::open(
      dir.file("accounts.db"), clock, kTtl,
      LoginLimits{
          .max_failures = 3, .max_address_failures = 6, .window_ms = 60'000, .max_keys = 32});
  REQUIRE(a.ok());
  REQUIRE((*a)->add_user("maemo", Role::kDistrict, "5202", "", "correct horse").ok());
  return std::move(a).value();
}
}  // namespace

TEST_CASE("accounts: passwords are stored only as argon2id hashes", "[accounts]") {
  test::TempDir dir;
  FakeClock clock(kT0);
  auto accounts = open_accounts(dir, clock);
  auto db = sql::Db::open(dir.file("accounts.db"));
  auto st = db->prepare("SELECT pw_hash FROM users WHERE name='maemo'");
  REQUIRE(st->step());
  const std::string hash = st->col_text(0);
  CHECK(hash.rfind("$argon2id$", 0) == 0);
  CHECK(hash.find("correct horse") == std::string::npos);
}

TEST_CASE("accounts: bad user definitions are refused", "[accounts]") {
  test::TempDir dir;
  FakeClock clock(kT0);
  auto accounts = open_accounts(dir, clock);
  CHECK(accounts->add_user("maemo", Role::kDistrict, "5202", "", "another pass").code() ==
        Code::kAlreadyExists);
  CHECK(accounts->add_user("x", Role::kDistrict, "9999", "", "long enough").code() ==
        Code::kInvalidArgument);
  CHECK(accounts->add_user("y", Role::kProvince, "5201", "", "long enough").code() ==
        Code::kInvalidArgument);
  CHECK(accounts->add_user("z", Role::kProvince, "", "", "short").code() == Code::kInvalidArgument);
}

TEST_CASE("accounts: login issues a token that authenticates until it expires", "[accounts]") {
  test::TempDir dir;
  FakeClock clock(kT0);
  auto accounts = open_accounts(dir, clock);
  const std::string device = new_id();
  auto login = accounts->login("maemo", "correct horse", device, "laptop", "0.1.0", "10.0.0.1");
  REQUIRE(login.ok());
  CHECK(login->token.size() == 64);
  CHECK(login->principal.district == "5202");
  auto session = accounts->authenticate(login->token);
  REQUIRE(session.ok());
  CHECK(session->device_id == device);
  CHECK(session->principal.role == Role::kDistrict);
  // The token is stored only as a hash.
  auto db = sql::Db::open(dir.file("accounts.db"));
  auto st = db->prepare("SELECT count(*) FROM tokens WHERE hash=?1");
  st->bind(1, login->token);
  REQUIRE(st->step());
  CHECK(st->col_int(0) == 0);

  clock.advance_ms(kTtl);
  auto expired = accounts->authenticate(login->token);
  CHECK(expired.status().code() == Code::kUnauthenticated);
  CHECK_THAT(expired.status().message(), Catch::Contains("expired"));
}

TEST_CASE("accounts: wrong password and unknown user read the same", "[accounts]") {
  test::TempDir dir;
  FakeClock clock(kT0);
  auto accounts = open_accounts(dir, clock);
  auto wrong = accounts->login("maemo", "wrong", new_id(), "", "", "10.0.0.1");
  auto unknown = accounts->login("nobody", "wrong", new_id(), "", "", "10.0.0.2");
  CHECK(wrong.status().code() == Code::kUnauthenticated);
  CHECK(unknown.status().code() == Code::kUnauthenticated);
  CHECK(wrong.status().message() == unknown.status().message());
}

TEST_CASE("accounts: a guesser is slowed per account and address, nobody else is locked out",
          "[accounts]") {
  test::TempDir dir;
  FakeClock clock(kT0);
  auto accounts = open_accounts(dir, clock);
  REQUIRE(accounts->add_user("thoen", Role::kDistrict, "5208", "", "thoen password").ok());
  auto code = [&](const char* user, const char* password, const char* address) {
    return accounts->login(user, password, new_id(), "", "", address).status().code();
  };
  for (int i = 0; i < 3; ++i) CHECK(code("maemo", "guess", "10.0.0.1") == Code::kUnauthenticated);
  // That account from that address waits, even with the right password...
  CHECK(code("maemo", "correct horse", "10.0.0.1") == Code::kRateLimited);
  // ...but a colleague behind the same address is not blocked, nor the officer elsewhere.
  CHECK(code("thoen", "thoen password", "10.0.0.1") == Code::kOk);
  CHECK(code("maemo", "correct horse", "10.9.9.9") == Code::kOk);
  // A good login starts its pair again: two slips, a success, two slips, and still in.
  for (int i = 0; i < 2; ++i) CHECK(code("thoen", "typo", "10.3.3.3") == Code::kUnauthenticated);
  CHECK(code("thoen", "thoen password", "10.3.3.3") == Code::kOk);
  for (int i = 0; i < 2; ++i) CHECK(code("thoen", "typo", "10.3.3.3") == Code::kUnauthenticated);
  CHECK(code("thoen", "thoen password", "10.3.3.3") == Code::kOk);
  // One address guessing many names spends the address's larger budget (6), then waits.
  for (int i = 0; i < 6; ++i) {
    CHECK(code(("user" + std::to_string(i)).c_str(), "x", "10.1.1.1") == Code::kUnauthenticated);
  }
  CHECK(code("thoen", "thoen password", "10.1.1.1") == Code::kRateLimited);
  CHECK(code("thoen", "thoen password", "10.2.2.2") == Code::kOk);
  // The window passes.
  clock.advance_ms(60'001);
  CHECK(code("maemo", "correct horse", "10.0.0.1") == Code::kOk);
  CHECK(code("thoen", "thoen password", "10.1.1.1") == Code::kOk);
}

TEST_CASE("accounts: parallel guesses are counted at once: twelve at a limit of three check three",
          "[accounts]") {
  test::TempDir dir;
  FakeClock clock(kT0);
  auto accounts = open_accounts(dir, clock);
  std::vector<std::thread> threads;
  std::atomic<int> checked{0}, limited{0};
  for (int i = 0; i < 12; ++i) {
    threads.emplace_back([&] {
      const Code c =
          accounts->login("maemo", "guess", new_id(), "", "", "10.0.0.1").status().code();
      (c == Code::kUnauthenticated ? checked : limited)++;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(checked == 3);
  CHECK(limited == 9);
}

TEST_CASE("accounts: the failure table stays bounded: no huge names kept, the stalest entries go",
          "[accounts]") {
  test::TempDir dir;
  FakeClock clock(kT0);
  auto accounts = open_accounts(dir, clock);
  // A name longer than any account can have is counted against its address only.
  const std::string huge(1 << 20, 'x');
  CHECK(accounts->login(huge, "x", new_id(), "", "", "10.0.0.1").status().code() ==
        Code::kUnauthenticated);
  CHECK(accounts->tracked_failures() == 1);
  CHECK(accounts->tracked_failure_bytes() < 64);
  // Many addresses, each guessing: the table holds at most max_keys (32) entries.
  for (int i = 0; i < 40; ++i) {
    clock.advance_ms(1);
    (void)accounts->login("nobody", "x", new_id(), "", "", "10.5.0." + std::to_string(i));
  }
  CHECK(accounts->tracked_failures() <= 32);
  // What has expired is dropped when room is needed.
  clock.advance_ms(60'001);
  (void)accounts->login("nobody", "x", new_id(), "", "", "10.6.0.1");
  CHECK(accounts->tracked_failures() == 2);
}

TEST_CASE("accounts: tokens and devices can be revoked", "[accounts]") {
  test::TempDir dir;
  FakeClock clock(kT0);
  auto accounts = open_accounts(dir, clock);
  const std::string device = new_id();
  auto a = accounts->login("maemo", "correct horse", device, "", "", "ip");
  auto b = accounts->login("maemo", "correct horse", device, "", "", "ip");
  REQUIRE(accounts->revoke_token(a->token).ok());
  CHECK_THAT(accounts->authenticate(a->token).status().message(),
             Catch::Contains("token was revoked; log in again"));
  CHECK(accounts->authenticate(b->token).ok());
  REQUIRE(accounts->revoke_device(device).ok());
  Status gone = accounts->authenticate(b->token).status();
  CHECK(gone.code() == Code::kUnauthenticated);
  CHECK_THAT(gone.message(), Catch::Contains("device was revoked; ask the administrator"));
  CHECK(accounts->login("maemo", "correct horse", device, "", "", "ip").status().code() ==
        Code::kPermissionDenied);
  CHECK(accounts->revoke_device(new_id()).code() == Code::kNotFound);
}

TEST_CASE("accounts: new accounts, enrolled and revoked devices are audited", "[accounts]") {
  test::TempDir dir;
  FakeClock clock(kT0);
  auto accounts = open_accounts(dir, clock);  // adds maemo
  const std::string device = new_id();
  REQUIRE(accounts->login("maemo", "correct horse", device, "desk-1", "0.1.0", "10.0.0.7").ok());
  REQUIRE(accounts->login("maemo", "correct horse", device, "desk-1", "0.1.0", "10.0.0.7").ok());
  CHECK(accounts->login("maemo", "wrong horse", new_id(), "", "", "ip").status().code() ==
        Code::kUnauthenticated);  // no device enrolled, nothing audited
  REQUIRE(accounts->revoke_device(device).ok());
  CHECK(accounts->add_user("maemo", Role::kDistrict, "5202", "", "another one").code() ==
        Code::kAlreadyExists);  // refused: not audited

  auto log = accounts->audit_log();
  REQUIRE(log.ok());
  REQUIRE(log->size() == 3);  // the second login of the same device is not a new enrolment
  CHECK((*log)[0].action == "user_added");
  CHECK((*log)[0].user == "lwc-hub");
  CHECK_THAT((*log)[0].detail, Catch::Contains("\"district\":\"5202\""));
  CHECK((*log)[1].action == "device_enrolled");
  CHECK((*log)[1].user == "maemo");
  CHECK((*log)[1].device_id == device);
  CHECK_THAT((*log)[1].detail, Catch::Contains("\"address\":\"10.0.0.7\""));
  CHECK((*log)[2].action == "device_revoked");
  CHECK((*log)[2].device_id == device);
  CHECK((*log)[2].at_ms == kT0);
}

TEST_CASE("accounts: a device belongs to one account", "[accounts]") {
  test::TempDir dir;
  FakeClock clock(kT0);
  auto accounts = open_accounts(dir, clock);
  REQUIRE(accounts->add_user("thoen", Role::kDistrict, "5208", "", "thoen password").ok());
  const std::string device = new_id();
  REQUIRE(accounts->login("maemo", "correct horse", device, "", "", "ip").ok());
  CHECK(accounts->login("thoen", "thoen password", device, "", "", "ip").status().code() ==
        Code::kConflict);
  CHECK(accounts->login("maemo", "correct horse", "not-hex", "", "", "ip").status().code() ==
        Code::kInvalidArgument);
}

TEST_CASE("accounts: a device's last contact is its last pull, kept over a restart and a fork",
          "[accounts][claims]") {
  test::TempDir dir;
  FakeClock clock(kT0);
  const std::string device = new_id(), copy = new_id();
  {
    auto accounts = open_accounts(dir, clock);
    auto login = accounts->login("maemo", "correct horse", device, "laptop", "0.1.0", "10.0.0.1");
    REQUIRE(login.ok());
    auto session = accounts->authenticate(login->token);
    REQUIRE(session.ok());
    CHECK(*accounts->last_contact_ms(device) == kT0);  // never pulled: its enrolment
    CHECK(accounts->last_contact_ms(new_id()).status().code() == Code::kNotFound);
    clock.set_ms(kT0 + 3'600'000);
    REQUIRE(accounts->note_pull(device).ok());
    CHECK(*accounts->last_contact_ms(device) == kT0 + 3'600'000);
    clock.set_ms(kT0 + 3'630'000);  // within a minute: exact in memory, not written again
    REQUIRE(accounts->note_pull(device).ok());
    CHECK(*accounts->last_contact_ms(device) == kT0 + 3'630'000);
    clock.set_ms(kT0 + 7'200'000);
    REQUIRE(accounts->fork_device(*session, copy).ok());
    // A copy dates its claims from its original's last contact, not from the fork.
    CHECK(*accounts->last_contact_ms(copy) == kT0 + 3'630'000);
    auto devices = accounts->devices();
    REQUIRE(devices.ok());
    for (const Accounts::DeviceInfo& d : *devices) {
      if (d.device_id == device) CHECK(d.last_pull_ms == kT0 + 3'630'000);
    }
  }
  // After a restart, the last one written: at most a minute older.
  auto again = Accounts::open(dir.file("accounts.db"), clock, kTtl);
  REQUIRE(again.ok());
  CHECK(*(*again)->last_contact_ms(device) == kT0 + 3'600'000);
  CHECK(*(*again)->last_contact_ms(copy) == kT0 + 3'630'000);
}

TEST_CASE("accounts: a file from before last contacts were kept opens and gains them",
          "[accounts][claims]") {
  test::TempDir dir;
  FakeClock clock(kT0);
  const std::string device = new_id();
  {
    auto accounts = open_accounts(dir, clock);
    REQUIRE(accounts->login("maemo", "correct horse", device, "laptop", "0.1.0", "10.0.0.1").ok());
  }
  {  // the version 1 layout
    auto db = sql::Db::open(dir.file("accounts.db"));
    REQUIRE(db.ok());
    REQUIRE(db->exec("ALTER TABLE devices DROP COLUMN last_pull_ms; PRAGMA user_version=1").ok());
  }
  auto upgraded = Accounts::open(dir.file("accounts.db"), clock, kTtl);
  REQUIRE(upgraded.ok());
  CHECK(*(*upgraded)->last_contact_ms(device) == kT0);
  clock.set_ms(kT0 + 60'000);
  REQUIRE((*upgraded)->note_pull(device).ok());
  auto db = sql::Db::open(dir.file("accounts.db"));
  auto st = db->prepare("SELECT last_pull_ms FROM devices");
  REQUIRE(st.ok());
  REQUIRE(st->step());
  CHECK(st->col_int(0) == kT0 + 60'000);
  auto version = db->prepare("PRAGMA user_version");
  REQUIRE(version->step());
  CHECK(version->col_int(0) == 2);
}

TEST_CASE(
    "accounts: a token in use renews itself, an unused one lapses, a stream's check does not renew",
    "[accounts]") {
  test::TempDir dir;
  FakeClock clock(kT0);
  auto accounts = open_accounts(dir, clock);
  auto used = accounts->login("maemo", "correct horse", new_id(), "laptop", "0.1.0", "10.0.0.1");
  auto idle = accounts->login("maemo", "correct horse", new_id(), "desk", "0.1.0", "10.0.0.1");
  REQUIRE(used.ok());
  REQUIRE(idle.ok());
  // In its first half-life a use changes nothing.
  clock.set_ms(kT0 + kTtl / 4);
  REQUIRE(accounts->authenticate(used->token).ok());
  CHECK(accounts->authenticate(used->token)->expires_ms == kT0 + kTtl);
  // Used past it: a full lifetime from then, again and again (an office syncing now and then).
  int64_t at = kT0;
  for (int round = 1; round <= 5; ++round) {
    at += kTtl * 3 / 4;
    clock.set_ms(at);
    auto s = accounts->authenticate(used->token);
    REQUIRE(s.ok());
    CHECK(s->expires_ms == at + kTtl);
  }
  // The idle token ended at its first lifetime; a check (an open stream) renews nothing.
  CHECK(accounts->authenticate(idle->token).status().code() == Code::kUnauthenticated);
  clock.set_ms(at + kTtl * 3 / 4);
  auto checked = accounts->authenticate(used->token, Accounts::Renewal::kCheck);
  REQUIRE(checked.ok());
  CHECK(checked->expires_ms == at + kTtl);
  clock.set_ms(at + kTtl);
  CHECK(accounts->authenticate(used->token).status().code() == Code::kUnauthenticated);
}

TEST_CASE(
    "accounts: a new password ends every token of the account, a readmitted device logs in again",
    "[accounts]") {
  test::TempDir dir;
  FakeClock clock(kT0);
  auto accounts = open_accounts(dir, clock);
  const std::string laptop = new_id(), desk = new_id();
  auto a = accounts->login("maemo", "correct horse", laptop, "laptop", "0.1.0", "10.0.0.1");
  auto b = accounts->login("maemo", "correct horse", desk, "desk", "0.1.0", "10.0.0.1");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  const uint64_t before = *accounts->generation();
  CHECK(accounts->set_password("maemo", "short").code() == Code::kInvalidArgument);
  CHECK(accounts->set_password("nobody", "long enough").code() == Code::kNotFound);
  CHECK(accounts->authenticate(a->token).ok());  // a refused change changed nothing
  REQUIRE(accounts->set_password("maemo", "battery staple").ok());
  CHECK(*accounts->generation() != before);  // open streams look again
  CHECK(accounts->authenticate(a->token).status().code() == Code::kUnauthenticated);
  CHECK(accounts->authenticate(b->token).status().code() == Code::kUnauthenticated);
  CHECK(accounts->login("maemo", "correct horse", laptop, "laptop", "0.1.0", "10.0.0.1")
            .status()
            .code() == Code::kUnauthenticated);
  auto again = accounts->login("maemo", "battery staple", laptop, "laptop", "0.1.0", "10.0.0.1");
  REQUIRE(again.ok());
  CHECK(accounts->authenticate(again->token).ok());

  // A revoked device cannot log in until it is readmitted; its old tokens stay ended.
  REQUIRE(accounts->revoke_device(laptop).ok());
  CHECK(accounts->login("maemo", "battery staple", laptop, "laptop", "0.1.0", "10.0.0.1")
            .status()
            .code() == Code::kPermissionDenied);
  CHECK(accounts->readmit_device(desk).code() == Code::kInvalidArgument);  // not revoked
  CHECK(accounts->readmit_device(new_id()).code() == Code::kNotFound);
  REQUIRE(accounts->readmit_device(laptop).ok());
  CHECK(accounts->authenticate(again->token).status().code() == Code::kUnauthenticated);
  auto back = accounts->login("maemo", "battery staple", laptop, "laptop", "0.1.0", "10.0.0.1");
  REQUIRE(back.ok());
  CHECK(accounts->authenticate(back->token).ok());
  std::vector<std::string> actions;
  auto log = accounts->audit_log();
  REQUIRE(log.ok());
  for (const AuditEntry& e : *log) actions.push_back(e.action);
  CHECK(std::count(actions.begin(), actions.end(), "password_changed") == 1);
  CHECK(std::count(actions.begin(), actions.end(), "device_readmitted") == 1);
}
