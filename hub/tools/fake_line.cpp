// lwc-fake-line: a stand-in for the LINE Messaging API on 127.0.0.1, for demos and end-to-end tests
// (hub.json "channels.line.base_url" points at it). Answers POST /v2/bot/message/push: the first
// --fail-first requests with 500 (an outage), then 200. Every request it answers is printed as one
// JSON line {"status", "to", "text", "retry_key"} on stdout (and appended to --log FILE), so a human
// sees the Thai messages arrive and a test can count them. Plain HTTP; never use it for real traffic.
#include <CLI/CLI.hpp>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <fstream>
#include <iostream>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using nlohmann::json;

int main(int argc, char** argv) {
  CLI::App app{"lwc-fake-line — a local stand-in for the LINE Messaging API push endpoint"};
  std::string listen = "127.0.0.1:0", log_path;
  int fail_first = 0;
  app.add_option("--listen", listen, "ADDR:PORT (port 0 = any free port)")->capture_default_str();
  app.add_option("--fail-first", fail_first, "answer this many requests with 500 first");
  app.add_option("--log", log_path, "also append the JSON lines to this file");
  CLI11_PARSE(app, argc, argv);

  const size_t colon = listen.rfind(':');
  net::io_context ioc;
  tcp::acceptor acceptor(ioc);
  boost::system::error_code ec;
  tcp::endpoint endpoint(net::ip::make_address(listen.substr(0, colon), ec),
                         static_cast<unsigned short>(std::stoi(listen.substr(colon + 1))));
  if (ec) {
    std::cerr << "lwc-fake-line: bad --listen " << listen << "\n";
    return 2;
  }
  acceptor.open(endpoint.protocol());
  acceptor.set_option(net::socket_base::reuse_address(true));
  acceptor.bind(endpoint, ec);
  if (ec) {
    std::cerr << "lwc-fake-line: cannot listen on " << listen << ": " << ec.message() << "\n";
    return 1;
  }
  acceptor.listen();
  std::cout << "lwc-fake-line listening on http://" << listen.substr(0, colon) << ":"
            << acceptor.local_endpoint().port() << std::endl;
  std::signal(SIGTERM, [](int) { std::_Exit(0); });
  std::ofstream log;
  if (!log_path.empty()) log.open(log_path, std::ios::app);

  for (int served = 0;; ++served) {
    tcp::socket socket(ioc);
    acceptor.accept(socket, ec);
    if (ec) continue;
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::read(socket, buffer, req, ec);
    if (ec) continue;
    int status = 200;
    json line;
    if (req.method() != http::verb::post || req.target() != "/v2/bot/message/push") {
      status = 404;
    } else if (served < fail_first) {
      status = 500;
    } else {
      json body = json::parse(req.body(), nullptr, false);
      if (!body.is_object() || !body.contains("to") || !body.contains("messages") ||
          req[http::field::authorization].substr(0, 7) != "Bearer ") {
        status = 400;
      } else {
        line["to"] = body["to"];
        std::string text;
        for (const json& m : body["messages"]) text += m.value("text", "");
        line["text"] = text;
      }
    }
    line["status"] = status;
    line["retry_key"] = std::string(req["X-Line-Retry-Key"]);
    const std::string out = line.dump(-1, ' ', false, json::error_handler_t::replace);
    std::cout << out << std::endl;
    if (line.contains("text")) {  // readable for a human watching the demo
      std::cerr << "── LINE → " << line["to"].get<std::string>() << " ──\n"
                << line["text"].get<std::string>() << "\n" << std::endl;
    }
    if (log) log << out << std::endl;
    http::response<http::string_body> res{static_cast<http::status>(status), req.version()};
    res.set(http::field::content_type, "application/json");
    res.body() = status == 200 ? "{}" : R"({"message":"fake outage"})";
    res.keep_alive(false);
    res.prepare_payload();
    http::write(socket, res, ec);
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }
}
