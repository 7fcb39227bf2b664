/**
 * What the header readers return: tensor names, dtypes and shapes (as
 * stored: safetensors' shape order, which is ggml's `ne` reversed), plus the
 * file's string metadata. A header that cannot be read raises HeaderError
 * with a sentence for the user; callers never see other exceptions.
 */
import { NamedError } from "../../core/server/errors";

export interface TensorInfo {
  name: string;
  /** Lower-case dtype: "f16", "bf16", "f32", "f8_e4m3", "q8_0", "q4_k", … ("" when unknown, e.g. pickled checkpoints). */
  dtype: string;
  /** Dimensions outermost first (safetensors/PyTorch order); [] when unknown. */
  shape: number[];
}

export interface Header {
  tensors: TensorInfo[];
  metadata: Record<string, string>;
}

export class HeaderError extends NamedError {
  override name = "HeaderError";
  override readonly code = "unreadable_model";
  override readonly status = 422;
}
