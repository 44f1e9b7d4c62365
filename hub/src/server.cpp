// The only translation unit that includes Boost.Beast and Asio SSL (slow to compile: keep it
// apart).
#include "lwc/hub/server.h"

#include <openssl/ssl.h>
#include <sys/resource.h>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <deque>
#include <iostream>
#include <map>
#include <mutex>

#include "lwc/model.h"

namespace lwc::hub {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using error_code = beast::error_code;

namespace {

struct Shared {
  HubService& service;
  const HubConfig& config;
  net::thread_pool& workers;
  std::atomic<bool> stopping{false};
  // Open connections, and the most the hub serves at once: beyond it a connection is answered
  // 503 and closed (below the process's file limit, so that the answer can still be sent).
  std::atomic<size_t> connections{0};
  size_t max_connections = 0;
  std::mutex streams_mu;
  std::map<std::string, size_t> streams_by_address;  // guarded by streams_mu: open event streams
};

// The hub's security headers, on every response (the event streams' included).
constexpr const char* kHsts = "max-age=31536000";

// TLS 1.2 with forward secrecy and AEAD only (no CBC, no RSA key exchange); TLS 1.3 keeps
// OpenSSL's own list, which is AEAD only.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305";

Request to_request(http::request<http::string_body>&& req, const std::string& remote) {
  Request r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  for (const auto& f : req) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = std::string(f.value());
  }
  r.body = std::move(req.body());
  r.remote_address = remote;
  return r;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `over_capacity`: the hub already serves max_connections; this one is answered 503.
  Session(tcp::socket&& socket, ssl::context& ctx, Shared& shared, bool over_capacity)
      : stream_(std::move(socket), ctx),
        shared_(shared),
        over_capacity_(over_capacity),
        heartbeat_(stream_.get_executor()) {
    error_code ec;
    auto ep = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
    ++shared_.connections;
  }
  ~Session() {
    if (subscription_) bus_->unsubscribe(subscription_);
    release_stream_slot();
    --shared_.connections;
  }

