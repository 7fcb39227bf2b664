/** The text of `--help`, kept beside the parser it documents. */
export const HELP = `Easy Diffusion: run Stable Diffusion, Flux and friends on your own computer.

Usage:
  easy-diffusion [options]                    open the app in its own window
  easy-diffusion --server [options]           run headless; open the printed URL in a browser
  easy-diffusion engine import <zip-or-folder> [--data-dir D]
                                              install a local stable-diffusion.cpp build
  easy-diffusion engine build [--backend cpu|vulkan|cuda|rocm] [--data-dir D]
                                              build the engine from source for this machine
  easy-diffusion worker rpc [--port P] [--device D]
                                              lend this computer's devices to another's engine (ggml RPC)

Options:
  --server          run without a window (no GTK/WebView is loaded)
  --host H          address to listen on (default 127.0.0.1; 0.0.0.0 lets other devices in, with the token)
  --port N          port to listen on (default 9000; the next free one is used if taken)
  --data-dir D      keep all data (models, images, engines, config) in D (or set ED_HOME)
  --config F        read and write the config file F instead of <config dir>/config.yaml
  --no-open         do not open a window or browser
  -h, --help        show this help
  -v, --version     show the version

Exit codes: 0 ok, 1 runtime error, 2 bad usage.
`;

export const ENGINE_HELP = `Usage:
  easy-diffusion engine import <zip-or-folder> [--data-dir D] [--config F]

Installs a local stable-diffusion.cpp build: any folder or zip that holds sd-server.
The binary is run once to check it works before it is accepted.

  easy-diffusion engine build [--backend cpu|vulkan|cuda|rocm] [--data-dir D] [--config F]

Builds sd-server from the pinned upstream source with CMake and a C++17 compiler
(plus the backend's SDK) and installs it as engines/<tag>/built-<backend>/.
Missing tools are listed with the command that installs them. Exit 0 built, 1 failed.
`;

export const WORKER_HELP = `Usage:
  easy-diffusion worker rpc [--port P] [--device D] [--backend cpu|vulkan|cuda|rocm] [--host H] [--data-dir D]

Makes this computer an RPC worker: another computer's engine places parts of a model on its devices.
Builds the worker program once from the same pinned source as the engine (CMake and a C++17 compiler),
runs it on 127.0.0.1 only, and listens on H:P (default 0.0.0.0:50052) for connections that prove the
pairing token it prints (text and QR code). Devices: D (ggml names, e.g. CUDA0,Vulkan1), else every GPU,
else the CPU. Authenticated, not encrypted: LAN only. Ctrl+C stops it.
`;
