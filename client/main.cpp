// lwc-client: wiring only; the commands live in src/cli.cpp, the logic in lwc_client_lib/lwc_core.
namespace lwc::client {
int run_cli(int argc, char** argv);
}

int main(int argc, char** argv) { return lwc::client::run_cli(argc, argv); }