  void run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::on_run, shared_from_this()));
  }

 private:
  std::chrono::seconds read_timeout() const {
    // A connection that is only told "busy" gets a few seconds, not the whole read timeout.
    return std::chrono::seconds(over_capacity_ ? std::min<int64_t>(5, shared_.config.read_timeout_s)
                                               : shared_.config.read_timeout_s);
  }

  void on_run() {
    beast::get_lowest_layer(stream_).expires_after(read_timeout());
    stream_.async_handshake(ssl::stream_base::server,
                            beast::bind_front_handler(&Session::on_handshake, shared_from_this()));
  }

  void on_handshake(error_code ec) {
    if (ec) return;  // not TLS, or a TLS version we do not offer
    do_read();
  }

  void do_read() {
    parser_.emplace();
    parser_->body_limit(shared_.config.max_body_bytes);
    parser_->header_limit(16 * 1024);
    beast::get_lowest_layer(stream_).expires_after(
        std::chrono::seconds(shared_.config.idle_timeout_s));
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(error_code ec, size_t) {
    if (ec == http::error::end_of_stream) return do_close();
    if (ec == http::error::body_limit) {
      return write(
          error_response(Status(Code::kTooLarge, "the body is larger than " +
                                                     std::to_string(shared_.config.max_body_bytes) +
                                                     " bytes")),
          /*keep_alive=*/false, 11);
    }
    if (ec == http::error::header_limit) {
      return write(error_response(Status(Code::kTooLarge, "the headers are larger than 16 KiB")),
                   false, 11);
    }
    if (ec) return;  // timeout, reset, or garbage: drop the connection
    http::request<http::string_body> req = parser_->release();
    const bool keep_alive = req.keep_alive();
    const unsigned version = req.version();
    if (over_capacity_) {
      Response busy = error_response(
          Status(Code::kUnavailable, "the hub is serving too many connections; try again shortly"));
      busy.headers.emplace_back("Retry-After", "5");
      return write(std::move(busy), false, version);
    }
    Request r = to_request(std::move(req), remote_);
    if (r.method == "GET" && r.target.rfind("/v1/events", 0) == 0)
      return start_events(std::move(r));
    if (r.method == "GET" &&
        (r.target == "/v1/status/events" || r.target.rfind("/v1/status/events?", 0) == 0)) {
      return start_status_events(std::move(r));
    }

    net::post(shared_.workers,
              [self = shared_from_this(), r = std::move(r), keep_alive, version]() mutable {
                Response resp = self->shared_.service.handle(r);
                net::post(self->stream_.get_executor(),
                          [self, resp = std::move(resp), keep_alive, version]() mutable {
                            self->write(std::move(resp), keep_alive, version);
                          });
              });
  }

  void write(Response resp, bool keep_alive, unsigned version) {
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(resp.status), version);
    res->set(http::field::server, "lwc-hub");
    res->set(http::field::content_type, resp.content_type);
    res->set(http::field::strict_transport_security, kHsts);
    res->set("X-Content-Type-Options", "nosniff");
    for (auto& [name, value] : resp.headers) res->set(name, value);
    res->body() = std::move(resp.body);
    res->keep_alive(keep_alive && !shared_.stopping);
    res->prepare_payload();
    beast::get_lowest_layer(stream_).expires_after(read_timeout());
    http::async_write(stream_, *res, [self = shared_from_this(), res](error_code ec, size_t) {
      if (ec) return;
      if (res->need_eof()) return self->do_close();
      self->do_read();
    });
  }

  void do_close() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = shared_from_this()](error_code) {});
  }

  // --- Server-Sent Events ---------------------------------------------------------------------
  // One address holds at most max_streams_per_address streams of both kinds (taken before the
  // token is checked, so unauthenticated ones count too); the slot is given back at close.
  bool take_stream_slot() {
    std::lock_guard lock(shared_.streams_mu);
    size_t& open = shared_.streams_by_address[remote_];
    if (open >= shared_.config.max_streams_per_address) {
      if (open == 0) shared_.streams_by_address.erase(remote_);
      return false;
    }
    ++open;
    holds_stream_slot_ = true;
    return true;
  }
  void release_stream_slot() {
    if (!holds_stream_slot_) return;
    holds_stream_slot_ = false;
    std::lock_guard lock(shared_.streams_mu);
    auto it = shared_.streams_by_address.find(remote_);
    if (it != shared_.streams_by_address.end() && --it->second == 0) {
      shared_.streams_by_address.erase(it);
    }
  }
  void refuse_stream(const char* why) {
    Response busy = error_response(Status(Code::kRateLimited, why));
    busy.headers.emplace_back("Retry-After", "30");
    write(std::move(busy), false, 11);
  }

  void start_events(Request r) {
    if (!take_stream_slot()) return refuse_stream("too many event streams from this address");
    net::post(shared_.workers, [self = shared_from_this(), r = std::move(r)]() {
      auto session = self->shared_.service.authenticate(r);
      std::function<bool()> guard;
      if (session.ok()) {
        guard = self->shared_.service.stream_guard(*session, r.header("authorization").substr(7));
      }
      net::post(self->stream_.get_executor(), [self, session = std::move(session),
                                               guard = std::move(guard)]() mutable {
        if (!session.ok()) return self->write(error_response(session.status()), false, 11);
        self->open_stream(self->shared_.service.events(), read_filter(session->principal),
                          "{\"device_id\":\"" + session->device_id + "\"}", std::move(guard));
      });
    });
  }

  // The web page's stream: debounced "status" events without data rows; public unless hub.json
  // "web": {"public": false}, then it needs a bearer token like /v1/events.
  void start_status_events(Request r) {
    if (shared_.service.status_events().size() >= shared_.config.web.max_streams) {
      return refuse_stream("too many live status pages are open; try again later");
    }
    if (!take_stream_slot()) return refuse_stream("too many event streams from this address");
    if (shared_.config.web.public_page) {
      return open_stream(shared_.service.status_events(), ScopeFilter::everything(), "{}");
    }
    net::post(shared_.workers, [self = shared_from_this(), r = std::move(r)]() {
      auto session = self->shared_.service.authenticate(r);
      net::post(self->stream_.get_executor(), [self, ok = session.ok(),
                                               status = session.status()]() {
        if (!ok) return self->write(error_response(status), false, 11);
        self->open_stream(self->shared_.service.status_events(), ScopeFilter::everything(), "{}");
      });
    });
  }

  // `guard` (empty: none) is asked before every event and heartbeat, on the publishing or a
  // worker thread: once it says no (token revoked or expired, device revoked), the stream closes
  // and receives nothing more.
  void open_stream(EventBus& bus, ScopeFilter filter, const std::string& hello,
                   std::function<bool()> guard = {}) {
    std::weak_ptr<Session> weak = shared_from_this();
    auto exec = stream_.get_executor();
    bus_ = &bus;
    guard_ = guard;
    subscription_ =
        bus.subscribe(std::move(filter), [weak, exec, guard](const std::string& message) {
          const bool allowed = !guard || guard();
          net::post(exec, [weak, message, allowed]() {
            auto self = weak.lock();
            if (!self) return;
            if (!allowed) return self->close_stream();
            self->enqueue(message);
          });
        });
    enqueue(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
        "Cache-Control: no-cache\r\nConnection: close\r\nX-Accel-Buffering: no\r\n"
        "X-Content-Type-Options: nosniff\r\nStrict-Transport-Security: " +
        std::string(kHsts) +
        "\r\n\r\n"
        "retry: 3000\n\nevent: hello\ndata: " +
        hello + "\n\n");
    schedule_heartbeat();
  }

  void schedule_heartbeat() {
    heartbeat_.expires_after(std::chrono::seconds(shared_.config.heartbeat_s));
    heartbeat_.async_wait([self = shared_from_this()](error_code ec) {
      if (ec || self->closed_) return;
      if (!self->guard_) {
        self->enqueue(": heartbeat\n\n");
        return self->schedule_heartbeat();
      }
      net::post(self->shared_.workers, [self] {  // the guard may read accounts.db
        const bool allowed = self->guard_();
        net::post(self->stream_.get_executor(), [self, allowed] {
          if (!allowed) return self->close_stream();
          self->enqueue(": heartbeat\n\n");
          self->schedule_heartbeat();
        });
      });
    });
  }

  void enqueue(std::string message) {
    if (closed_) return;
    if (queue_.size() >= shared_.config.max_event_queue) return close_stream();  // too slow
    queue_.push_back(std::move(message));
    if (!writing_) write_next();
  }

  void write_next() {
    writing_ = true;
    beast::get_lowest_layer(stream_).expires_after(read_timeout());
    net::async_write(stream_, net::buffer(queue_.front()),
                     [self = shared_from_this()](error_code ec, size_t) {
                       self->queue_.pop_front();
                       if (ec) return self->close_stream();
                       if (self->queue_.empty()) {
                         self->writing_ = false;
                         beast::get_lowest_layer(self->stream_).expires_never();
                       } else {
                         self->write_next();
                       }
                     });
  }

  void close_stream() {
    if (closed_) return;
    closed_ = true;
    heartbeat_.cancel();
    if (subscription_) bus_->unsubscribe(subscription_);
    subscription_ = 0;
    release_stream_slot();
    error_code ec;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(stream_).close();
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string remote_;
  const bool over_capacity_;
  bool holds_stream_slot_ = false;  // IO thread only
  std::function<bool()> guard_;     // set once when the stream opens
  // event stream state (IO thread only)
  net::steady_timer heartbeat_;
  EventBus* bus_ = nullptr;  // the bus subscription_ belongs to
  uint64_t subscription_ = 0;
  std::deque<std::string> queue_;
  bool writing_ = false;
  bool closed_ = false;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, ssl::context& ctx, tcp::acceptor acceptor, Shared& shared)
      : ioc_(ioc), ctx_(ctx), acceptor_(std::move(acceptor)), shared_(shared), retry_(ioc) {}

  void start() { do_accept(); }
  void stop() {
    error_code ec;
    acceptor_.close(ec);
    retry_.cancel();
  }

 private:
  void do_accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
  }
  void on_accept(error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || shared_.stopping) return;
    if (ec) {
      // Out of file descriptors (or memory): accepting again at once would fail at once, a full
      // core spinning while every office times out. Wait a little; the connection waits in the
      // backlog meanwhile.
      const auto now = std::chrono::steady_clock::now();
      if (now - last_complaint_ > std::chrono::minutes(1)) {
        last_complaint_ = now;
        std::cerr << "lwc-hub: accept failed (" << ec.message() << "); " << shared_.connections
                  << " connections open, retrying" << std::endl;
      }
      retry_.expires_after(std::chrono::milliseconds(100));
      retry_.async_wait([self = shared_from_this()](error_code wait) {
        if (!wait && !self->shared_.stopping) self->do_accept();
      });
      return;
    }
    socket.set_option(tcp::no_delay(true), ec);  // else ~40 ms per small response
    const bool over = shared_.connections >= shared_.max_connections;
    std::make_shared<Session>(std::move(socket), ctx_, shared_, over)->run();
    do_accept();
  }

  net::io_context& ioc_;
  ssl::context& ctx_;
  tcp::acceptor acceptor_;
  Shared& shared_;
  net::steady_timer retry_;
  std::chrono::steady_clock::time_point last_complaint_{};
};

