/** The RPC workers' errors, each with its code and HTTP status. */
import { NamedError } from "../core/server/errors";

/** The worker's listening port is in use on this computer. */
export class RpcPortTaken extends NamedError {
  override readonly code = "rpc_port_taken";
  override readonly status = 409;
}

/** The worker refused us (wrong pairing token), or is not an Easy Diffusion worker. */
export class RpcWorkerRefused extends NamedError {
  override readonly code = "rpc_worker_refused";
  override readonly status = 422;
}

/** The worker cannot be reached (down, wrong address, firewall): the address given does not answer, a 4xx like a wrong token. */
export class RpcWorkerUnreachable extends NamedError {
  override readonly code = "rpc_worker_unreachable";
  override readonly status = 422;
}

/** The worker speaks another ggml RPC protocol version than this computer's engine. */
export class RpcVersionMismatch extends NamedError {
  override readonly code = "rpc_version_mismatch";
  override readonly status = 409;
}

/** An RPC worker that was not found, or a request about workers that cannot be followed. */
export class RpcWorkerNotFound extends NamedError {
  override readonly code = "rpc_worker_not_found";
  override readonly status = 404;
}

export class RpcBadWorker extends NamedError {
  override readonly code = "rpc_bad_worker";
  override readonly status = 400;
}
