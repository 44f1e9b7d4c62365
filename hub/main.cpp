// lwc-hub: wiring only; the commands live in src/cli.cpp, the logic in lwc_hub_lib and lwc_core.
namespace lwc::hub {
int run_cli(int argc, char** argv);
}

int main(int argc, char** argv) { return lwc::hub::run_cli(argc, argv); }