// Raises the soft limit of open files to the hard one; returns the soft limit now in force.
size_t raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? SIZE_MAX : static_cast<size_t>(limit.rlim_cur);
}

}  // namespace

struct Server::Impl {
  Impl(HubService& service, const HubConfig& config)
      : config(config),
        workers(static_cast<size_t>(config.worker_threads)),
        ctx(ssl::context::tls_server),
        shared{service, this->config, workers},
        signals(ioc, SIGINT, SIGTERM) {}

  HubConfig config;
  net::thread_pool workers;
  ssl::context ctx;
  Shared shared;
  // After `shared`: sessions still queued in the context are destroyed with it, and a session's
  // destructor gives its connection and stream slot back to `shared`.
  net::io_context ioc{1};
  net::signal_set signals;
  std::shared_ptr<Listener> listener;
  uint16_t port = 0;
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::create(HubService& service, const HubConfig& config) {
  auto impl = std::make_unique<Impl>(service, config);
  error_code ec;
  impl->ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                        ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                        ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(impl->ctx.native_handle(), TLS1_2_VERSION);
  if (SSL_CTX_set_cipher_list(impl->ctx.native_handle(), kTls12Ciphers) != 1) {
    return Status(Code::kInternal, "OpenSSL refused the TLS 1.2 cipher list");
  }
  // A quarter of the file limit stays free for the stores, the logs and the 503 answers.
  const size_t files = raise_open_file_limit();
  impl->shared.max_connections = std::max<size_t>(
      8, std::min(config.max_connections, files - std::min(files, files / 4 + 16)));
  impl->ctx.use_certificate_chain_file(config.path(config.tls_cert), ec);
  if (ec)
    return Status(Code::kIo,
                  "TLS certificate " + config.path(config.tls_cert) + ": " + ec.message());
  impl->ctx.use_private_key_file(config.path(config.tls_key), ssl::context::pem, ec);
  if (ec) return Status(Code::kIo, "TLS key " + config.path(config.tls_key) + ": " + ec.message());

  const size_t colon = config.listen.rfind(':');
  if (colon == std::string::npos) {
    return Status(Code::kInvalidArgument, "listen must be ADDR:PORT, not '" + config.listen + "'");
  }
  auto address = net::ip::make_address(config.listen.substr(0, colon), ec);
  if (ec) return Status(Code::kInvalidArgument, "listen address: " + ec.message());
  int port = 0;
  try {
    port = std::stoi(config.listen.substr(colon + 1));
  } catch (...) {
    port = -1;
  }
  if (port < 0 || port > 65535)
    return Status(Code::kInvalidArgument, "listen port must be 0..65535");

  tcp::acceptor acceptor(impl->ioc);
  tcp::endpoint endpoint(address, static_cast<uint16_t>(port));
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Status(Code::kIo, "cannot listen on " + config.listen + ": " + ec.message());
  impl->port = acceptor.local_endpoint().port();
  impl->listener =
      std::make_shared<Listener>(impl->ioc, impl->ctx, std::move(acceptor), impl->shared);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

uint16_t Server::port() const {
  return impl_->port;
}

void Server::stop() {
  net::post(impl_->ioc, [impl = impl_.get()] {
    impl->shared.stopping = true;
    impl->signals.cancel();
    impl->listener->stop();
    impl->workers.join();  // running handlers finish: their commits are complete
    impl->ioc.stop();
  });
}

void Server::run() {
  impl_->signals.async_wait([this](error_code ec, int) {
    if (!ec) stop();
  });
  impl_->listener->start();
  impl_->ioc.run();
  impl_->workers.join();
}

}  // namespace lwc::hub
