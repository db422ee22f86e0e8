// `ladder chaind --datadir DIR [--port N] [--bind ADDR] [--rpcuser U --rpcpassword P]`:
// the embedded chain as a daemon speaking bitcoind's JSON-RPC subset on
// loopback. State lives in DIR (chain.dat, .cookie); a restart, even after
// kill -9, resumes the stored chain. Stops on SIGINT/SIGTERM or the "stop" RPC.
#include <csignal>
#include <iostream>
#include <thread>

#include "chain/block_store.h"
#include "chain/rpc_server.h"
#include "commands.h"

namespace ladder::app {

namespace {

struct ChaindArgs {
  std::string datadir;
  chain::RpcServerOptions rpc;
};

int run_chaind(const ChaindArgs& args) {
  // Block the stop signals before any thread starts, so only the waiter
  // below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  chain::EmbeddedChain chain;
  auto store = chain::BlockStore::open(args.datadir, chain);
  if (!store) {
    std::cerr << "ladder chaind: " << store.error().to_string() << '\n';
    return 1;
  }
  if ((*store)->bytes_truncated() > 0)
    std::cerr << "ladder chaind: dropped a torn tail of " << (*store)->bytes_truncated() << " bytes\n";
  chain::RpcServerOptions opts = args.rpc;
  opts.data_dir = args.datadir;
  chain::RpcServer server(chain, store->get(), opts);
  auto port = server.start();
  if (!port) {
    std::cerr << "ladder chaind: " << port.error().to_string() << '\n';
    return 1;
  }
  std::cout << "ladder chaind: height " << chain.height() << ", listening on " << opts.bind << ":" << *port << std::endl;
  std::thread waiter([&server, signals] {
    int sig = 0;
    sigwait(&signals, &sig);
    server.stop();
  });
  server.wait();
  // Wake the signal waiter if the "stop" RPC ended the server.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  return 0;
}

}  // namespace

void add_chaind_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("chaind", "Run the embedded chain as a daemon speaking bitcoind's JSON-RPC on loopback");
  auto args = std::make_shared<ChaindArgs>();
  cmd->add_option("--datadir", args->datadir, "data directory (chain.dat, .cookie)")->required();
  cmd->add_option("--port", args->rpc.port, "RPC port (0: any free port, printed at start)")->check(CLI::Range(0, 65535));
  cmd->add_option("--bind", args->rpc.bind, "loopback address to bind");
  cmd->add_option("--rpcuser", args->rpc.user, "RPC user (besides the cookie)");
  cmd->add_option("--rpcpassword", args->rpc.password, "RPC password");
  cmd->callback([args] { exit_code() = run_chaind(*args); });
}

}  // namespace ladder::app
